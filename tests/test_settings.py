"""One settings path: flags over --config over discovered config over defaults, unknown rule ids
and tags refused (with did-you-mean and file:line:col), rules never mutated, defaults extendable,
and rules/db commands reading the same configuration as compare."""
import dataclasses
import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli
from factcheck.ruleset import load_rules, select_rules
from factcheck.settings import Flags, resolve

A = str(EXAMPLES / "moscow_briefing.md")
B = str(EXAMPLES / "washington_briefing.txt")

# An extra rule that is off by default: "sunny" vs "rainy" weather reports.
WEATHER = """\
rules:
  - id: weather.sunny-vs-rainy
    kind: opposing
    description: The same day's weather reported as sunny and as rainy.
    severity: error
    enabled: false
    tags: [weather]
    groups:
      - [sunny]
      - [rainy]
    examples:
      fire: [["The weather in Lviv was sunny on Monday.", "The weather in Lviv was rainy on Monday."]]
      quiet: [["The weather in Lviv was sunny on Monday.", "Lviv had a sunny Monday."]]
"""
WEATHER_CLAIMS = """\
claims:
  - id: one
    text: The weather in Lviv was sunny on Monday, forecasters said.
  - id: two
    text: The weather in Lviv was rainy on Monday, forecasters said.
"""


@pytest.mark.parametrize("args, needle", [
    (["--enable", "nosuchrule"], "--enable: no rule id or tag 'nosuchrule'"),
    (["--disable", "helth"], "--disable: no rule id or tag 'helth' (did you mean 'health'?)"),
    (["--severity", "helth=info"], "--severity: no rule id or tag 'helth' (did you mean 'health'?)"),
])
def test_unknown_rule_names_in_flags_are_exit_2(args, needle):
    res = run_cli("compare", A, B, *args)
    assert res.returncode == 2 and needle in res.stderr
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("text, needle", [
    ("disable: [helth]\n", ".factcheck.yaml:1:11: 'disable': no rule id or tag 'helth' (did you mean 'health'?)"),
    ("fail_on: error\nenable:\n  - markets\n  - nosuch\n", ".factcheck.yaml:4:5: 'enable': no rule id or tag 'nosuch'"),
    ("severity:\n  helth: info\n", ".factcheck.yaml:2:3: 'severity': no rule id or tag 'helth'"),
])
def test_unknown_rule_names_in_config_are_located(tmp_path, text, needle):
    (tmp_path / ".factcheck.yaml").write_text(text)
    for cmd in (["compare", A, B], ["check", str(EXAMPLES / "claims")], ["eval", "x.jsonl"], ["extract", B],
                ["db", "stats"], ["rules", "list"]):
        res = run_cli(*cmd, cwd=tmp_path)
        assert res.returncode == 2, (cmd, res.stderr)
        assert needle in res.stderr and "Traceback" not in res.stderr


def test_explicit_config_path_beats_discovered(tmp_path):
    (tmp_path / ".factcheck.yaml").write_text("disable: [helth]\n")  # would fail if read
    other = tmp_path / "ci.yaml"
    other.write_text("rules: [builtin]\nfail_on: never\n")
    s = run_cli("rules", "list", "--format", "json", "--config", str(other), cwd=tmp_path)
    assert s.returncode == 0, s.stderr
    res = run_cli("--config", str(tmp_path / "missing.yaml"), "rules", "list", cwd=tmp_path)
    assert res.returncode == 2 and "missing.yaml: no such configuration file" in res.stderr


def test_flags_over_config_over_defaults(tmp_path, monkeypatch):
    (tmp_path / ".factcheck.yaml").write_text("top_k: 3\nfail_on: error\ndb: store\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    s = resolve(Flags(top_k=7))
    assert s.top_k == 7 and s.origin["top_k"] == "flag"
    assert s.fail_on == "error" and s.origin["fail_on"].startswith("config")
    assert s.min_similarity == 0.35 and s.origin["min_similarity"] == "default"
    assert s.db == str((tmp_path / "store").resolve())
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.top_k = 1  # type: ignore[misc]


def test_db_url_is_never_folded_into_a_path(tmp_path, monkeypatch):
    """A milvus:// URL from the config or the environment stays a URL: Path() would make it milvus:/host."""
    (tmp_path / ".factcheck.yaml").write_text("db: milvus://milvus.internal:19530/news\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    assert resolve(Flags(), with_rules=False).db == "milvus://milvus.internal:19530/news"
    monkeypatch.setenv("FACTCHECK_DB", "milvus+https://m.example.org:443/archive")
    s = resolve(Flags(), with_rules=False)
    assert s.db == "milvus+https://m.example.org:443/archive" and s.origin["db"] == "env FACTCHECK_DB"


def test_selection_never_mutates_loaded_rules():
    rules, _ = load_rules()
    before = {r.id: r.severity for r in rules}
    regraded = select_rules(rules, severity={"numeric": "info", "conflict": "info"})
    assert all(r.severity == "info" for r in regraded if "numeric" in r.tags or "conflict" in r.tags)
    assert {r.id: r.severity for r in rules} == before
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules[0].severity = "info"  # type: ignore[misc]


def test_rules_extend_builtin_by_flag_and_config(tmp_path):
    mine = tmp_path / "our-rules"
    mine.mkdir()
    (mine / "weather.yaml").write_text(WEATHER)
    builtin = json.loads(run_cli("rules", "list", "--format", "json", cwd=tmp_path).stdout)
    res = run_cli("rules", "list", "--format", "json", "builtin", str(mine), cwd=tmp_path)
    ids = [r["id"] for r in json.loads(res.stdout)]
    assert len(ids) == len(builtin) + 1 and "weather.sunny-vs-rainy" in ids
    # The config's rules are what `rules list/validate` and compare use when no path is given.
    (tmp_path / ".factcheck.yaml").write_text("rules: [builtin, our-rules/]\n")
    ids = [r["id"] for r in json.loads(run_cli("rules", "list", "--format", "json", cwd=tmp_path).stdout)]
    assert len(ids) == len(builtin) + 1
    res = run_cli("rules", "validate", cwd=tmp_path)
    assert res.returncode == 0 and f"{len(builtin) + 1} rules OK" in res.stdout
    assert run_cli("rules", "validate", str(mine / "weather.yaml")).stdout.strip() == "1 rule OK"
    s = resolve(Flags(rules=("builtin", str(mine)), enable=("weather",)))
    assert [r.id for r in s.rules] == ["weather.sunny-vs-rainy"]


def test_enable_switches_on_a_disabled_rule(tmp_path):
    (tmp_path / "weather.yaml").write_text(WEATHER)
    (tmp_path / "claims.yaml").write_text(WEATHER_CLAIMS)
    args = ["check", str(tmp_path / "claims.yaml"), "--no-db", "--format", "json",
            "--rules", "builtin", "--rules", str(tmp_path / "weather.yaml")]
    off = run_cli(*args)
    assert off.returncode == 0, off.stderr
    assert all(f["rule"] != "weather.sunny-vs-rainy" for f in json.loads(off.stdout)["findings"])
    on = run_cli(*args, "--enable", "weather.sunny-vs-rainy")
    assert on.returncode == 1, on.stderr
    assert [f["rule"] for f in json.loads(on.stdout)["findings"]] == ["weather.sunny-vs-rainy"]


def test_verbose_shows_settings_and_times_each_stage(tmp_path):
    (tmp_path / ".factcheck.yaml").write_text("top_k: 4\n")
    res = run_cli("compare", A, B, "--no-db", "-v", cwd=tmp_path)
    assert res.returncode == 1, res.stderr
    err = res.stderr
    assert f"config: {tmp_path / '.factcheck.yaml'}" in err and "top_k: 4 (config" in err
    for stage in ("read articles", "load embedding model", "claims", "embeddings", "candidates", "judging",
                  "render"):
        assert f"factcheck: {stage}: " in err, stage
    assert "Batches" not in err  # sentence-transformers' own bar stays off


def test_db_commands_use_the_configured_database(tmp_path, monkeypatch):
    monkeypatch.delenv("FACTCHECK_DB", raising=False)
    (tmp_path / ".factcheck.yaml").write_text("db: newsroom_db\n")
    res = run_cli("db", "add", B, env={"FACTCHECK_DB": None}, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "newsroom_db" / "claims.sqlite").exists()
    stats = run_cli("db", "stats", "--format", "json", env={"FACTCHECK_DB": None}, cwd=tmp_path)
    assert json.loads(stats.stdout)["claims"] == 9
    # compare consults the same database without being told.
    res = run_cli("compare", A, B, "-f", "json", "-v",
                  env={"FACTCHECK_DB": None}, cwd=tmp_path)
    assert f"db: {(tmp_path / 'newsroom_db').resolve()} (config" in res.stderr


def test_config_read_by_extract_and_rules(tmp_path):
    (tmp_path / ".factcheck.yaml").write_text("sevrity: {}\n")
    for cmd in (["extract", B], ["rules", "list"], ["rules", "validate"], ["db", "stats"]):
        res = run_cli(*cmd, cwd=tmp_path)
        assert res.returncode == 2 and "unknown configuration key 'sevrity'" in res.stderr, cmd


def test_pyproject_section_as_config(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.factcheck]\ndisable = ["helth"]\n')
    res = run_cli("compare", A, B, cwd=tmp_path)
    assert res.returncode == 2 and "pyproject.toml:2:11: 'disable': no rule id or tag 'helth'" in res.stderr
