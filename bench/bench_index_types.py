"""Index types side by side on the same stored vectors: build time, recall@10 against exact
search, queries per second, and bytes per claim: the index file on disk, the memory it takes when
read whole (RSS growth of a fresh process), and what 1,000 queries page in when memory-mapped
(how factcheck opens it).

Usage: .venv/bin/python bench/bench_index_types.py [--size 100000]
Vectors: real MiniLM embeddings of generated sentences plus Gaussian noise (as in bench_db.py).
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path


_PROBE = """
import sys, faiss, numpy as np
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096
q = np.load(sys.argv[2]); before = rss()
ix = faiss.read_index(sys.argv[1], (faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY) if sys.argv[3] == "1" else 0)
if hasattr(ix, "nprobe"):
    ix.nprobe = 8
ix.search(q, 10)
print(rss() - before)
"""


def rss_growth(index_file: Path, queries: Path, mmap: bool) -> int:
    """Resident-memory growth of a fresh process that opens the index and runs the queries."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _PROBE, str(index_file), str(queries), "1" if mmap else "0"],
                         capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100000)
    args = ap.parse_args()
    import numpy as np

    from bench_db import sentences
    from factcheck.claims import Claim
    from factcheck.db.store import ClaimStore
    from factcheck.db.vindex import INDEX_FILE, VectorIndex, build_index
    from factcheck.embedding import Encoder

    enc = Encoder()
    base = enc.encode(sentences(4000, 2))
    rng = np.random.default_rng(0)
    d = Path(tempfile.mkdtemp(prefix="factcheck-ix-"))
    st = ClaimStore(d, create=True)
    st.bind_model(enc.name, enc.dim)
    for start in range(0, args.size, 20000):
        m = min(20000, args.size - start)
        v = base[rng.integers(0, len(base), m)] + rng.normal(0, 0.03, (m, enc.dim)).astype("float32")
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        st.add_batch([Claim(f"synthetic {start + i}", source="s") for i in range(m)], v)
    queries = enc.encode(sentences(1000, 3))
    out = {}
    qfile = d / "queries.npy"
    np.save(qfile, queries)
    for kind in ("flat", "ivf", "ivf-flat", "ivf-sq8", "hnsw"):
        t = time.perf_counter()
        meta = build_index(st, kind=kind)
        build = time.perf_counter() - t
        vi = VectorIndex(st)
        t = time.perf_counter()
        vi.search(queries, 10)
        q = time.perf_counter() - t
        out[meta.type] = {"claims": args.size, "build_s": round(build, 1), "recall_at_10": meta.recall_at_10,
                          "queries_per_s": round(len(queries) / q), "index_bytes_per_claim":
                          round((d / INDEX_FILE).stat().st_size / args.size, 1),
                          "memory_bytes_per_claim_read": round(rss_growth(d / INDEX_FILE, qfile, False) / args.size, 1),
                          "memory_bytes_per_claim_mmap_1000q": round(rss_growth(d / INDEX_FILE, qfile, True) / args.size, 1)}
        print(json.dumps(out[meta.type] | {"type": meta.type}), flush=True)
    st.close()
    shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    main()
