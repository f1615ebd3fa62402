"""The disk cache of clean rule files: same rules as a full read, never hides a problem."""
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck import ruleset

RULE = """rules:
  - id: mine.block-unblock
    kind: opposing
    description: blocked vs unblocked
    severity: warning
    groups: [[blocked], [unblocked]]
"""


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_RULE_CACHE", str(tmp_path / "rc"))
    ruleset._PARSED.clear()  # the in-process memo would answer before the disk cache
    yield tmp_path / "rc"
    ruleset._PARSED.clear()


def _fresh(paths):
    ruleset._PARSED.clear()
    return ruleset.load_rules(paths)


def test_cached_rules_equal_a_full_read(cache):
    full, problems = _fresh(None)
    assert not problems and len(list(cache.glob("*.json"))) == len(ruleset.rule_files(ruleset.default_rule_dirs()))
    again, problems = _fresh(None)
    assert not problems
    assert [(r.to_dict(), r.params, r.examples) for r in again] == [(r.to_dict(), r.params, r.examples) for r in full]


def test_a_cold_process_skips_validation(cache):
    _fresh(None)
    code = ("import sys; from factcheck.ruleset import load_rules; r, p = load_rules(); "
            "print(len(r), len(p), 'jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[1:] == ["0", "False"] and int(out[0]) > 50


def test_a_file_with_a_problem_is_never_cached(cache, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(RULE.replace("severity: warning", "severity: warnign"))
    for _ in range(2):
        rules, problems = _fresh([bad])
        assert not rules and "warnign" in problems[0].message and problems[0].line == 5, problems
    assert not list(cache.glob("*.json"))


def test_an_edited_file_is_read_afresh(cache, tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text(RULE)
    assert [r.id for r in _fresh([f])[0]] == ["mine.block-unblock"]
    f.write_text(RULE.replace("severity: warning", "severity: bogus"))
    rules, problems = _fresh([f])
    assert not rules and problems and problems[0].path == str(f)


def test_a_corrupt_cache_is_a_miss(cache, tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text(RULE)
    _fresh([f])
    for entry in cache.glob("*.json"):
        entry.write_text('{"digest": 3, "rules": [{"item": {"kind": "nope"}}]')
    rules, problems = _fresh([f])
    assert [r.id for r in rules] == ["mine.block-unblock"] and not problems


def test_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_RULE_CACHE", "off")
    f = tmp_path / "mine.yaml"
    f.write_text(RULE)
    assert [r.id for r in _fresh([f])[0]] == ["mine.block-unblock"]
    assert not any(Path(tmp_path).rglob("*.json"))
    ruleset._PARSED.clear()

