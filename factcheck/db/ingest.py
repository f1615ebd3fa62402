"""Adding claims to the DB: gather, skip what is stored, encode and commit in batches, re-index.

Each batch is one SQLite transaction, so a kill loses at most the batch in flight; re-running the
same add skips stored ids (no re-encoding) and completes the rest.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..claims import Claim, extract_claims
from ..errors import FactcheckError
from ..paths import expand_paths
from .base import Store

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".text")
DEFAULT_LOCK_TIMEOUT = 600.0


@dataclass
class AddReport:
    seen: int = 0
    added: int = 0
    skipped: int = 0
    batches: int = 0


def gather_claims(paths: Iterable[str | Path]) -> Iterator[Claim]:
    from ..claimfile import is_claim_file, load_claim_file
    from ..textio import read_document

    for p in expand_paths(paths, ARTICLE_SUFFIXES + (".yaml", ".yml", ".json", ".jsonl")):
        if is_claim_file(p):
            yield from load_claim_file(p)
        else:
            yield from extract_claims(read_document(p))


@contextmanager
def writer_lock(directory: Path, timeout: float = DEFAULT_LOCK_TIMEOUT, say: Callable[[str], None] | None = None):
    """Serialise writers: the second waits (saying so) up to `timeout` seconds."""
    from filelock import FileLock, Timeout

    directory.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(directory / ".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        (say or (lambda m: print(m, file=sys.stderr)))(
            f"factcheck: another writer holds {directory / '.lock'}; waiting up to {timeout:.0f}s ...")
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise FactcheckError(f"timed out after {timeout:.0f}s waiting for the database lock", str(directory))
    try:
        yield
    finally:
        lock.release()


def add_claims(store: Store, encoder, claims: list[Claim], batch_size: int = 256,
               progress: Callable[[int], None] | None = None, ann_threshold: int | None = None) -> AddReport:
    store.bind_model(encoder.name, encoder.dim)
    report = AddReport(seen=len(claims))
    unique: dict[str, Claim] = {}
    for c in claims:
        unique.setdefault(c.id, c)
    known = store.known_ids(list(unique))
    todo = [c for cid, c in unique.items() if cid not in known]
    report.skipped = len(claims) - len(todo)
    for i in range(0, len(todo), batch_size):
        batch = todo[i:i + batch_size]
        vecs = encoder.encode([c.text for c in batch])
        report.added += store.add_batch(batch, vecs)
        report.batches += 1
        if progress:
            progress(len(batch))
    store.after_add(ann_threshold, added=report.added)
    return report
