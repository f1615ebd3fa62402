"""SQLite store of claims and embeddings: transactional batches, WAL so readers see whole batches.

Layout of a DB directory:
  claims.sqlite   records, embeddings (float32 BLOBs) and meta (model, dim, schema version)
  index.faiss     derived vector index (may lag the records: the tail is searched exactly)
  index.json      what the index covers: type, rowid range, count, checksum, recall@10
  .lock           writers' file lock
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ..claims import Claim
from ..errors import FactcheckError

DB_FILE = "claims.sqlite"
APP_ID = "factcheck-claims-db"
SCHEMA_VERSION = 1
OURS = {DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", "index.faiss", "index.json", ".lock", "README.md",
        "index.faiss.tmp", "index.json.tmp"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS claims (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    speaker TEXT,
    date TEXT,
    start INTEGER, "end" INTEGER, line INTEGER,
    tags TEXT,
    added_at REAL NOT NULL,
    vec BLOB NOT NULL,
    checksum TEXT NOT NULL
);
"""
# Added after schema 1 (older databases gain them on their next write; reads select NULL until then):
# where the claim ends, its column, and its accepted findings (`ignore:` of claim files).
_LATER_COLUMNS = {"col": "INTEGER", "end_line": "INTEGER", "end_col": "INTEGER", "ignore": "TEXT"}
# Claim frames (factcheck.frames), kept so that checks never re-parse the archive. Additive: an
# older database gains the table on first open; rows are keyed by claim id and parser, and a
# frame layout change (FRAME_VERSION) makes old rows invisible rather than wrong.
_FRAMES_SCHEMA = """
CREATE TABLE IF NOT EXISTS frames (
    id TEXT NOT NULL,
    parser TEXT NOT NULL,
    version INTEGER NOT NULL,
    frame TEXT NOT NULL,
    PRIMARY KEY (id, parser)
);
"""


@dataclass
class StoredClaim:
    rowid: int
    claim: Claim
    added_at: float


def record_checksum(claim_id: str, text: str, vec: bytes) -> str:
    return hashlib.sha1(claim_id.encode() + b"\0" + text.encode() + b"\0" + vec).hexdigest()[:16]


def check_db_path(directory: str | Path, create: bool = False, write: bool = False) -> None:
    """Refuse a --db that cannot work before anything is read, created or locked: a regular file,
    a parent that cannot be written, a directory that cannot be read (or written, to add)."""
    import os
    import stat as st_

    d = Path(directory)
    name = str(d)
    try:
        st = os.stat(d)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise FactcheckError(f"cannot use as a claims database: {exc.strerror}", name) from None
    if st is None:
        if not create:
            raise FactcheckError("no claims database here; create one with 'factcheck db add'", name)
        anc = d.absolute().parent
        while not os.path.lexists(anc) and anc != anc.parent:
            anc = anc.parent
        if not anc.is_dir():
            raise FactcheckError(f"cannot create a claims database: '{anc}' is not a directory; nothing was created",
                                 name)
        if not os.access(anc, os.W_OK | os.X_OK):
            raise FactcheckError(f"cannot create a claims database: no permission to write in '{anc}'; nothing "
                                 "was created", name)
        return
    if not st_.S_ISDIR(st.st_mode):
        raise FactcheckError("--db must be a directory, but this is a file; nothing was changed", name)
    if not os.access(d, os.R_OK | os.X_OK):
        raise FactcheckError("cannot read the claims database directory: permission denied", name)
    db_file = d / DB_FILE
    if os.path.lexists(db_file):
        if not db_file.is_file():
            raise FactcheckError(f"{DB_FILE} here is not a regular file; nothing was changed", name)
        if not os.access(db_file, os.R_OK):
            raise FactcheckError(f"cannot read {DB_FILE}: permission denied", name)
        _check_ours(db_file)  # read-only look: a foreign or damaged file is refused before any lock or write
    if (write or create) and not (os.access(d, os.W_OK) and (not db_file.exists() or os.access(db_file, os.W_OK))):
        raise FactcheckError("the claims database is read-only here (no write permission); nothing was changed",
                             name)


def _check_ours(path: Path) -> None:
    try:
        ro = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=60)
        try:
            tables = {r[0] for r in ro.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            app = ro.execute("SELECT value FROM meta WHERE key='app'").fetchone() if "meta" in tables else None
        finally:
            ro.close()
    except sqlite3.DatabaseError as exc:
        raise FactcheckError(f"not a factcheck claims database ({exc}); nothing was changed", str(path))
    if tables and (not app or app[0] != APP_ID):
        raise FactcheckError("foreign SQLite file (not written by factcheck); nothing was changed", str(path))


CLAIM_CACHE = 20_000  # Claims with their features and frames: ~5 KB each


class ClaimStore:
    def __init__(self, directory: str | Path, create: bool = False) -> None:
        self.dir = Path(directory)
        self.path = self.dir / DB_FILE
        check_db_path(self.dir, create=create)
        if not self.path.exists():
            if not create:
                raise FactcheckError("no claims database here; create one with 'factcheck db add'", str(self.dir))
            if self.dir.exists() and not self.dir.is_dir():
                raise FactcheckError("not a directory", str(self.dir))
            self.dir.mkdir(parents=True, exist_ok=True)
        self.conn = self._connect(create)
        # The Claim of each row read, while its row is unchanged: a process that checks many
        # drafts against one archive (the service, a warm API) keeps their word features and
        # frames instead of recomputing them for every hit (~0.7 ms a claim).
        self._claims: OrderedDict[int, tuple[tuple, Claim]] = OrderedDict()

    def _connect(self, create: bool) -> sqlite3.Connection:
        if self.path.exists():
            self._check_ours()  # read-only look first: a foreign file is never touched
        try:
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            raise FactcheckError(f"not a factcheck claims database ({exc}); nothing was changed", str(self.path))
        if not tables:
            conn.executescript(_SCHEMA)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('app', ?)", (APP_ID,))
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        self._columns = {r[1] for r in conn.execute("PRAGMA table_info(claims)")}
        if create:
            for name, sql_type in _LATER_COLUMNS.items():
                if name not in self._columns:
                    conn.execute(f"ALTER TABLE claims ADD COLUMN {name} {sql_type}")
                    self._columns.add(name)
        if "frames" not in tables:
            try:
                conn.executescript(_FRAMES_SCHEMA)
            except sqlite3.OperationalError:  # read-only: frames are parsed, just not kept
                pass
        return conn

    def _later(self, name: str) -> str:
        """A column added after schema 1, or NULL on a database that does not have it yet."""
        return name if name in self._columns else "NULL"

    def _check_ours(self) -> None:
        _check_ours(self.path)

    def close(self) -> None:
        self.conn.close()

    # -- meta ---------------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta"))

    def bind_model(self, model: str, dim: int) -> None:
        """Record the embedding model on first add; refuse a different one afterwards."""
        m = self.meta()
        if "model" not in m:
            with self.transaction():
                self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('model', ?)", (model,))
                self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('dim', ?)", (str(dim),))
        elif m["model"] != model or int(m["dim"]) != dim:
            raise FactcheckError(f"database was built with model '{m['model']}' (dim {m['dim']}); refusing to add "
                                 f"vectors from '{model}' (dim {dim}). Use --model {m['model']} or a new --db",
                                 str(self.dir))

    def set_index_kind(self, kind: str) -> None:
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('index_kind', ?)", (kind,))

    @property
    def model(self) -> str | None:
        return self.meta().get("model")

    @property
    def dim(self) -> int | None:
        d = self.meta().get("dim")
        return int(d) if d else None

    # -- writes -------------------------------------------------------------------------------
    def transaction(self):
        return _Txn(self.conn)

    def add_batch(self, claims: Sequence[Claim], vectors, added_at: Sequence[float] | None = None) -> int:
        """Insert a batch atomically; claims already stored (same id) are skipped. Returns inserted.
        `added_at` keeps the original times when a database is copied from another backend."""
        import numpy as np

        vecs = np.ascontiguousarray(vectors, dtype="float32")
        times = list(added_at) if added_at is not None else [time.time()] * len(claims)
        rows = []
        for c, v, now in zip(claims, vecs, times):
            blob = v.tobytes()
            rows.append((c.id, c.text, c.source, c.speaker, c.date, c.start, c.end, c.line,
                         json.dumps(list(c.tags)) if c.tags else None, now, blob, record_checksum(c.id, c.text, blob),
                         c.column, c.end_line, c.end_column, json.dumps(c.ignore) if c.ignore else None))
        with self.transaction():
            before = self.conn.total_changes
            self.conn.executemany(
                'INSERT OR IGNORE INTO claims (id, text, source, speaker, date, start, "end", line, tags, added_at, '
                "vec, checksum, col, end_line, end_col, ignore) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            return self.conn.total_changes - before

    def put_frames(self, frames: dict[str, object], parser: str) -> None:
        """Store claims' frames (claim id -> Frame); existing rows for the same parser are replaced."""
        from ..frames.model import FRAME_VERSION

        rows = [(cid, parser, FRAME_VERSION, json.dumps(f.to_dict(), separators=(",", ":")))
                for cid, f in frames.items()]
        if rows:
            with self.transaction():
                self.conn.executemany("INSERT OR REPLACE INTO frames VALUES (?,?,?,?)", rows)

    def put_parsed_frames(self, parsed: Sequence[tuple[str, str, object]], parser: str) -> int:
        """Store frames parsed from (claim id, text, Frame) read earlier, for the claims whose id
        still holds that text: a claim removed (or replaced under its id) while its frame was being
        parsed gains no frame of words it no longer says. Returns how many were written."""
        from ..frames.model import FRAME_VERSION

        rows = [(cid, parser, FRAME_VERSION, json.dumps(f.to_dict(), separators=(",", ":")), cid, text)
                for cid, text, f in parsed]
        if not rows:
            return 0
        with self.transaction():
            before = self.conn.total_changes
            self.conn.executemany("INSERT OR REPLACE INTO frames SELECT ?, ?, ?, ? WHERE EXISTS "
                                  "(SELECT 1 FROM claims WHERE id = ? AND text = ?)", rows)
            return self.conn.total_changes - before

    def without_frames(self, parser: str, below_rowid: int | None = None, limit: int = 256
                       ) -> list[tuple[int, str, str]]:
        """(rowid, id, text) of claims with no current frame for `parser`, newest first, below
        `below_rowid`: the newest claims are the likeliest neighbours of the next draft."""
        from ..frames.model import FRAME_VERSION

        upto = below_rowid if below_rowid is not None else self.max_rowid() + 1
        return self.conn.execute(
            "SELECT c.rowid, c.id, c.text FROM claims c WHERE c.rowid < ? AND NOT EXISTS (SELECT 1 FROM frames f "
            "WHERE f.id = c.id AND f.parser = ? AND f.version = ?) ORDER BY c.rowid DESC LIMIT ?",
            (upto, parser, FRAME_VERSION, limit)).fetchall()

    def count_without_frames(self, parser: str) -> int:
        from ..frames.model import FRAME_VERSION

        return self.conn.execute("SELECT COUNT(*) FROM claims c WHERE NOT EXISTS (SELECT 1 FROM frames f "
                                 "WHERE f.id = c.id AND f.parser = ? AND f.version = ?)",
                                 (parser, FRAME_VERSION)).fetchone()[0]

    def drop_stale_frames(self, name: str, parser: str) -> int:
        """Forget the frames pipeline `name` read with other code or versions than `parser` (its
        full key), and frames of claims no longer stored: they are never read again."""
        from ..frames.model import FRAME_VERSION

        esc = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with self.transaction():
            before = self.conn.total_changes
            self.conn.execute("DELETE FROM frames WHERE (parser = ? OR parser LIKE ? ESCAPE '\\') "
                              "AND (parser != ? OR version != ?)", (name, esc + "|%", parser, FRAME_VERSION))
            self.conn.execute("DELETE FROM frames WHERE id NOT IN (SELECT id FROM claims)")
            return self.conn.total_changes - before

    def get_frames(self, ids: Sequence[str], parser: str) -> dict[str, object]:
        from ..frames.model import FRAME_VERSION, Frame

        out = {}
        ids = list(ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = f"SELECT id, frame FROM frames WHERE parser = ? AND version = ? AND id IN ({','.join('?' * len(chunk))})"
            for cid, blob in self.conn.execute(q, [parser, FRAME_VERSION, *chunk]):
                try:
                    out[cid] = Frame.from_dict(json.loads(blob))
                except (ValueError, TypeError, KeyError):
                    continue  # a damaged row is re-parsed, never trusted
        return out

    def remove(self, ids: Iterable[str]) -> int:
        ids = list(ids)
        with self.transaction():
            before = self.conn.total_changes
            self.conn.executemany("DELETE FROM claims WHERE id = ?", [(i,) for i in ids])
            removed = self.conn.total_changes - before
            # A claim stored again under this id may say something else: its old frame must go too.
            self.conn.executemany("DELETE FROM frames WHERE id = ?", [(i,) for i in ids])
            return removed

    # -- reads --------------------------------------------------------------------------------
    def count(self, after_rowid: int = 0) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM claims WHERE rowid > ?", (after_rowid,)).fetchone()[0]

    def max_rowid(self) -> int:
        return self.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM claims").fetchone()[0]

    def known_ids(self, ids: Sequence[str]) -> set[str]:
        out: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = list(ids[i:i + 500])
            q = f"SELECT id FROM claims WHERE id IN ({','.join('?' * len(chunk))})"
            out.update(r[0] for r in self.conn.execute(q, chunk))
        return out

    def vectors(self, after_rowid: int = 0, upto_rowid: int | None = None, batch: int = 50000
                ) -> Iterator[tuple[list[int], "object"]]:
        """Stored embeddings in rowid order, in batches: (rowids, float32 matrix)."""
        import numpy as np

        dim = self.dim or 0
        upto = upto_rowid if upto_rowid is not None else self.max_rowid()
        last = after_rowid
        while True:
            rows = self.conn.execute("SELECT rowid, vec FROM claims WHERE rowid > ? AND rowid <= ? ORDER BY rowid "
                                     "LIMIT ?", (last, upto, batch)).fetchall()
            if not rows:
                return
            ids = [r[0] for r in rows]
            mat = np.frombuffer(b"".join(r[1] for r in rows), dtype="float32").reshape(len(rows), dim)
            yield ids, mat
            last = ids[-1]

    def rowids_checksum(self, upto_rowid: int, like: str = "v2:") -> str:
        """Which rows the index covers, as a short digest. v2 aggregates inside SQLite (0.1 s at a
        million rows instead of 1.7 s for hashing every rowid in Python); `like` an unprefixed
        digest to recompute it the way an older index recorded it."""
        if like.startswith("v2:"):
            row = self.conn.execute("SELECT COUNT(*), COALESCE(SUM(rowid), 0), "
                                    "COALESCE(SUM((rowid * 2654435761) % 4294967311), 0) FROM claims WHERE rowid <= ?",
                                    (upto_rowid,)).fetchone()
            return "v2:" + hashlib.sha1(repr(tuple(row)).encode()).hexdigest()[:16]
        h = hashlib.sha1()
        for (rid,) in self.conn.execute("SELECT rowid FROM claims WHERE rowid <= ? ORDER BY rowid", (upto_rowid,)):
            h.update(rid.to_bytes(8, "little"))
        return h.hexdigest()[:16]

    def get(self, rowids: Sequence[int]) -> dict[int, StoredClaim]:
        out = {}
        rowids = [int(r) for r in rowids]
        for i in range(0, len(rowids), 500):
            chunk = rowids[i:i + 500]
            later = ", ".join(self._later(n) for n in _LATER_COLUMNS)
            q = (f'SELECT rowid, id, text, source, speaker, date, start, "end", line, tags, added_at, {later} '
                 f"FROM claims WHERE rowid IN ({','.join('?' * len(chunk))})")
            for r in self.conn.execute(q, chunk):
                known = self._claims.get(r[0])
                if known is not None and known[0] == r:
                    c = known[1]
                else:
                    c = Claim(text=r[2], source=r[3], speaker=r[4], date=r[5], id=r[1], start=r[6] or 0, end=r[7] or 0,
                              line=r[8], tags=tuple(json.loads(r[9])) if r[9] else (), column=r[11], end_line=r[12],
                              end_column=r[13], ignore=json.loads(r[14]) if r[14] else {})
                    self._claims[r[0]] = (r, c)
                    if len(self._claims) > CLAIM_CACHE:
                        self._claims.popitem(last=False)
                out[r[0]] = StoredClaim(r[0], c, r[10])
        return out

    def records(self) -> Iterator[dict]:
        cur = self.conn.execute('SELECT id, text, source, speaker, date, start, "end", line, tags, added_at '
                                "FROM claims ORDER BY rowid")
        for r in cur:
            yield {"id": r[0], "text": r[1], "source": r[2], "speaker": r[3], "date": r[4], "start": r[5],
                   "end": r[6], "line": r[7], "tags": json.loads(r[8]) if r[8] else [], "added_at": r[9]}

    def bad_checksums(self, limit: int = 10) -> list[str]:
        bad = []
        for cid, text, vec, ck in self.conn.execute("SELECT id, text, vec, checksum FROM claims"):
            if record_checksum(cid, text, vec) != ck or (self.dim and len(vec) != 4 * self.dim):
                bad.append(cid)
                if len(bad) >= limit:
                    break
        return bad

    def foreign_files(self) -> list[str]:
        return sorted(p.name for p in self.dir.iterdir() if p.name not in OURS and not p.name.startswith("."))


class _Txn:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False
