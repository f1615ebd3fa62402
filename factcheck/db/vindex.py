"""The FAISS index over stored embeddings: exact (flat) for small DBs, IVF above a threshold.

The index covers rowids up to `upto_rowid`; claims added after it (a kill before the index was
rewritten, or a large add in progress) are searched exactly from SQLite, so results are always
complete and the index is an accelerator, never the source of truth. Files are replaced
atomically (write, fsync, rename).
"""
from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import FactcheckError
from .store import ClaimStore

INDEX_FILE = "index.faiss"
META_FILE = "index.json"
DEFAULT_ANN_THRESHOLD = 100_000
DEFAULT_NPROBE = 8


@dataclass
class IndexMeta:
    type: str
    count: int
    upto_rowid: int
    rowids_checksum: str
    dim: int
    model: str
    nlist: int = 0
    nprobe: int = 0
    recall_at_10: float | None = None
    built_at: float = 0.0
    recall_measured_at: int = 0  # claims in the index when recall was measured (appends keep it)


def _atomic_write(path: Path, data) -> None:
    """Write bytes (or call data(tmp_path) to write them) to a temporary file, fsync, rename."""
    tmp = path.with_name(path.name + ".tmp")
    if callable(data):
        data(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
    else:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    os.replace(tmp, path)


# --index choices -> (FAISS IVF storage, recorded type). Half-precision vectors are the default
# approximate index: recall@10 matches full precision (0.997 vs 0.999 at 1M) while a scan reads
# half the bytes, and the index file is half the size. 8-bit codes quarter it at some recall.
IVF_KINDS = {"ivf": ("SQfp16", "ivf-fp16"), "ivf-flat": ("Flat", "ivf-flat"), "ivf-sq8": ("SQ8", "ivf-sq8")}
INDEX_KINDS = ("auto", "flat", *IVF_KINDS, "hnsw")


def build_index(store: ClaimStore, ann_threshold: int = DEFAULT_ANN_THRESHOLD, nprobe: int = DEFAULT_NPROBE,
                kind: str = "auto") -> IndexMeta | None:
    import faiss
    import numpy as np

    dim = store.dim
    if not dim:
        return None
    if kind == "auto":
        kind = store.meta().get("index_kind", "auto")  # a kind chosen once with --index sticks
    upto = store.max_rowid()
    ids, mats = [], []
    for rids, mat in store.vectors(upto_rowid=upto):
        ids.extend(rids)
        mats.append(mat)
    n = len(ids)
    xb = np.vstack(mats) if mats else np.zeros((0, dim), dtype="float32")
    idarr = np.asarray(ids, dtype="int64")
    if kind == "auto" or not n:  # nothing to train IVF lists on: an empty flat index
        kind = "ivf" if n >= ann_threshold and n else "flat"
    nlist = 0
    if kind == "hnsw":
        # Graph index: fast queries, slow builds (about 78 s per million vectors here), no training.
        graph = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efSearch = 64
        index = faiss.IndexIDMap2(graph)
        if n:
            index.add_with_ids(xb, idarr)
        itype = "hnsw"
    elif kind in IVF_KINDS:
        storage, itype = IVF_KINDS[kind]
        nlist = max(1, int(math.sqrt(n)))
        index = faiss.index_factory(dim, f"IVF{nlist},{storage}", faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(0)
        sample = xb[rng.choice(n, size=min(n, nlist * 64), replace=False)] if n else xb
        index.train(sample)
        index.add_with_ids(xb, idarr)
        index.nprobe = nprobe
    else:
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        if n:
            index.add_with_ids(xb, idarr)
        itype = "flat"
    approximate = itype != "flat"
    recall = measure_recall(index, xb, idarr) if approximate and n else (1.0 if n else None)
    meta = IndexMeta(type=itype, count=n, upto_rowid=upto, rowids_checksum=store.rowids_checksum(upto), dim=dim,
                     model=store.model or "", nlist=nlist, nprobe=nprobe if nlist else 0, recall_at_10=recall,
                     built_at=time.time(), recall_measured_at=n)
    _write(store, index, meta)
    return meta


def _write(store: ClaimStore, index, meta: IndexMeta) -> None:
    # Index first, then metadata: a kill in between leaves metadata that undercounts, which search
    # tolerates (the extra rows are found twice and merged) and verify reports for a rebuild.
    import faiss

    # FAISS streams straight to the file: serialize_index into memory took 5 s at a million claims.
    _atomic_write(store.dir / INDEX_FILE, lambda tmp: faiss.write_index(index, str(tmp)))
    _atomic_write(store.dir / META_FILE, json.dumps(asdict(meta), indent=2).encode())


def _wanted_type(store: ClaimStore, n: int, ann_threshold: int) -> str:
    kind = store.meta().get("index_kind", "auto")
    if kind == "auto":
        kind = "ivf" if n >= ann_threshold else "flat"
    return IVF_KINDS[kind][1] if kind in IVF_KINDS else kind


def update_index(store: ClaimStore, ann_threshold: int = DEFAULT_ANN_THRESHOLD, nprobe: int = DEFAULT_NPROBE
                 ) -> IndexMeta | None:
    """Append the claims added since the last build to the index, rebuilding only when appending
    is not sound: no index yet, rows removed, another type now due (the size crossed the
    threshold, --index changed), or an IVF index that has more than doubled since its lists were
    trained. At a million claims an append of a few thousand takes seconds; a rebuild takes ~50 s."""
    import faiss

    meta = read_meta(store.dir)
    path = store.dir / INDEX_FILE
    if meta is None or not path.exists() or meta.dim != store.dim or meta.model != (store.model or ""):
        return build_index(store, ann_threshold, nprobe)
    upto = store.max_rowid()
    if upto == meta.upto_rowid:
        return meta
    total = meta.count + store.count(after_rowid=meta.upto_rowid)  # counted, not read: a rebuild reads all anyway
    if (_wanted_type(store, total, ann_threshold) != meta.type or (meta.nlist and total > 2 * meta.recall_measured_at)
            or store.rowids_checksum(meta.upto_rowid, like=meta.rowids_checksum) != meta.rowids_checksum):
        return build_index(store, ann_threshold, nprobe)
    try:
        index = faiss.read_index(str(path))
    except RuntimeError:
        return build_index(store, ann_threshold, nprobe)
    if index.ntotal != meta.count:
        return build_index(store, ann_threshold, nprobe)
    import numpy as np

    for rids, mat in store.vectors(after_rowid=meta.upto_rowid, upto_rowid=upto):
        index.add_with_ids(mat, np.asarray(rids, dtype="int64"))
    meta.count, meta.upto_rowid, meta.rowids_checksum = total, upto, store.rowids_checksum(upto)
    _write(store, index, meta)
    return meta


def measure_recall(index, xb, ids, queries: int = 200, k: int = 10) -> float:
    """recall@10 of the index against exact search, on stored vectors used as queries."""
    import numpy as np

    rng = np.random.default_rng(1)
    q = xb[rng.choice(len(xb), size=min(queries, len(xb)), replace=False)]
    exact = np.argsort(-(q @ xb.T), axis=1)[:, :k]
    _, got = index.search(q, k)
    hits = sum(len(set(ids[exact[i]]) & set(got[i])) for i in range(len(q)))
    return round(hits / (len(q) * min(k, len(xb))), 4)


def read_meta(directory: Path) -> IndexMeta | None:
    p = directory / META_FILE
    if not p.exists():
        return None
    try:
        return IndexMeta(**json.loads(p.read_text()))
    except (ValueError, TypeError) as exc:
        raise FactcheckError(f"index metadata is corrupt ({exc}); run 'factcheck db rebuild'", str(p))


class VectorIndex:
    """Search = FAISS over the indexed prefix + exact search over the not-yet-indexed tail."""

    def __init__(self, store: ClaimStore, mmap: bool = True) -> None:
        self.store = store
        self.meta = read_meta(store.dir)
        self.index = None
        path = store.dir / INDEX_FILE
        if self.meta is not None and path.exists():
            import faiss

            try:
                flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mmap else 0
                try:
                    self.index = faiss.read_index(str(path), flags)
                except RuntimeError:
                    self.index = faiss.read_index(str(path))
            except RuntimeError as exc:
                raise FactcheckError(f"index file is corrupt ({str(exc).splitlines()[0][:120]}); "
                                     "run 'factcheck db rebuild'", str(path))
            if self.meta.nprobe and hasattr(self.index, "nprobe"):
                self.index.nprobe = self.meta.nprobe
            if self.meta.type == "hnsw":
                faiss.downcast_index(self.index.index).hnsw.efSearch = 64

    @property
    def upto(self) -> int:
        return self.meta.upto_rowid if (self.meta and self.index is not None) else 0

    def search(self, queries, k: int = 10) -> list[list[tuple[int, float]]]:
        import numpy as np

        nq = len(queries)
        results: list[dict[int, float]] = [dict() for _ in range(nq)]
        if nq == 0:
            return []
        k = max(1, int(k))
        if self.index is not None and self.index.ntotal:
            # FAISS allocates nq x k results up front: never ask for more neighbours than are stored.
            sims, ids = self.index.search(np.ascontiguousarray(queries, dtype="float32"), min(k, self.index.ntotal))
            for qi in range(nq):
                for s, i in zip(sims[qi], ids[qi]):
                    if i >= 0:
                        results[qi][int(i)] = float(s)
        for rids, mat in self.store.vectors(after_rowid=self.upto):
            sims = queries @ mat.T
            top = np.argsort(-sims, axis=1)[:, :k]
            for qi in range(nq):
                for j in top[qi]:
                    results[qi][rids[j]] = float(sims[qi, j])
        return [sorted(r.items(), key=lambda x: -x[1])[:k] for r in results]
