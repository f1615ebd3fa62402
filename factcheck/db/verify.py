"""Consistency checks between records, embeddings and the index."""
from __future__ import annotations

from .store import ClaimStore
from .vindex import INDEX_FILE, VectorIndex, read_meta


def verify_db(store: ClaimStore) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    notes: list[str] = []
    ok = store.conn.execute("PRAGMA quick_check").fetchone()[0]
    if ok != "ok":
        problems.append(f"SQLite integrity check failed: {ok}")
    n = store.count()
    notes.append(f"{n} claims; model {store.model} (dim {store.dim})")
    bad = store.bad_checksums()
    if bad:
        problems.append(f"{len(bad)}+ records fail their checksum (e.g. {bad[0]})")
    meta = read_meta(store.dir)
    if meta is None:
        if n:
            # A kill before the first index build: consistent, only slower. Search covers it exactly.
            notes.append(f"no index yet: all {n} claims are searched exactly; 'factcheck db rebuild' builds one")
        return problems, notes
    index = VectorIndex(store).index
    if index is None:
        problems.append(f"{INDEX_FILE} is missing")
        return problems, notes
    if index.ntotal != meta.count:
        problems.append(f"index holds {index.ntotal} vectors but its metadata says {meta.count}")
    if meta.model != (store.model or "") or meta.dim != store.dim:
        problems.append(f"index was built for {meta.model} dim {meta.dim}, records are {store.model} dim {store.dim}")
    if store.rowids_checksum(meta.upto_rowid, like=meta.rowids_checksum) != meta.rowids_checksum:
        problems.append("indexed claims differ from stored claims (removed or replaced records)")
    tail = n - meta.count
    if tail > 0 and not problems:
        notes.append(f"{tail} claims added after the last index build are searched exactly")
    for f in store.foreign_files():
        notes.append(f"note: unexpected file in database directory: {f}")
    return problems, notes
