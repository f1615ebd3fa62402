"""End to end through the real CLI: real model, real FAISS, bundled YAML rules."""
import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT, run_cli

A = str(EXAMPLES / "moscow_briefing.md")
B = str(EXAMPLES / "washington_briefing.txt")


def test_compare_examples_json():
    res = run_cli("compare", A, B, "--format", "json")
    assert res.returncode == 1, res.stderr
    doc = json.loads(res.stdout)
    rules = {f["rule"] for f in doc["findings"]}
    assert {"conflict.withdrawal-vs-repositioning", "negation.asserted-vs-denied", "numeric.count-mismatch",
            "date.event-date-mismatch"} <= rules
    for f in doc["findings"]:
        assert set(f) >= {"rule", "severity", "message", "confidence", "similarity", "a", "b", "evidence", "relation"}
        assert 0 <= f["confidence"] <= 1
        for side in ("a", "b"):
            c = f[side]
            assert set(c) >= {"text", "source", "start", "end", "speaker"}
            original = open(c["source"], encoding="utf-8").read()
            # Spans index the original file; whitespace may differ (line wraps are folded).
            assert " ".join(original[c["start"]:c["end"]].split()) == c["text"]
    import jsonschema

    jsonschema.validate(doc, json.loads(run_cli("schema", "findings").stdout))
    withdrawal = next(f for f in doc["findings"] if f["rule"] == "conflict.withdrawal-vs-repositioning")
    assert withdrawal["severity"] == "error"
    assert "withdrawing" in withdrawal["a"]["text"] and "repositioning" in withdrawal["b"]["text"]
    assert withdrawal["b"]["speaker"] == "Pentagon spokesman John Kirby"
    assert {e["text"] for e in withdrawal["evidence"]} == {"withdrawing", "repositioning"}
    # The trap in the examples: different things counted (electricity vs gas) is not a finding.
    assert not any("households" in f["a"]["text"] for f in doc["findings"])


def test_compare_text_and_fail_on():
    res = run_cli("compare", A, B)
    assert res.returncode == 1
    assert "conflict.withdrawal-vs-repositioning" in res.stdout and "\x1b[" not in res.stdout
    assert run_cli("compare", A, B, "--fail-on", "never", "-q").returncode == 0
    # Only one finding is an error; fail-on error still fails, on the withdrawal.
    assert run_cli("compare", A, B, "--fail-on", "error").returncode == 1


def test_compare_same_article_is_clean(tmp_path):
    res = run_cli("compare", A, A, "--format", "json")
    assert res.returncode == 0, res.stdout
    assert json.loads(res.stdout)["findings"] == []


def test_bad_input_exit_2(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02\x03" * 100)
    for args, needle in [((A, "missing.txt"), "missing.txt: no such file"),
                         ((A, str(empty)), "empty.txt: file is empty"),
                         ((str(binary), B), "binary"),
                         ((A, B, "--format", "xml"), "")]:
        res = run_cli("compare", *args)
        assert res.returncode == 2, (args, res.stderr)
        assert "Traceback" not in res.stderr
        assert needle in res.stderr
    res = run_cli("compare", A, "missing.txt")
    assert len(res.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_help_does_not_import_heavy_libraries():
    code = ("import sys, runpy\n"
            "sys.argv=['factcheck','--help']\n"
            "try:\n    runpy.run_module('factcheck', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "heavy=[m for m in ('torch','sentence_transformers','faiss','transformers') if m in sys.modules]\n"
            "print('HEAVY', heavy)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT).stdout
    assert "HEAVY []" in out
    code2 = code.replace("'--help'", "'rules','validate'")
    out = subprocess.run([sys.executable, "-c", code2], capture_output=True, text=True, cwd=ROOT).stdout
    assert "HEAVY []" in out and "rules OK" in out


def test_extract_writes_claim_file(tmp_path):
    out = tmp_path / "claims.yaml"
    res = run_cli("extract", B, "-o", str(out))
    assert res.returncode == 0, res.stderr
    import yaml

    claims = yaml.safe_load(out.read_text())["claims"]
    assert any(c.get("speaker") == "Pentagon spokesman John Kirby" for c in claims)
    assert all({"id", "text"} <= set(c) for c in claims)


@pytest.mark.slow
def test_python_module_entry_point():
    res = subprocess.run([sys.executable, "-m", "factcheck", "rules", "list", "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0
    assert isinstance(json.loads(res.stdout), list)


def test_eval_command_json(tmp_path):
    data = tmp_path / "pairs.jsonl"
    data.write_text('{"id": "1", "premise": "The talks produced a breakthrough.", "hypothesis": "The talks yielded no '
                    'breakthrough.", "label": "contradiction"}\n{"id": "2", "premise": "Oil prices rose on Monday.", '
                    '"hypothesis": "Oil prices climbed on Monday.", "label": "entailment"}\n')
    res = run_cli("eval", str(data), "--format", "json", "--errors", "5")
    doc = json.loads(res.stdout)
    assert res.returncode == 0 and doc["precision"] == 1.0 and doc["recall"] == 1.0 and doc["f1"] == 1.0
    assert doc["confusion"]["contradiction"]["contradiction"] == 1
    assert doc["per_rule"]["negation.asserted-vs-denied"]["true"] == 1
    sick = tmp_path / "SICK.txt"
    sick.write_text("pair_ID\tsentence_A\tsentence_B\tentailment_label\n1\tA man is playing a guitar\t"
                    "A man is not playing a guitar\tCONTRADICTION\n")
    assert json.loads(run_cli("eval", str(sick), "-f", "json").stdout)["tp"] == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"premise": "x"}\n')
    res = run_cli("eval", str(bad))
    assert res.returncode == 2 and "bad.jsonl:1:1" in res.stderr


def test_relation_filter():
    res = run_cli("compare", A, B, "--format", "json", "--relation", "dispute")
    rel = {f["relation"] for f in json.loads(res.stdout)["findings"]}
    assert rel == {"dispute"}
    res = run_cli("compare", A, B, "--relation", "self-contradiction")
    assert res.returncode == 0 and res.stdout.startswith("0 findings")
    assert run_cli("compare", A, B, "--relation", "bogus").returncode == 2
