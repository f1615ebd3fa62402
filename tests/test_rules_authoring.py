"""Rule authoring: validate reports every problem at file:line:col with exit 2; test runs the
bundled pack's examples through the real model; new/schema/list/show work."""
import json
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from factcheck.ruleset import file_schema, load_rules

GOOD = """\
rules:
  - id: t.rise-fall
    kind: opposing
    description: Prices rise vs fall.
    severity: warning
    groups: [[rise], [fall]]
    examples:
      fire: [["Oil prices rose on Monday.", "Oil prices fell on Monday."]]
      quiet: [["Oil prices rose on Monday.", "Oil prices climbed on Monday."]]
"""

# (file content, expected line, expected column, words the message must contain)
BROKEN = {
    "bad_yaml": ("rules:\n  - id: x\n    kind: [opposing\n", 4, 1, "invalid YAML"),
    "wrong_type": (GOOD.replace("severity: warning", "severity: 3"), 5, 15, "severity"),
    "unknown_kind": (GOOD.replace("kind: opposing", "kind: oposing"), 3, 11, "did you mean 'opposing'"),
    "unknown_key": (GOOD.replace("severity: warning", "sevrity: warning"), 5, 5, "did you mean 'severity'"),
    "missing_field": (GOOD.replace("    description: Prices rise vs fall.\n", ""), 2, 5, "missing required field 'description'"),
    "missing_kind_field": (GOOD.replace("    groups: [[rise], [fall]]\n", ""), 2, 5, "missing required field 'groups'"),
    "catastrophic_regex": ("rules:\n  - id: t.p\n    kind: pattern\n    description: x\n    severity: info\n"
                           "    a: \"(a+)+$\"\n    b: \"b\"\n", 6, 8, "catastrophic"),
    "lookbehind_regex": ("rules:\n  - id: t.p\n    kind: pattern\n    description: x\n    severity: info\n"
                         "    a: \"(?<=x)y\"\n    b: \"b\"\n", 6, 8, "linear-time"),
    "duplicate_key": (GOOD.replace("    severity: warning\n", "    severity: warning\n    severity: error\n"), 6, 5,
                      "duplicate key"),
    "bad_example_shape": (GOOD.replace('fire: [["Oil prices rose on Monday.", "Oil prices fell on Monday."]]',
                                       'fire: ["just one string"]'), 8, 14, "examples.fire.0"),
    "empty": ("", 1, 1, "empty"),
    "not_a_list": ("rules: 5\n", 1, 8, "must be a list"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_rule_files(tmp_path: Path, name: str):
    content, line, col, words = BROKEN[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(content)
    res = run_cli("rules", "validate", str(path))
    assert res.returncode == 2, res.stdout + res.stderr
    first = res.stdout.strip().splitlines()[0]
    assert first.startswith(f"{path}:{line}:{col}: "), first
    assert words in first, first
    assert "Traceback" not in res.stderr


def test_duplicate_ids_across_files(tmp_path: Path):
    (tmp_path / "one.yaml").write_text(GOOD)
    (tmp_path / "two.yaml").write_text(GOOD)
    res = run_cli("rules", "validate", str(tmp_path))
    assert res.returncode == 2
    assert "two.yaml:2:1: duplicate rule id 't.rise-fall' (first defined at" in res.stdout


def test_all_problems_reported_at_once(tmp_path: Path):
    bad = GOOD.replace("severity: warning", "sevrity: warning").replace("kind: opposing\n", "kind: opposing\n    colour: red\n")
    path = tmp_path / "many.yaml"
    path.write_text(bad)
    res = run_cli("rules", "validate", str(path))
    assert res.returncode == 2
    assert len(res.stdout.strip().splitlines()) >= 3  # two unknown keys + missing severity


def test_compare_refuses_broken_rules(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text(BROKEN["unknown_kind"][0])
    ex = ROOT / "examples"
    res = run_cli("compare", str(ex / "moscow_briefing.md"), str(ex / "washington_briefing.txt"), "--rules", str(path))
    assert res.returncode == 2 and f"{path}:3:11:" in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_default_pack_size_and_examples():
    rules, problems = load_rules()
    assert problems == []
    assert len(rules) >= 40
    kinds = {r.kind for r in rules}
    assert {"opposing", "negation", "numeric", "date", "modality", "pattern"} <= kinds
    for r in rules:
        assert len(r.examples.get("fire", [])) >= 3 and len(r.examples.get("quiet", [])) >= 3, r.id


def test_default_pack_examples_pass_with_real_model(checker):
    from factcheck.ruletest import run_rule_examples

    results = run_rule_examples(checker.rules, encoder=checker.encoder)
    failures = [line for r in results for line in r.failures]
    assert failures == []


def test_rules_test_command_reports_failure(tmp_path: Path):
    wrong = GOOD.replace('quiet: [["Oil prices rose on Monday.", "Oil prices climbed on Monday."]]',
                         'quiet: [["Oil prices rose on Monday.", "Oil prices fell on Monday."]]')
    path = tmp_path / "wrong.yaml"
    path.write_text(wrong)
    res = run_cli("rules", "test", str(path))
    assert res.returncode == 1
    assert "FAIL  t.rise-fall" in res.stdout and "0 passed, 1 failed" in res.stdout
    ok = tmp_path / "ok.yaml"
    ok.write_text(GOOD)
    assert run_cli("rules", "test", str(ok)).returncode == 0


def test_new_templates_validate(tmp_path: Path):
    from factcheck.kinds import KINDS

    for kind in KINDS:
        res = run_cli("rules", "new", kind)
        assert res.returncode == 0
        path = tmp_path / f"{kind}.yaml"
        path.write_text(res.stdout)
        assert run_cli("rules", "validate", str(path)).returncode == 0, kind


def test_schema_export_validates_bundled_rules():
    import jsonschema
    import yaml

    schema = json.loads(run_cli("rules", "schema").stdout)
    assert schema == json.loads(json.dumps(file_schema()))
    for f in sorted((ROOT / "rules").glob("*.yaml")):
        jsonschema.validate(yaml.safe_load(f.read_text()), schema)
    bad = {"rules": [{"id": "x", "kind": "opposing", "description": "d", "severity": "warning"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)  # groups missing


def test_list_and_show():
    res = run_cli("rules", "list", "--format", "json")
    items = json.loads(res.stdout)
    assert {"id", "kind", "severity", "source"} <= set(items[0])
    res = run_cli("rules", "show", "conflict.withdrawal-vs-repositioning")
    assert res.returncode == 0 and "repositioning" in res.stdout
    res = run_cli("rules", "show", "conflict.withdrawal-vs-repositionin")
    assert res.returncode == 2 and "did you mean" in res.stderr
