"""Configuration and rule selection: enable/disable/re-grade by id or tag, flags over config."""
import json

from conftest import EXAMPLES, run_cli
from factcheck.config import find_config
from factcheck.ruleset import load_rules, select_rules

A = str(EXAMPLES / "moscow_briefing.md")
B = str(EXAMPLES / "washington_briefing.txt")


def test_select_by_id_and_tag():
    rules, _ = load_rules()
    only_markets = select_rules(rules, enable=["markets"])
    assert only_markets and all("markets" in r.tags for r in only_markets)
    rules, _ = load_rules()
    no_conflict = select_rules(rules, disable=["conflict", "negation.asserted-vs-denied"])
    ids = {r.id for r in no_conflict}
    assert "conflict.withdrawal-vs-repositioning" not in ids and "negation.asserted-vs-denied" not in ids
    rules, _ = load_rules()
    regraded = select_rules(rules, severity={"numeric.count-mismatch": "error"})
    assert next(r for r in regraded if r.id == "numeric.count-mismatch").severity == "error"


def test_config_file_found_walking_up(tmp_path):
    (tmp_path / ".factcheck.yaml").write_text("disable: [conflict]\nfail_on: error\ntop_k: 3\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    cfg = find_config(sub)
    assert cfg.disable == ["conflict"] and cfg.fail_on == "error" and cfg.top_k == 3


def test_pyproject_tool_section(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.factcheck]\nfail_on = "never"\n')
    assert find_config(tmp_path).fail_on == "never"


def test_cli_config_and_flag_override(tmp_path):
    (tmp_path / ".factcheck.yaml").write_text("disable: [conflict, negation.asserted-vs-denied]\nfail_on: error\n")
    res = run_cli("compare", A, B, "--format", "json", cwd=tmp_path)
    rules = {f["rule"] for f in json.loads(res.stdout)["findings"]}
    assert "conflict.withdrawal-vs-repositioning" not in rules and res.returncode == 0  # only warnings left
    res = run_cli("compare", A, B, "--format", "json", "--fail-on", "warning",
                  "--severity", "numeric.count-mismatch=error", cwd=tmp_path)
    assert res.returncode == 1
    sev = {f["rule"]: f["severity"] for f in json.loads(res.stdout)["findings"]}
    assert sev["numeric.count-mismatch"] == "error"


def test_bad_config_is_exit_2(tmp_path):
    (tmp_path / ".factcheck.yaml").write_text("fail_on: error\nsevrity: {}\n")
    res = run_cli("compare", A, B, cwd=tmp_path)
    assert res.returncode == 2
    assert ".factcheck.yaml:2:1: unknown configuration key 'sevrity' (did you mean 'severity'?)" in res.stderr
