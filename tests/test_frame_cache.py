"""The frame cache and the lemma tables: real spaCy, real SQLite files in temp dirs."""
from __future__ import annotations

import sqlite3

import pytest

from factcheck.claims import Claim
from factcheck.frames import FrameReader
from factcheck.frames import cache as frame_cache
from factcheck.lemmas import all_lemmas, oov_lemma

TEXTS = ["Argentina was beaten by Brazil in Lyon on Monday.", "Brazil beat Argentina in Lyon on Monday."]


def claims():
    return [Claim(text=t, source="t") for t in TEXTS]


def test_a_second_process_reads_frames_without_parsing(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_FRAME_CACHE", str(tmp_path / "frames.sqlite3"))
    first = claims()
    assert FrameReader().attach(first)
    fresh = FrameReader()  # a new reader: empty memo, as in a new process
    again = claims()
    assert fresh.attach(again, parse=False) is True
    assert fresh._nlp is None  # the parser was never loaded
    assert [c.__dict__["frame"] for c in again] == [c.__dict__["frame"] for c in first]
    agent = again[0].__dict__["frame"].main().agent
    assert agent is not None and agent.text == "Brazil"  # the passive read right, from the cache


def test_other_code_or_pipeline_reads_afresh(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_FRAME_CACHE", str(tmp_path / "frames.sqlite3"))
    FrameReader().attach(claims())
    monkeypatch.setattr(frame_cache, "reader_key", lambda parser: "another build of the frame reader")
    assert FrameReader().attach(claims(), parse=False) is False


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
    assert reader.attach(claims(), parse=False) is False
    done = claims()
    assert reader.attach(done) and all("frame" in c.__dict__ for c in done)


def test_off_keeps_nothing_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_FRAME_CACHE", "off")
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path))
    assert FrameReader().attach(claims())
    assert not list(tmp_path.rglob("*.sqlite3"))
    assert FrameReader().attach(claims(), parse=False) is False


def test_lemmas_come_from_the_tables_and_regular_morphology():
    assert "withdraw" in all_lemmas("withdrawing")["VERB"]
    assert all_lemmas("went")["VERB"] == ("go",)
    assert all_lemmas("nonexistentword") == {}
    assert oov_lemma("co-produced", "VERB") == "co-produce"
    assert oov_lemma("regionalised", "VERB") == "regionalise"
    assert oov_lemma("zorbing", "VERB") == "zorb"
    assert oov_lemma("texas", "NOUN") is None and oov_lemma("flurbs", "NOUN") == "flurb"
