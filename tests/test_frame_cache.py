"""The frame cache and the lemma tables: real spaCy, real SQLite files in temp dirs."""
from __future__ import annotations

import sqlite3

import pytest

from factcheck.claims import Claim
from factcheck.frames import FrameReader
from factcheck.frames import cache as frame_cache
from factcheck.frames import parse
from factcheck.lemmas import all_lemmas, oov_lemma

TEXTS = ["Argentina was beaten by Brazil in Lyon on Monday.", "Brazil beat Argentina in Lyon on Monday."]


def claims():
    return [Claim(text=t, source="t") for t in TEXTS]


def test_a_second_process_reads_frames_without_parsing(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_FRAME_CACHE", str(tmp_path / "frames.sqlite3"))
    first = claims()
    FrameReader().attach(first)
    fresh = FrameReader()  # a new reader: empty memo, as in a new process
    again = claims()
    assert fresh.attach_cached(again) == []  # nothing new: no reason to load the parser
    fresh.attach(again)
    assert fresh._nlp is None  # the parser was never loaded
    assert [c.__dict__["frame"] for c in again] == [c.__dict__["frame"] for c in first]
    agent = again[0].__dict__["frame"].main().agent
    assert agent is not None and agent.text == "Brazil"  # the passive read right, from the cache


def test_other_code_or_pipeline_reads_afresh(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_FRAME_CACHE", str(tmp_path / "frames.sqlite3"))
    FrameReader().attach(claims())
    monkeypatch.setattr(frame_cache, "reader_key", lambda parser: "another build of the frame reader")
    assert FrameReader().attach_cached(claims())


@pytest.mark.parametrize("damage", ["garbage", "bad-rows"])
def test_a_damaged_cache_is_a_miss_not_an_error(tmp_path, monkeypatch, damage):
    path = tmp_path / "frames.sqlite3"
    monkeypatch.setenv("FACTCHECK_FRAME_CACHE", str(path))
    if damage == "garbage":
        path.write_bytes(b"\x00not a database" * 100)
    else:
        FrameReader().attach(claims())
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE frames SET frame = '{\"predicates\": [{\"nonsense\": 1}]'")
    reader = FrameReader()
    assert reader.attach_cached(claims())
    done = claims()
    reader.attach(done)
    assert all("frame" in c.__dict__ for c in done)


def test_off_keeps_nothing_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_FRAME_CACHE", "off")
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path))
    FrameReader().attach(claims())
    assert not list(tmp_path.rglob("*.sqlite3"))
    assert FrameReader().attach_cached(claims())


def test_texts_judged_without_frames_are_remembered_as_seen(tmp_path, monkeypatch):
    """A compare whose claims were all judged before starts no parser load, though most of its
    claims never needed a frame; a claim that does need one is still parsed when asked."""
    monkeypatch.setenv("FACTCHECK_FRAME_CACHE", str(tmp_path / "frames.sqlite3"))
    FrameReader().mark_seen(claims())
    fresh = FrameReader()
    some = claims()
    assert fresh.attach_cached(some) == [] and not any("frame" in c.__dict__ for c in some)
    fresh.attach(some)
    assert all(c.__dict__["frame"].predicates for c in some)
    assert FrameReader().attach_cached(claims()) == []


def test_a_worker_process_parses_ahead_the_same_frames(tmp_path, monkeypatch):
    """A cold command parses claims in a worker process while it embeds (frames.worker): the
    frames it hands back are the in-process ones, and the ones parsed ahead but not asked for
    reach the cache at the end of the run."""
    from factcheck.frames import parse

    monkeypatch.setenv("FACTCHECK_FRAME_CACHE", str(tmp_path / "frames.sqlite3"))
    monkeypatch.setattr(parse, "LOADED", set())  # as in a cold process: the suite may have loaded spaCy
    monkeypatch.setattr(parse, "_PREFETCHED", set())
    extra = "The senate ratified the trade treaty by 64 votes to 30 on Tuesday."
    reader = FrameReader()
    assert reader.parse_ahead([*TEXTS, extra])
    asked = claims()
    reader.attach(asked)
    assert reader._nlp is None  # parsed by the worker, not here
    assert [c.__dict__["frame"] for c in asked] == FrameReader().read(TEXTS)
    reader.mark_seen(asked)
    reader._worker.close()
    assert FrameReader().attach_cached([Claim(text=extra, source="t")]) == []  # cached, frame and all


def test_a_worker_that_fails_leaves_the_parsing_to_this_process(tmp_path, monkeypatch):
    from factcheck.frames.worker import ParseWorker

    monkeypatch.setenv("FACTCHECK_FRAME_CACHE", "off")
    broken = ParseWorker("no_such_pipeline_installed")
    assert broken.frames(TEXTS) == {} and broken.broken
    reader = FrameReader()
    reader._worker = broken
    done = claims()
    reader.attach(done)  # falls back to the in-process parser
    assert done[0].__dict__["frame"].main().agent.text == "Brazil"


def test_lemmas_come_from_the_tables_and_regular_morphology():
    assert "withdraw" in all_lemmas("withdrawing")["VERB"]
    assert all_lemmas("went")["VERB"] == ("go",)
    assert all_lemmas("nonexistentword") == {}
    assert oov_lemma("co-produced", "VERB") == "co-produce"
    assert oov_lemma("regionalised", "VERB") == "regionalise"
    assert oov_lemma("zorbing", "VERB") == "zorb"
    assert oov_lemma("texas", "NOUN") is None and oov_lemma("flurbs", "NOUN") == "flurb"


def test_a_blank_setting_is_the_default_location(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_FRAME_CACHE", "  ")
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path))
    assert frame_cache.cache_path() == tmp_path / "frames.sqlite3"


def test_the_worker_and_its_twin_answer_in_order(tmp_path, monkeypatch):
    """The worker forks a second parser once spaCy is loaded and gives it every other chunk
    (frames.worker._fork_twin); the replies still come back in the order the chunks went out."""
    from factcheck.frames import worker as worker_mod
    from factcheck.frames.worker import ParseWorker

    monkeypatch.setattr(worker_mod, "CHUNK", 1)  # one text a chunk: parent, twin, parent, twin
    texts = [*TEXTS, "The senate ratified the trade treaty by 64 votes to 30 on Tuesday.",
             "Police said 12 people were hurt in the crash near Lyon.", "Shares of Halvorsen rose 3%."]
    w = ParseWorker(parse.DEFAULT_PARSER)
    try:
        got = w.frames(texts)
    finally:
        w.close()
    assert [got[t] for t in texts] == FrameReader().read(texts)
