"""Archive frames read ahead of time: `factcheck db frames` and the service's background pass.
Real databases in temp dirs, the real parser; a fresh frame reader (empty memo, empty frame
cache) per test, so what a check parses can be observed."""
from __future__ import annotations

import httpx
import pytest

from conftest import EXAMPLES, run_cli
from serve_helpers import LiveServer

from factcheck.db.embedded import EmbeddedStore
from factcheck.db.frames import fill_frames, frames_key
from factcheck.frames import FrameReader, parse, reader

MOSCOW = EXAMPLES / "moscow_briefing.md"
WASHINGTON = EXAMPLES / "washington_briefing.txt"
DRAFT = "The Pentagon said the movement near Kyiv was a repositioning, not a real withdrawal."
WITHDRAWAL = "conflict.withdrawal-vs-repositioning"


@pytest.fixture()
def parsed(monkeypatch, tmp_path) -> list[str]:
    """Texts the (fresh) default frame reader parses from now on."""
    monkeypatch.setenv("FACTCHECK_FRAME_CACHE", str(tmp_path / "frame-cache.sqlite3"))
    monkeypatch.setattr(parse, "_READERS", {})
    fresh = reader()
    seen: list[str] = []
    real = fresh.read

    def read(texts, batch_size=64):
        seen.extend(texts)
        return real(texts, batch_size)

    monkeypatch.setattr(fresh, "read", read)
    return seen


def _archive(tmp_path):
    db = tmp_path / "db"
    assert run_cli("db", "add", str(MOSCOW), "--db", str(db), "-q").returncode == 0
    return db


def test_db_frames_backfills_once_and_checks_then_parse_only_the_draft(tmp_path, parsed):
    db = _archive(tmp_path)
    st = EmbeddedStore(db)
    key = frames_key(reader().name)
    texts = {c["text"] for c in st.records()}
    assert st.count_without_frames(key) == len(texts) > 5
    res = run_cli("db", "frames", "--db", str(db), "--batch-size", "4")
    assert res.returncode == 0, res.stderr
    assert f"Stored {len(texts)} frames of {len(texts)} claims" in res.stderr
    assert st.count_without_frames(key) == 0 and set(parsed) == texts
    # What is stored is what the parser reads.
    ids = {c["id"]: c["text"] for c in st.records()}
    stored = st.get_frames(list(ids), key)
    fresh = FrameReader().read(sorted(ids.values()))
    assert {ids[i]: f for i, f in stored.items()} == dict(zip(sorted(ids.values()), fresh))
    again = run_cli("db", "frames", "--db", str(db))
    assert again.returncode == 0 and "Every claim already has its frame" in again.stderr
    # A check against the archive parses its own claim only: the neighbours' frames come stored.
    parsed.clear()
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT + "\n", encoding="utf-8")
    doc = run_cli("check", str(draft), "--db", str(db), "--format", "json")
    assert WITHDRAWAL in doc.stdout, doc.stderr
    assert len(parsed) == 1 and parsed[0] in DRAFT and not set(parsed) & texts
    st.close()


def test_an_interrupted_pass_resumes_and_stale_frames_go(tmp_path, parsed):
    db = _archive(tmp_path)
    st = EmbeddedStore(db)
    key = frames_key(reader().name)
    total = st.count_without_frames(key)
    calls = []
    first = fill_frames(st, reader(), batch_size=3, keep_going=lambda: not calls.append(1) and len(calls) < 2)
    assert first.stopped and first.stored == 3 and st.count_without_frames(key) == total - 3
    rest = fill_frames(st, reader(), batch_size=3)
    assert not rest.stopped and rest.stored == total - 3 and st.count_without_frames(key) == 0
    assert len(parsed) == total  # nothing parsed twice
    # Frames of another build of the reader, and of removed claims, are dropped by the next pass.
    one = next(iter(st.records()))["id"]
    st.conn.execute("UPDATE frames SET parser = ? WHERE id = ?", (reader().name + "|old-build", one))
    later = fill_frames(st, reader())
    assert later.dropped == 1 and later.stored == 1 and st.count_without_frames(key) == 0
    assert run_cli("db", "remove", one, "--db", str(db)).returncode == 0
    assert st.conn.execute("SELECT COUNT(*) FROM frames WHERE id = ?", (one,)).fetchone()[0] == 0
    st.close()


def test_a_frame_parsed_for_words_a_claim_no_longer_says_is_not_stored(tmp_path):
    import numpy as np

    from factcheck.claims import Claim

    db = _archive(tmp_path)
    st = EmbeddedStore(db)
    row = next(iter(st.records()))
    frame = FrameReader().read([row["text"]])[0]
    st.remove([row["id"]])
    st.add_batch([Claim("Something else entirely was said here.", source="s", id=row["id"])],
                 np.zeros((1, st.dim), dtype="float32"))  # the same id, other words
    assert st.put_parsed_frames([(row["id"], row["text"], frame)], frames_key(reader().name)) == 0
    st.close()


def test_db_frames_waits_for_the_writer_lock_and_refuses_milvus(tmp_path):
    from filelock import FileLock

    db = _archive(tmp_path)
    with FileLock(str(db / ".lock")):
        res = run_cli("db", "frames", "--db", str(db), "--lock-timeout", "0")
    assert res.returncode == 2 and "timed out" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("db", "frames", "--db", "milvus://127.0.0.1:1/none")
    assert res.returncode == 2 and "embedded database only" in res.stderr


def test_service_parses_added_claims_in_the_background(checker, tmp_path, parsed):
    from factcheck.service.app import create_app
    from factcheck.service.engine import Engine

    db = _archive(tmp_path)  # claims stored before the service starts, without frames
    st = EmbeddedStore(db)
    before = st.count()
    engine = Engine(checker, db, lock_timeout=5.0)
    engine.start_frames()
    try:
        with LiveServer(create_app(engine)) as live, httpx.Client(base_url=live.url, timeout=120) as c:
            assert c.get("/healthz").json()["archive_frames"] in ("idle", "parsing")
            assert engine.frames.wait_idle(60) and engine.frames.stored == before  # the start-up pass
            art = {"text": WASHINGTON.read_text(encoding="utf-8"), "source": "wash.txt"}
            added = c.post("/v1/claims", json={"articles": [art]}).json()["added"]
            assert added > 5
            assert engine.frames.wait_idle(60)
            assert st.count_without_frames(frames_key(reader().name)) == 0
            assert engine.frames.stored == before + added
            assert f"factcheck_background_frames_stored {before + added}" in c.get("/metrics").text
            assert c.get("/healthz").json()["archive_frames"] == "idle"
            parsed.clear()
            doc = c.post("/v1/check", json={"text": DRAFT}).json()
            assert WITHDRAWAL in {f["rule"] for f in doc["findings"] if f["prior"]}
            assert len(parsed) == 1 and parsed[0] in DRAFT  # the archive's frames were ready
    finally:
        engine.close()
        st.close()
    assert engine.frames is None
