"""Quality of the two encoder backends side by side: the same rules and pairs, onnx vs torch.

Usage: .venv/bin/python bench/bench_backends.py DATA... (e.g. tests/data/heldout/news_test.jsonl
../shared/benchmarks/sick/test.jsonl). For each file and backend: precision, recall, F1, false
alarms, and how many pairs the two backends judge differently (and which way).
"""
from __future__ import annotations

import argparse
import json
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="+")
    ap.add_argument("--backends", default="onnx,torch")
    args = ap.parse_args()
    from factcheck import Checker
    from factcheck.evaluate import evaluate, load_pairs

    backends = args.backends.split(",")
    checkers = {b: Checker(backend=b) for b in backends}
    out = {}
    for path in args.data:
        pairs = load_pairs(path)
        row, flagged = {}, {}
        for b, checker in checkers.items():
            t = time.perf_counter()
            res = evaluate(pairs, checker)
            row[b] = {"precision": round(res.precision, 4), "recall": round(res.recall, 4), "f1": round(res.f1, 4),
                      "tp": res.tp, "fp": res.fp, "seconds": round(time.perf_counter() - t, 1)}
            flagged[b] = {r["id"] for r in res.false_positives} | (
                {p.id for p in pairs if p.label == "contradiction"} - {r["id"] for r in res.false_negatives})
        if len(backends) == 2:
            x, y = backends
            row["only_" + x] = len(flagged[x] - flagged[y])
            row["only_" + y] = len(flagged[y] - flagged[x])
        out[path] = row
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
