"""The one interface compare, check and `factcheck db` use, whatever holds the claims.

Two backends implement it: the embedded store (SQLite + FAISS files in a directory, the
default) and Milvus (a distributed vector engine, for archives one machine cannot hold).
Commands never look behind it, so a `--db` URL switches backend without changing a command.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Protocol, Sequence, runtime_checkable

from ..claims import Claim
from ..errors import FactcheckError

APP_ID = "factcheck-claims-db"
WHERE_FIELDS = ("source", "speaker", "date", "id")


@dataclass(frozen=True)
class Hit:
    """A stored claim found by search, with its metadata inline (no second lookup)."""
    claim: Claim
    similarity: float


@dataclass(frozen=True)
class Record:
    """A stored claim with its embedding: what `db copy` moves between backends unchanged."""
    claim: Claim
    added_at: float


@dataclass(frozen=True)
class Condition:
    """`field=value` (exact) or `field=prefix*` (prefix): the filters both backends can push down."""
    field: str
    value: str
    prefix: bool = False


def parse_where(items: Iterable[str] | None) -> list[Condition]:
    """`--where source=desk-07/*` -> conditions, ANDed. Bad input is a one-line error."""
    out = []
    for item in items or []:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in WHERE_FIELDS:
            raise FactcheckError(f"--where expects FIELD=VALUE or FIELD=PREFIX* with FIELD one of "
                                 f"{', '.join(WHERE_FIELDS)}; got '{item}'")
        prefix = value.endswith("*")
        value = value[:-1] if prefix else value
        if "*" in value:
            raise FactcheckError(f"--where supports '*' only at the end of the value; got '{item}'")
        if not value and not prefix:
            raise FactcheckError(f"--where needs a value after '='; got '{item}'")
        out.append(Condition(name, value, prefix))
    return out


def matches(claim: Claim, conditions: Sequence[Condition]) -> bool:
    for c in conditions:
        have = getattr(claim, c.field) or ""
        if not (have.startswith(c.value) if c.prefix else have == c.value):
            return False
    return True


@runtime_checkable
class Store(Protocol):
    """What a claims database offers. Writes are idempotent by claim id, so any batch can be
    retried after a crash or a lost connection without duplicating a claim."""

    location: str  # what messages name: a directory or a URL without credentials

    @property
    def model(self) -> str | None: ...

    @property
    def dim(self) -> int | None: ...

    def bind_model(self, model: str, dim: int) -> None:
        """Record the embedding model on first write; refuse a different one afterwards."""

    def known_ids(self, ids: Sequence[str]) -> set[str]: ...

    def add_batch(self, claims: Sequence[Claim], vectors, added_at: Sequence[float] | None = None) -> int:
        """Store a batch atomically (embedded) or idempotently (Milvus: upsert by id); claims whose
        id is already stored are left as they are. Returns how many were new."""

    def remove(self, ids: Iterable[str]) -> int: ...

    def is_empty(self) -> bool: ...

    def count(self) -> int: ...

    def search(self, vectors, k: int, min_similarity: float | None = None,
               where: Sequence[Condition] = ()) -> list[list[Hit]]:
        """Top-k stored claims per query vector, best first, at or above the similarity floor."""

    def records(self) -> Iterator[dict]:
        """Every claim as a JSON-ready dict (no embedding): `db export`."""

    def iter_batches(self, batch_size: int = 1000) -> Iterator[tuple[list[Record], object]]:
        """Every claim with its embedding, in batches (records, float32 matrix): `db copy`."""

    def stats(self) -> dict: ...

    def verify(self) -> tuple[list[str], list[str]]:
        """(problems, notes): problems make `db verify` exit 1."""

    def after_add(self, ann_threshold: int | None = None, added: int = 1) -> None:
        """Bring the search index up to date after writes (embedded: append or rebuild FAISS)."""

    def rebuild(self, kind: str | None = None, ann_threshold: int | None = None) -> str:
        """Recreate the search index from stored embeddings (never re-encodes); says what it built."""

    def set_index_kind(self, kind: str) -> None: ...

    def close(self) -> None: ...


_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]+):")


def is_url(location: str) -> bool:
    """A scheme of two or more letters followed by ':' (so 'C:\\db' stays a path); 'milvus:' without
    slashes counts too, so a mistyped URL is an error, never a folder named after it."""
    m = _URL.match(str(location))
    return bool(m) and (str(location)[m.end():].startswith("//") or m.group("scheme").lower().startswith("milvus"))


def open_db(location: str, create: bool = False) -> Store:
    """`--db` value -> a store: a milvus:// URL or a directory of the embedded store."""
    location = str(location)
    if is_url(location):
        scheme = _URL.match(location).group("scheme").lower()
        if scheme not in ("milvus", "milvus+http", "milvus+https"):
            raise FactcheckError(f"unsupported database URL scheme '{scheme}://'; use a directory, "
                                 "milvus://host:port/collection or milvus+https://host:port/collection")
        from .milvus import MilvusStore

        return MilvusStore(location, create=create)
    from .embedded import EmbeddedStore

    return EmbeddedStore(location, create=create)


def writer_lock(location: str, timeout: float, say: Callable[[str], None] | None = None):
    """Serialise writers of an embedded store (a file lock, taken before the store is opened, as
    always); Milvus upserts by id, so its writers need none and nothing is created on disk."""
    if is_url(location):
        from contextlib import nullcontext

        return nullcontext()
    from pathlib import Path

    from .ingest import writer_lock as file_lock

    return file_lock(Path(location), timeout, say)


def exists(location: str) -> bool:
    """Whether a default location holds a database, without creating anything."""
    if is_url(location):
        return True  # a URL is always explicit; opening it says whether it is there
    import os
    from pathlib import Path

    from .store import DB_FILE

    return os.path.lexists(Path(location) / DB_FILE)  # a dangling link is there: opening it says what is wrong
