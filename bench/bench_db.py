"""Claims-database benchmark.

1. Ingest: claims/s of `db add` logic (dedup check, encode, SQLite batch commit, index build)
   against raw `model.encode` on the same texts.
2. Check: time to check 1,000 new claims (encode + intra-run search + DB search + judging) against
   databases of 10k, 100k and 1M claims. The large databases are filled with synthetic vectors
   (real MiniLM embeddings of generated sentences plus Gaussian noise, re-normalised) stored
   through the same SQLite path; their texts are placeholders. Index: flat below 100k, IVF with
   half-precision vectors (sqrt(N) lists, nprobe 8) at and above, with recall@10 against exact
   search. Each check runs on fresh Claim objects (no cached features); median of --repeat runs.
3. Bytes per claim on disk (SQLite + index) and of the index file (what a fully loaded index holds
   in memory; the index is memory-mapped, so resident memory is what searches touch).

Usage: .venv/bin/python bench/bench_db.py [--sizes 10000,100000,1000000] [--ingest 2000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

PLACES = ["Kyiv", "Kharkiv", "Odesa", "Lviv", "Mariupol", "Chernihiv", "Sumy", "Dnipro", "Poltava", "Rivne"]
THINGS = ["households lost power", "people were evacuated", "buildings were damaged", "trains were cancelled",
          "schools were closed", "tonnes of grain were shipped", "refugees arrived", "soldiers were deployed"]
WHO = ["the governor said", "officials said", "according to the ministry", "the mayor told reporters"]


def sentences(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"In {rng.choice(PLACES)}, {rng.randrange(10, 90000)} {rng.choice(THINGS)} on day {i}, {rng.choice(WHO)}."
            for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--ingest", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import numpy as np

    from factcheck import Checker
    from factcheck.claims import Claim
    from factcheck.db.ingest import add_claims
    from factcheck.db.embedded import EmbeddedStore
    from factcheck.db.store import ClaimStore
    from factcheck.db.vindex import INDEX_FILE, VectorIndex, build_index

    tmp = Path(tempfile.mkdtemp(prefix="factcheck-dbbench-"))
    # An empty frame cache of its own: the first check of the new claims parses them (reported in
    # check_runs_s[0]); the later runs find their frames cached, as a CI re-run would.
    os.environ["FACTCHECK_FRAME_CACHE"] = str(tmp / "frames.sqlite3")
    checker = Checker()
    enc = checker.encoder
    enc.encode(["warm up"])
    out: dict = {}

    # 1. ingest
    texts = sentences(args.ingest, 1)
    t = time.perf_counter()
    enc.encode(texts)
    raw = time.perf_counter() - t
    claims = [Claim(x, source="bench.jsonl") for x in texts]
    store = EmbeddedStore(tmp / "ingest", create=True)
    t = time.perf_counter()
    add_claims(store, enc, claims, batch_size=256)
    ingest = time.perf_counter() - t
    out["ingest"] = {"claims": len(texts), "raw_encode_per_s": round(len(texts) / raw, 1),
                     "db_add_per_s": round(len(texts) / ingest, 1), "ratio": round(raw / ingest, 3)}
    print(json.dumps(out["ingest"]), flush=True)

    base = enc.encode(sentences(4000, 2))
    new_claims = [Claim(x, source="new.jsonl") for x in sentences(1000, 3)]
    rng = np.random.default_rng(0)
    for size in [int(s) for s in args.sizes.split(",") if s]:
        d = tmp / f"db{size}"
        st = ClaimStore(d, create=True)
        st.bind_model(enc.name, enc.dim)
        t = time.perf_counter()
        chunk = 20000
        for start in range(0, size, chunk):
            m = min(chunk, size - start)
            v = base[rng.integers(0, len(base), m)] + rng.normal(0, 0.03, (m, enc.dim)).astype("float32")
            v /= np.linalg.norm(v, axis=1, keepdims=True)
            st.add_batch([Claim(f"synthetic prior claim {start + i}", source="synthetic") for i in range(m)], v)
        fill = time.perf_counter() - t
        t = time.perf_counter()
        meta = build_index(st)
        build = time.perf_counter() - t
        st.close()
        t = time.perf_counter()
        st = ClaimStore(d)
        _vi = VectorIndex(st)  # opening (mmap) is what is timed
        open_s = time.perf_counter() - t
        st.close()
        # Checked through the Store interface, as `check --db` and the service open it: one store
        # kept open, so stored claims met again keep their features (a bare ClaimStore is wrapped
        # anew on every check, and its claims rebuilt: ~1 s of the 1M check).
        st = EmbeddedStore(d)
        checker.check_claims(new_claims[:50], store=st)  # warm: model, mmap of the touched lists
        checks, encodes, alone, findings = [], [], [], []
        for _ in range(args.repeat):  # this VM's speed drifts by ~15 %: report every run and the median
            fresh = [Claim(c.text, source=c.source) for c in new_claims]  # no features cached from earlier runs
            t = time.perf_counter()
            findings = checker.check_claims(fresh, store=st)
            checks.append(time.perf_counter() - t)
            t = time.perf_counter()
            checker.encoder.encode([c.text for c in new_claims])
            encodes.append(time.perf_counter() - t)
            fresh = [Claim(c.text, source=c.source) for c in new_claims]
            t = time.perf_counter()
            checker.check_claims(fresh)  # the same run without a database: what the DB adds is the difference
            alone.append(time.perf_counter() - t)
        check, encode_only = statistics.median(checks), statistics.median(encodes)
        disk = sum(p.stat().st_size for p in d.iterdir() if p.name.startswith("claims.sqlite") or p.name == INDEX_FILE)
        index_file = (d / INDEX_FILE).stat().st_size
        row = {"claims": size, "index": meta.type, "recall_at_10": meta.recall_at_10, "fill_s": round(fill, 1),
               "index_build_s": round(build, 1), "open_s": round(open_s, 3), "check_1000_s": round(check, 2), "check_runs_s": [round(x, 2) for x in checks], "of_which_encode_s": round(encode_only, 2),
               "same_check_without_db_s": round(statistics.median(alone), 2),
               "findings": len(findings), "bytes_per_claim_disk": round(disk / size, 1),
               "index_file_bytes_per_claim": round(index_file / size, 1)}
        out[f"db_{size}"] = row
        print(json.dumps(row), flush=True)
        st.close()
        shutil.rmtree(d)
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
