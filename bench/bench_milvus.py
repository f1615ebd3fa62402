"""Embedded store vs Milvus at 100k claims, in one run: ingest rate, the store part of checking
1,000 claims (one top-k search with metadata inline) and recall@5 against exact search.

Vectors are synthetic (clustered, unit length, 384-d like MiniLM) because the store is under test,
not the encoder; queries are stored vectors moved a little, as new claims close to old ones are.

    bash scripts/milvus-server start /tmp/milvus-bench        # prints milvus://127.0.0.1:PORT/
    FACTCHECK_TEST_MILVUS=milvus://127.0.0.1:PORT/ FACTCHECK_TEST_MILVUS_DATA=/tmp/milvus-bench \\
        flock /tmp/fc-heavy.lock .venv/bin/python bench/bench_milvus.py [--claims 100000]

Writes bench/results/bench_milvus.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path


def vectors(n: int, dim: int, seed: int, centers: int = 2000):
    import numpy as np

    rng = np.random.default_rng(seed)
    c = rng.normal(size=(centers, dim)).astype("float32")
    x = c[rng.integers(0, centers, size=n)] + 0.35 * rng.normal(size=(n, dim)).astype("float32")
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype("float32")


def claims(n: int):
    from factcheck.claims import Claim

    return [Claim(f"synthetic claim number {i}", source=f"desk-{i % 20:02d}/story-{i // 20}.md", id=f"b{i}")
            for i in range(n)]


def recall(got: list[list[str]], exact, k: int) -> float:
    hits = sum(len(set(g[:k]) & set(e[:k])) for g, e in zip(got, exact))
    return round(hits / (len(exact) * k), 4)


def run_store(store, cl, xb, queries, k: int, batch: int, wait_indexed=None) -> dict:
    t = time.perf_counter()
    store.bind_model("synthetic-384", xb.shape[1])
    for i in range(0, len(cl), batch):
        store.add_batch(cl[i:i + batch], xb[i:i + batch])
    t_write = time.perf_counter() - t
    store.after_add(added=len(cl))
    if wait_indexed:
        wait_indexed()
    t_all = time.perf_counter() - t
    store.search(queries[:10], k)  # warm: load, connections, caches
    lat = []
    for _ in range(3):
        t = time.perf_counter()
        res = store.search(queries, k)
        lat.append(time.perf_counter() - t)
    return {"claims": len(cl), "write_s": round(t_write, 2), "ingest_incl_index_s": round(t_all, 2),
            "ingest_per_s": round(len(cl) / t_all, 1), "check_1k_search_s": round(min(lat), 3),
            "check_1k_search_s_all": [round(x, 3) for x in lat], "ids": [[h.claim.id for h in r] for r in res]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("-k", type=int, default=5)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--milvus", default=os.environ.get("FACTCHECK_TEST_MILVUS", ""))
    args = ap.parse_args()
    if not args.milvus:
        raise SystemExit("set FACTCHECK_TEST_MILVUS=milvus://127.0.0.1:PORT/ (scripts/milvus-server start DIR)")
    import numpy as np

    from factcheck.db.embedded import EmbeddedStore
    from factcheck.db.milvus import MilvusStore

    xb = vectors(args.claims, 384, 0)
    rng = np.random.default_rng(1)
    q = xb[rng.choice(len(xb), size=args.queries, replace=False)] + 0.05 * rng.normal(size=(args.queries, 384))
    q = (q / np.linalg.norm(q, axis=1, keepdims=True)).astype("float32")
    cl = claims(args.claims)
    t = time.perf_counter()
    exact_idx = np.argsort(-(q @ xb.T), axis=1)[:, :args.k]
    exact = [[cl[j].id for j in row] for row in exact_idx]
    out: dict = {"claims": args.claims, "queries": args.queries, "k": args.k, "dim": 384,
                 "exact_numpy_s": round(time.perf_counter() - t, 3)}

    tmp = Path(tempfile.mkdtemp(prefix="factcheck-milvusbench-"))
    try:
        emb = EmbeddedStore(tmp / "db", create=True)
        r = run_store(emb, cl, xb, q, args.k, args.batch)
        r["recall_at_5"] = recall(r.pop("ids"), exact, args.k)
        r["index"] = emb.stats()["index"]["type"]
        r["bytes_on_disk"] = emb.stats()["bytes_on_disk"]
        emb.close()
        out["embedded"] = r
        print("embedded", json.dumps(r), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    coll = f"bench_{uuid.uuid4().hex[:8]}"
    store = MilvusStore(args.milvus.rstrip("/") + "/" + coll, create=True)

    def wait_indexed():
        store.client.flush(coll)
        deadline = time.time() + 1800
        while time.time() < deadline:
            ix = store._index() or {}
            if int(ix.get("indexed_rows", 0)) >= args.claims and int(ix.get("pending_index_rows", 0)) == 0:
                return
            time.sleep(1)

    try:
        r = run_store(store, cl, xb, q, args.k, args.batch, wait_indexed)
        r["recall_at_5"] = recall(r.pop("ids"), exact, args.k)
        st = store.stats()
        r["index"] = {"type": st["index"]["type"], "params": st["index"]["params"]}
        data = os.environ.get("FACTCHECK_TEST_MILVUS_DATA")
        if data and Path(data, "milvus.pid").exists():
            pid = Path(data, "milvus.pid").read_text().strip()
            rss = [ln for ln in Path(f"/proc/{pid}/status").read_text().splitlines() if ln.startswith("VmRSS")]
            r["server_rss_mib"] = round(int(rss[0].split()[1]) / 1024, 1) if rss else None
            du = subprocess.run(["du", "-sb", str(Path(data) / "data")], capture_output=True, text=True).stdout
            r["server_data_bytes"] = int(du.split()[0]) if du else None
        out["milvus"] = r
        print("milvus", json.dumps(r), flush=True)
    finally:
        try:
            store.client.drop_collection(coll)
        finally:
            store.close()
    res = Path(__file__).parent / "results"
    res.mkdir(exist_ok=True)
    (res / "bench_milvus.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
