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
    skipped: int = 0      # already stored before this add
    duplicates: int = 0   # the same claim (id) more than once in this input
    batches: int = 0


def gather_claims(paths: Iterable[str | Path]) -> Iterator[Claim]:
    from ..claimfile import is_claim_file, load_claim_file
    from ..textio import read_document

    from ..textio import STDIN, STDIN_NAME, decode_bytes, document_from_text, read_stdin

    paths = list(paths)
    if any(str(p) == STDIN for p in paths):
        from ..claimfile import load_claim_text, looks_like_claims

        text, _ = decode_bytes(read_stdin(), STDIN_NAME)
        yield from (load_claim_text(text, STDIN_NAME) if looks_like_claims(text)
                    else extract_claims(document_from_text(text, STDIN_NAME)))
        paths = [p for p in paths if str(p) != STDIN]
    for p in expand_paths(paths, ARTICLE_SUFFIXES + (".yaml", ".yml", ".json", ".jsonl")):
        if is_claim_file(p):
            yield from load_claim_file(p)
        else:
            yield from extract_claims(read_document(p))


@contextmanager
def writer_lock(directory: Path, timeout: float = DEFAULT_LOCK_TIMEOUT, say: Callable[[str], None] | None = None):
    """Serialise writers: the second waits (saying so) up to `timeout` seconds."""
    from filelock import FileLock, Timeout

    from .store import check_db_path

    check_db_path(directory, create=True, write=True)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FactcheckError(f"cannot create the claims database directory: {exc.strerror}", str(directory)) from None
    lock = FileLock(str(directory / ".lock"))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            (say or (lambda m: print(m, file=sys.stderr)))(
                f"factcheck: another writer holds {directory / '.lock'}; waiting up to {timeout:.0f}s ...")
            try:
                lock.acquire(timeout=timeout)
            except Timeout:
                raise FactcheckError(f"timed out after {timeout:.0f}s waiting for the database lock", str(directory))
    except FactcheckError:
        raise
    except OSError as exc:  # filelock's Timeout is an OSError too, hence the nesting
        raise FactcheckError(f"cannot take the database lock: {exc.strerror}", str(directory / ".lock")) from None
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
    report.duplicates = len(claims) - len(unique)
    report.skipped = len(unique) - len(todo)
    if progress and len(claims) > len(todo):
        progress(len(claims) - len(todo))  # stored and repeated claims count as done at once
    for batch, vecs in _encoded_batches(encoder, todo, batch_size):
        report.added += store.add_batch(batch, vecs)
        report.batches += 1
        if progress:
            progress(len(batch))
    store.after_add(ann_threshold, added=report.added)
    return report


ENCODE_WINDOW = 2048  # claims encoded per call at most: the encoder sorts them by length within it


def _encoded_batches(encoder, claims: list[Claim], batch_size: int):
    """(batch, vectors) in input order, encoding the next window while the caller writes this one.

    Why: the encoder pads each of its batches to the longest text and sorts by length only within
    one call, so a call per 256-claim write batch padded more than one call over the whole input
    (bench_db measured db add at 0.82 of the raw encoder rate); and a background thread lets
    the encoder (onnxruntime releases the GIL) work while SQLite and the index take the last batch.
    A window is a few write batches, so a kill still loses only batches not yet committed."""
    from concurrent.futures import ThreadPoolExecutor

    window = max(batch_size, min(ENCODE_WINDOW, batch_size * 8))
    spans = [claims[i:i + window] for i in range(0, len(claims), window)]
    if not spans:
        return
    with ThreadPoolExecutor(1, thread_name_prefix="factcheck-encode") as pool:
        ahead = pool.submit(encoder.encode, [c.text for c in spans[0]])
        for k, span in enumerate(spans):
            vecs = ahead.result()
            if k + 1 < len(spans):
                ahead = pool.submit(encoder.encode, [c.text for c in spans[k + 1]])
            for i in range(0, len(span), batch_size):
                yield span[i:i + batch_size], vecs[i:i + batch_size]
