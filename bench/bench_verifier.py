"""Rules alone, verifier alone and combined on labelled test sets, and compare's throughput with a
verifier on two ~1,000-word articles.

Usage:
  .venv/bin/python bench/bench_verifier.py MODEL_DIR --set sick=PATH --set rte3=PATH ... \
      [--limit sick=1000] [--throughput] [--json out.json]

MODEL_DIR is a verifier directory (see README, "Learned verifier"), calibrated beforehand with
`factcheck verifier calibrate` on dev splits only; nothing here tunes anything. Data files are
passed by path (any format `factcheck eval` reads); --limit takes a seeded random sample of a
large set. Scores are cached in the model's score cache, so a re-run is fast; --throughput uses
a fresh, empty cache so the model really runs.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def parse_kv(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"bench_verifier: {what} expects NAME=VALUE, got {item!r}")
        out[key] = value
    return out


def quality(model_dir: Path, sets: dict[str, str], limits: dict[str, str]) -> dict:
    from factcheck import Checker
    from factcheck.evaluate import evaluate_with_verifier, load_pairs
    from factcheck.verifier import Verifier

    verifier = Verifier(model_dir)
    checker = Checker(verifier=verifier)
    report = {"verifier": verifier.describe().split(";")[0], "sets": {}}
    for name, path in sets.items():
        pairs = load_pairs(path)
        total = len(pairs)
        if name in limits and int(limits[name]) < total:
            order = list(pairs)
            random.Random(13).shuffle(order)  # a prefix of one fixed order: a larger --limit reuses cached scores
            pairs = order[:int(limits[name])]
        t = time.perf_counter()
        before = verifier.stats.scored
        res = evaluate_with_verifier(pairs, checker)
        row = {"pairs": len(pairs), "of": total, "seconds": round(time.perf_counter() - t, 1),
               "model_readings": verifier.stats.scored - before}
        for col, r in res.items():
            row[col] = {"precision": round(r.precision, 3), "recall": round(r.recall, 3), "f1": round(r.f1, 3),
                        "false_alarms": r.fp, "tp": r.tp, "fn": r.fn}
        report["sets"][name] = row
        print(render_row(name, row), flush=True)
    return report


def render_row(name: str, row: dict) -> str:
    sample = f" (sample of {row['of']})" if row["pairs"] < row["of"] else ""
    out = [f"{name}: {row['pairs']} pairs{sample}, {row['seconds']}s, {row['model_readings']} new model readings"]
    for col in ("rules", "verifier", "combined"):
        c = row[col]
        out.append(f"  {col:<9} P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}  "
                   f"false alarms {c['false_alarms']}")
    return "\n".join(out)


def throughput(model_dir: Path) -> dict:
    """compare on two generated ~1,000-word articles (bench_compare's), rules only vs with the
    verifier, the verifier with an empty score cache and then with the cache it filled."""
    from bench_compare import article

    from factcheck import Checker
    from factcheck.textio import read_document
    from factcheck.verifier import Verifier

    tmp = Path(tempfile.mkdtemp(prefix="factcheck-bench-verifier-"))
    a, b = tmp / "a.md", tmp / "b.txt"
    a.write_text(article(1, ROOT / "examples" / "moscow_briefing.md"), encoding="utf-8")
    b.write_text(article(2, ROOT / "examples" / "washington_briefing.txt"), encoding="utf-8")
    da, db = read_document(a), read_document(b)
    rules_only = Checker()
    rules_only.compare_documents(da, db)  # model load and warm-up out of the timings
    t = time.perf_counter()
    base = rules_only.compare_documents(da, db)
    rules_wall = time.perf_counter() - t
    out = {"words": [len(a.read_text().split()), len(b.read_text().split())],
           "claims": [len(base.claims_a), len(base.claims_b)], "rules_only_s": round(rules_wall, 2),
           "rules_only_findings": len(base.findings)}
    cache = tmp / "scores.sqlite"
    for label in ("cold_cache", "warm_cache"):
        v = Verifier(model_dir, cache=cache)
        checker = Checker(verifier=v)
        checker.encoder  # noqa: B018
        t = time.perf_counter()
        res = checker.compare_documents(da, db)
        wall = time.perf_counter() - t
        out[label] = {"wall_s": round(wall, 2), "pairs": v.stats.pairs, "model_readings": v.stats.scored,
                      "verifier_s": round(v.stats.seconds, 2),
                      "pairs_per_s": round(v.stats.pairs / v.stats.seconds, 1) if v.stats.seconds else None,
                      "findings": len(res.findings),
                      "verifier_findings": sum(1 for f in res.findings if f.kind == "verifier")}
        print(f"{label}: {json.dumps(out[label])}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("--set", action="append", default=[], help="NAME=PATH of a labelled test set (repeatable)")
    ap.add_argument("--limit", action="append", default=[], help="NAME=N: a seeded sample of N pairs")
    ap.add_argument("--throughput", action="store_true", help="also time compare on two ~1,000-word articles")
    ap.add_argument("--json", type=Path, help="write the report here")
    args = ap.parse_args()
    report = quality(args.model_dir, parse_kv(args.set, "--set"), parse_kv(args.limit, "--limit"))
    if args.throughput:
        report["throughput"] = throughput(args.model_dir)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
