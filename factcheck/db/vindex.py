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


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


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
    use_ivf = kind == "ivf" or (kind == "auto" and n >= ann_threshold)
    if kind == "hnsw":
        # Graph index: fast queries, slow builds (about 78 s per million vectors here), no training.
        graph = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efSearch = 64
        index = faiss.IndexIDMap2(graph)
        if n:
            index.add_with_ids(xb, idarr)
        itype, nlist, use_ivf = "hnsw", 0, False
    elif use_ivf:
        nlist = max(1, int(math.sqrt(n)))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(0)
        sample = xb[rng.choice(n, size=min(n, nlist * 64), replace=False)] if n else xb
        index.train(sample)
        index.add_with_ids(xb, idarr)
        index.nprobe = nprobe
        itype = "ivf-flat"
    else:
        nlist = 0
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        if n:
            index.add_with_ids(xb, idarr)
        itype = "flat"
    approximate = use_ivf or itype == "hnsw"
    recall = measure_recall(index, xb, idarr) if approximate and n else (1.0 if n else None)
    data = faiss.serialize_index(index)
    meta = IndexMeta(type=itype, count=n, upto_rowid=upto, rowids_checksum=store.rowids_checksum(upto), dim=dim,
                     model=store.model or "", nlist=nlist, nprobe=nprobe if use_ivf else 0, recall_at_10=recall,
                     built_at=time.time())
    _atomic_write(store.dir / INDEX_FILE, data.tobytes())
    _atomic_write(store.dir / META_FILE, json.dumps(asdict(meta), indent=2).encode())
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
        if self.index is not None and self.index.ntotal:
            sims, ids = self.index.search(np.ascontiguousarray(queries, dtype="float32"), k)
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
