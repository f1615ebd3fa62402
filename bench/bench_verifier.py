"""Rules alone, verifier alone and combined on labelled test sets, and compare's throughput with a
verifier on two ~1,000-word articles.

The whole measurement, reproducibly, in one command (calibration on the dev splits, then the
test splits, then throughput; scores are cached by pair hash, so a re-run only scores pairs it
has never seen, and only the throughput's cold run really runs the model):

  FACTCHECK_VERIFIER_CACHE=SCORES.sqlite .venv/bin/python bench/bench_verifier.py MODEL_DIR \
      --calibrate --calibration CAL.json --dev news_dev2=NEWS_DEV2.jsonl --strict news_dev --strict news_dev2 \
      --standard --throughput --json out.json

(the first run reads about 25,000 pairs' scores from the model: RTE1-3 dev, SICK trial and
train sample, news dev, then the four test sets, SICK test's 4,906 pairs the most of them.
--limit sick_test=1000 takes a seeded sample of SICK test instead.)

MODEL_DIR is a verifier directory (see README, "Learned verifier"); the model is yours and this
script never fetches one. --calibrate runs `factcheck verifier calibrate` on the dev splits only
(RTE3 dev, RTE1 dev1/dev2/test, RTE2 dev/test, SICK trial, a seeded 1,500-pair sample of SICK train,
the news dev splits tests/data/dev, dev2 and dev3 (news_dev, news_dev2, news_dev3, long_dev3), and any
--dev NAME=PATH; --dev-only NAME keeps only the splits named; --combiner and --passage as calibrate's) and writes MODEL_DIR/calibration.json (or --calibration FILE); without it the calibration
already there is used and nothing here tunes anything. --standard measures the test splits:
SICK test, RTE3 test, the real-life contradictions corpus and the held-out news set
(tests/data/heldout/news_test.jsonl), and reports whether the issue's targets hold (combined
beats both alone on F1 everywhere, no more false alarms than the rules on news, RTE3 F1 >= 0.45).
--strict NAME (with --calibrate) makes "no more false alarms than the rules" a constraint of the
fit on that dev split. Public sets are read from --data (default
../shared/benchmarks beside the checkout, env FACTCHECK_BENCHMARKS). Other labelled files: --set
NAME=PATH (any format `factcheck eval` reads); --limit NAME=N takes a seeded random sample.
--throughput uses a fresh, empty score cache so the model really runs, then the warm cache.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

DEV = {"rte3_dev": "rte/RTE3_dev_3ways.jsonl", "rte1_dev1": "rte/RTE1_dev1_3ways.jsonl",
       "rte1_dev2": "rte/RTE1_dev2_3ways.jsonl", "rte2_dev": "rte/RTE2_dev_3ways.jsonl",
       # RTE1's and RTE2's test splits are dev here: we report RTE3 test only, and their paragraph-long
       # premises are what the combination's long-premise bar is fitted on.
       "rte1_test": "rte/RTE1_test_3ways.jsonl", "rte2_test": "rte/RTE2_test_3ways.jsonl", "sick_trial": "sick/trial.jsonl",
       "sick_train_1500": "sick/train.jsonl", "news_dev": str(ROOT / "tests/data/dev/news_dev.jsonl"),
       "news_dev2": str(ROOT / "tests/data/dev2/news_dev2.jsonl"), "news_dev3": str(ROOT / "tests/data/dev3/news_dev3.jsonl"),
       "long_dev3": str(ROOT / "tests/data/dev3/long_dev3.jsonl")}
TEST = {"sick_test": "sick/test.jsonl", "rte3_test": "rte/RTE3_test_3ways.jsonl",
        "real_life": "rte/real_contradiction.jsonl", "news_heldout": str(ROOT / "tests/data/heldout/news_test.jsonl")}
SAMPLES = {"sick_train_1500": 1500}


def parse_kv(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"bench_verifier: {what} expects NAME=VALUE, got {item!r}")
        out[key] = value
    return out


def sample(pairs: list, n: int | None) -> list:
    """A prefix of one fixed shuffled order: a larger sample reuses the smaller one's cached scores."""
    if n is None or n >= len(pairs):
        return pairs
    order = list(pairs)
    random.Random(13).shuffle(order)
    return order[:n]


def calibrate(model_dir: Path, data: Path, target: Path, strict: list[str] = (), extra: dict | None = None,
              combiner: str = "auto", only: list[str] = (), passage: list[str] = ()) -> dict:
    """`factcheck verifier calibrate` (in-process) on the dev splits (and any extra dev files;
    only: just these of them); samples written to a temp dir."""
    from factcheck.cli.main import main as cli
    from factcheck.evaluate import load_pairs

    tmp = Path(tempfile.mkdtemp(prefix="factcheck-bench-verifier-dev-"))
    paths = []
    dev = {**DEV, **(extra or {})}
    if only:
        dev = {name: rel for name, rel in dev.items() if name in only}
    for name, rel in dev.items():
        path = data / rel
        if name in SAMPLES:
            rows = sample(load_pairs(path), SAMPLES[name])
            path = tmp / f"{name}.jsonl"
            path.write_text("".join(json.dumps({"id": p.id, "premise": p.premise, "hypothesis": p.hypothesis,
                                                "label": p.label}) + "\n" for p in rows), encoding="utf-8")
        paths.append(str(path))
    t = time.perf_counter()
    flags = [x for name in strict for x in ("--strict", next(p for p in paths if Path(p).stem == name or
                                                               Path(p).name == Path(dev[name]).name))]
    flags += [x for how in passage for x in ("--passage", how)]
    rc = cli(["verifier", "calibrate", str(model_dir), *paths, "-o", str(target), "-q", "--combiner", combiner, *flags])
    if rc:
        raise SystemExit(f"bench_verifier: calibration failed (exit {rc})")
    print(f"calibrated on {', '.join(dev)} in {time.perf_counter() - t:.0f}s -> {target}", flush=True)
    return json.loads(target.read_text())


def quality(model_dir: Path, sets: dict[str, str], limits: dict[str, str], calibration: Path | None = None) -> dict:
    from factcheck import Checker
    from factcheck.evaluate import evaluate_with_verifier, load_pairs
    from factcheck.verifier import Verifier

    verifier = Verifier(model_dir, calibration=calibration)
    checker = Checker(verifier=verifier)
    report = {"verifier": verifier.describe().split(";")[0], "sets": {}}
    for name, path in sets.items():
        pairs = load_pairs(path)
        total = len(pairs)
        pairs = sample(pairs, int(limits[name]) if name in limits else None)
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


def throughput(model_dir: Path, calibration: Path | None = None) -> dict:
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
        v = Verifier(model_dir, calibration=calibration, cache=cache)
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


def targets(sets: dict) -> dict:
    """The issue's bar: combined beats both alone on F1 everywhere, no more false alarms than the
    rules on the news set, RTE3 test F1 >= 0.45."""
    out = {}
    for name, row in sets.items():
        c, r, v = row["combined"], row["rules"], row["verifier"]
        out[name] = {"beats_both": c["f1"] > r["f1"] and c["f1"] > v["f1"]}
        if name.startswith("news"):
            out[name]["false_alarms_at_most_rules"] = c["false_alarms"] <= r["false_alarms"]
        if name.startswith("rte3"):
            out[name]["f1_at_least_0.45"] = c["f1"] >= 0.45
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("--calibrate", action="store_true", help="first fit the calibration on the dev splits")
    ap.add_argument("--calibration", type=Path, help="calibration file to write/use [default: MODEL_DIR/calibration.json]")
    ap.add_argument("--dev", action="append", default=[], help="with --calibrate: NAME=PATH of one more labelled dev "
                    "file (repeatable), e.g. a second news dev set")
    ap.add_argument("--strict", action="append", default=[],
                    help="with --calibrate: a dev split (its NAME) on which combined may not raise more false alarms "
                         "than rules")
    ap.add_argument("--combiner", default="auto", choices=("auto", "learned", "thresholds"),
                    help="with --calibrate: how rules, model and frames combine [default: auto]")
    ap.add_argument("--dev-only", action="append", default=[], metavar="NAME",
                    help="with --calibrate: calibrate on these dev splits only (repeatable; default: all)")
    ap.add_argument("--passage", action="append", default=[], choices=("whole", "nearest", "max"),
                    help="with --calibrate: how passage premises may be read (repeatable; default: each tried)")
    ap.add_argument("--standard", action="store_true", help="measure the standard test splits")
    ap.add_argument("--data", type=Path, default=Path(os.environ.get("FACTCHECK_BENCHMARKS", ROOT.parent / "shared" /
                                                                   "benchmarks")), help="the public benchmarks folder")
    ap.add_argument("--set", action="append", default=[], help="NAME=PATH of a labelled test set (repeatable)")
    ap.add_argument("--limit", action="append", default=[], help="NAME=N: a seeded sample of N pairs")
    ap.add_argument("--throughput", action="store_true", help="also time compare on two ~1,000-word articles")
    ap.add_argument("--json", type=Path, help="write the report here")
    args = ap.parse_args()
    report: dict = {}
    cal_path = args.calibration or args.model_dir / "calibration.json"
    if args.calibrate:
        extra = parse_kv(args.dev, "--dev")
        for flag, names in (("--strict", args.strict), ("--dev-only", args.dev_only)):
            unknown = set(names) - set(DEV) - set(extra)
            if unknown:
                raise SystemExit(f"bench_verifier: {flag} names no dev split: {', '.join(sorted(unknown))}")
        if args.dev_only and set(args.strict) - set(args.dev_only) - set(extra):
            raise SystemExit("bench_verifier: --strict names a dev split --dev-only leaves out")
        cal = calibrate(args.model_dir, args.data, cal_path, args.strict, extra, args.combiner, args.dev_only,
                        args.passage)
        report["calibration"] = {k: v for k, v in cal.items() if k != "dev"}
        report["dev"] = cal["dev"]
    sets = {name: (rel if Path(rel).is_absolute() else str(args.data / rel)) for name, rel in TEST.items()} \
        if args.standard else {}
    sets.update(parse_kv(args.set, "--set"))
    if sets:
        report.update(quality(args.model_dir, sets, parse_kv(args.limit, "--limit"),
                              cal_path if cal_path.is_file() else None))
        report["targets"] = targets(report["sets"])
    if args.throughput:
        report["throughput"] = throughput(args.model_dir, cal_path if cal_path.is_file() else None)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
