"""Scores already computed, by pair hash, so re-runs against the claims database do not re-score.

One SQLite file (no pickles): key = sha256(model fingerprint, premise, hypothesis), value = the
directional P(contradiction). A cache that cannot be opened or written is skipped, never fatal:
it only saves time.
"""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Iterable, Sequence

SCHEMA = "CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, p REAL NOT NULL)"


def pair_key(fingerprint: str, premise: str, hypothesis: str) -> str:
    return hashlib.sha256(f"{fingerprint}\0{premise}\0{hypothesis}".encode()).hexdigest()[:40]


class ScoreCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.memory: dict[str, float] = {}
        self.problem: str | None = None
        self._db: sqlite3.Connection | None = None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(str(path), timeout=10)
                self._db.execute(SCHEMA)
                self._db.commit()
            except (OSError, sqlite3.Error) as exc:
                self.problem = f"score cache off ({path}: {exc})"
                self._db = None

    def get_many(self, keys: Sequence[str]) -> dict[str, float]:
        found = {k: self.memory[k] for k in keys if k in self.memory}
        missing = [k for k in keys if k not in found]
        if self._db is not None and missing:
            try:
                for start in range(0, len(missing), 500):
                    part = missing[start:start + 500]
                    rows = self._db.execute(f"SELECT key, p FROM scores WHERE key IN ({','.join('?' * len(part))})",
                                            part).fetchall()
                    found.update(rows)
            except sqlite3.Error as exc:
                self.problem = f"score cache unreadable ({self.path}: {exc})"
                self._db = None
        self.memory.update(found)
        return found

    def put_many(self, items: Iterable[tuple[str, float]]) -> None:
        items = list(items)
        self.memory.update(items)
        if self._db is None or not items:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO scores (key, p) VALUES (?, ?)", items)
        except sqlite3.Error as exc:
            self.problem = f"score cache not written ({self.path}: {exc})"

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
