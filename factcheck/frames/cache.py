"""Frames already read, kept by (reader, text) so a sentence is parsed once, not once per run.

Parsing is the largest cost left in judging (spaCy: ~0.75 s to load, ~5,000 tokens/s), and the
same sentences come back all the time: a CI job re-checks the same claim files on every push, an
editor re-checks a draft in which most sentences did not change, `eval` re-reads its sets while
rules are tuned. Two layers: a bounded in-process memo (the service, the test suite) and a SQLite
file in the user cache (FACTCHECK_FRAME_CACHE: a file path, or `off`; default
<cache>/frames.sqlite3).

A frame depends on the code that builds it, so the key includes a digest of that code and the
versions of spaCy and of the pipeline: any change reads afresh, no version number to forget. The
cache is an optimisation only: an unreadable, locked or corrupt file is a miss, never an error,
and rows that do not decode are ignored.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .model import FRAME_VERSION, Frame

MEMO_SIZE = 100_000
MAX_ROWS = 500_000  # ~0.5-1 GB at most; beyond it the oldest half is dropped
# The modules a frame is built from (and the ones its builder may well come to use): a change to
# any of them reads every sentence afresh.
_SOURCES = ("quantities.py", "dates.py", "lexicon.py", "lemmas.py")


@lru_cache(maxsize=1)
def code_digest() -> str:
    from ..usercache import source_digest

    root = Path(__file__).resolve().parent.parent
    return source_digest([*sorted((root / "frames").glob("*.py")), *(root / rel for rel in _SOURCES)],
                         seed=str(FRAME_VERSION))


@lru_cache(maxsize=8)
def reader_key(parser: str) -> str:
    """What a frame depends on besides its text: our code, spaCy and the pipeline."""
    from importlib import metadata

    versions = []
    for dist in ("spacy", parser):
        try:
            versions.append(metadata.version(dist))
        except metadata.PackageNotFoundError:
            versions.append("?")
    return f"{parser}|{'|'.join(versions)}|{code_digest()}"


def cache_path() -> Path | None:
    from ..usercache import location

    return location("FACTCHECK_FRAME_CACHE", "frames.sqlite3")


class FrameCache:
    def __init__(self, parser: str) -> None:
        self.parser = parser
        self._memo: OrderedDict[str, Frame | None] = OrderedDict()
        self._lock = threading.Lock()
        self._disk: tuple[Path | None, sqlite3.Connection | None] | None = None
        self.hits = self.misses = 0  # texts looked up that were known / new (the service's /metrics)

    def __len__(self) -> int:
        return len(self._memo)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{reader_key(self.parser)}\n{text}".encode()).hexdigest()

    def lookup(self, texts: Iterable[str]) -> dict[str, Frame | None]:
        """Known texts: their frame, or None for a text seen before that no rule needed parsed
        (`mark_seen`), which tells a caller it probably need not load the parser for it."""
        found: dict[str, Frame | None] = {}
        rest = []
        texts = list(texts)
        total = len(texts)
        with self._lock:
            for t in texts:
                if t in self._memo:
                    self._memo.move_to_end(t)
                    found[t] = self._memo[t]
                else:
                    rest.append(t)
        if rest:
            from_disk = self._read(rest)
            self._remember(from_disk)
            found.update(from_disk)
        with self._lock:
            self.hits += len(found)
            self.misses += total - len(found)
        return found

    def put(self, frames: dict[str, Frame]) -> None:
        self._remember(frames)
        self._write({t: json.dumps(f.to_dict(), separators=(",", ":")) for t, f in frames.items()})

    def mark_seen(self, texts: Iterable[str]) -> None:
        with self._lock:
            new = [t for t in texts if t not in self._memo]
        self._remember(dict.fromkeys(new))
        self._write(dict.fromkeys(new, ""), replace=False)

    def _remember(self, frames: dict[str, Frame | None]) -> None:
        with self._lock:
            self._memo.update(frames)
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)

    # -- the SQLite file -------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection | None:
        path = cache_path()
        if self._disk is not None and self._disk[0] == path:
            return self._disk[1]
        conn = None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(path), timeout=2.0, check_same_thread=False, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("CREATE TABLE IF NOT EXISTS frames (key TEXT PRIMARY KEY, frame TEXT NOT NULL)")
            except (OSError, sqlite3.Error):
                conn = None
        self._disk = (path, conn)
        return conn

    def _read(self, texts: list[str]) -> dict[str, Frame | None]:
        out: dict[str, Frame | None] = {}
        with self._lock:
            conn = self._conn()
            if conn is None:
                return out
            keys = {self._key(t): t for t in texts}
            items = list(keys)
            try:
                for i in range(0, len(items), 500):
                    chunk = items[i:i + 500]
                    rows = conn.execute(f"SELECT key, frame FROM frames WHERE key IN ({','.join('?' * len(chunk))})",
                                        chunk).fetchall()
                    for key, raw in rows:
                        if raw == "":
                            out[keys[key]] = None
                            continue
                        try:
                            out[keys[key]] = Frame.from_dict(json.loads(raw))
                        except (ValueError, TypeError, KeyError, AttributeError):
                            continue  # a row from a damaged file: parse again
            except sqlite3.Error:
                return out
        return out

    def _write(self, rows_by_text: dict[str, str], replace: bool = True) -> None:
        """JSON frames ('' marks a text seen but not parsed: never replaces a frame)."""
        if not rows_by_text:
            return
        with self._lock:
            conn = self._conn()
            if conn is None:
                return
            rows = [(self._key(t), raw) for t, raw in rows_by_text.items()]
            try:
                conn.execute("BEGIN")
                conn.executemany(f"INSERT OR {'REPLACE' if replace else 'IGNORE'} INTO frames VALUES (?, ?)", rows)
                (count,) = conn.execute("SELECT max(rowid) - min(rowid) FROM frames").fetchone()
                if count and count > MAX_ROWS:
                    conn.execute("DELETE FROM frames WHERE rowid < (SELECT min(rowid) + ? FROM frames)", (MAX_ROWS // 2,))
                conn.execute("COMMIT")
            except sqlite3.Error:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
