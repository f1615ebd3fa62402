"""Time `compare` on two ~1,000-word articles: cold process (never-seen articles), seen (their
frames cached), warm API, and the raw encoder, for
each encoder backend (onnx, torch) in the same run, with peak memory of the cold process (RSS of
the process and of its parse worker; PSS of the whole process tree).

Usage: .venv/bin/python bench/bench_compare.py [--repeat 5] [--backends onnx,torch]
The articles are generated deterministically from the bundled examples plus varied filler
sentences, so the figures are reproducible on any machine. Prints a small JSON report.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = ["Kyiv", "Kharkiv", "Odesa", "Lviv", "Mariupol", "Chernihiv", "Sumy", "Dnipro", "Zaporizhzhia", "Mykolaiv"]
ACTORS = ["the defence ministry", "the regional governor", "a Kremlin spokesman", "the UN agency", "the mayor",
          "a NATO official", "the foreign ministry", "local police", "the general staff", "aid workers"]
TEMPLATES = [
    "Shelling damaged {n} buildings in {p} overnight, {a} said.",
    "Officials in {p} reported that {n} people were evacuated on {d}.",
    "Talks on a humanitarian corridor from {p} will resume on {d}, {a} said.",
    "Power was restored to {n} households in {p} after repairs, according to {a}.",
    "Prices for bread in {p} rose {k} percent this month, {a} said.",
    "Russian units near {p} are regrouping, {a} said.",
    "The convoy reached {p} with {n} tonnes of food and medicine.",
    "Schools in {p} will not reopen before {d}, {a} said.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "March 31", "April 4", "April 12"]


def article(seed: int, base: Path, words: int = 1000) -> str:
    rng = random.Random(seed)
    parts = [base.read_text(encoding="utf-8")]
    while sum(len(p.split()) for p in parts) < words:
        t = rng.choice(TEMPLATES)
        parts.append(t.format(n=rng.randrange(50, 50000), p=rng.choice(PLACES), a=rng.choice(ACTORS),
                              d=rng.choice(DAYS), k=rng.randrange(2, 40)))
    return "\n\n".join(parts) + "\n"


# Peak RSS of the process and, separately, of its frame-parsing worker (frames.worker), reaped
# first so that RUSAGE_CHILDREN counts it.
# As the console script runs it: through factcheck.cli.entry, which starts the parse worker
# before the command modules import.
COLD = ("import resource, sys\nfrom factcheck.cli.entry import warm_for\nwarm_for(sys.argv[1:])\n"
        "from factcheck.cli.main import main\nrc = main(sys.argv[1:])\n"
        "from factcheck.frames import worker\nworker.close_all()\n"
        "sys.stderr.write('MAXRSS_KB %d %d\\n' % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,\n"
        "                 resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\nsys.exit(rc)\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--backends", default="onnx,torch")
    args = ap.parse_args()
    report = {}
    for backend in args.backends.split(","):
        report[backend] = run_backend(backend, args.repeat)
    names = list(report)
    if len(names) == 2:
        a, b = (report[n] for n in names)
        report["same_findings"] = a["finding_rules"] == b["finding_rules"]
        report[f"cold_ratio_{names[1]}_over_{names[0]}"] = round(b["cold_process_s"] / a["cold_process_s"], 2)
        report[f"encoder_ratio_{names[0]}_over_{names[1]}"] = round(
            a["raw_encoder_sentences_per_s"] / b["raw_encoder_sentences_per_s"], 2)
    for r in report.values():
        if isinstance(r, dict):
            r.pop("finding_rules", None)
    print(json.dumps(report, indent=2))


def tree_peak_pss_mb(cmd: list[str], env: dict) -> float | None:
    """Peak memory of a command with everything it starts (the parse worker and its twin), as
    the sum of their proportional set sizes: RSS would count the pages a forked twin shares
    with its parent twice. Sampled every 20 ms in a run of its own, which is not timed."""
    def children(pid: int) -> list[int]:
        try:
            kids = [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []
        return kids + [g for k in kids for g in children(k)]

    def pss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    if not Path("/proc/self/smaps_rollup").exists():
        return None
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(pss_kb(p) for p in [proc.pid, *children(proc.pid)]))
        time.sleep(0.02)
    return round(peak / 1024, 1)


def run_backend(backend: str, repeat: int) -> dict:
    import gc

    from factcheck.encoders.base import _onnx

    _onnx.cache_clear()
    gc.collect()
    tmp = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    a, b = tmp / "a.md", tmp / "b.txt"
    a.write_text(article(1, ROOT / "examples" / "moscow_briefing.md"), encoding="utf-8")
    b.write_text(article(2, ROOT / "examples" / "washington_briefing.txt"), encoding="utf-8")
    report: dict = {"words": [len(a.read_text().split()), len(b.read_text().split())]}

    # Cold: a new process on articles it has never seen (an empty frame cache each run, so every
    # claim is parsed). Seen: the same articles again, their frames in the cache (a CI re-run,
    # an edited draft), which is what most calls of an editor integration are.
    seen_cache = tmp / "seen-frames.sqlite3"
    for label, fresh_cache in (("cold", True), ("seen", False)):
        times, rss = [], []
        for run in range(max(1, repeat // 2)):
            cache = tmp / f"cold-frames-{run}.sqlite3" if fresh_cache else seen_cache
            env = {**os.environ, "FACTCHECK_FRAME_CACHE": str(cache)}
            if not fresh_cache and run == 0:  # fill it once, untimed
                subprocess.run([sys.executable, "-c", COLD, "compare", str(a), str(b), "--no-db", "--backend",
                                backend], capture_output=True, text=True, env=env)
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", COLD, "compare", str(a), str(b), "--format", "json",
                                   "--no-db", "--backend", backend], capture_output=True, text=True, env=env)
            times.append(time.perf_counter() - t)
            assert proc.returncode in (0, 1), proc.stderr
            rss.append(tuple(int(x) for x in proc.stderr.rsplit("MAXRSS_KB", 1)[1].split()[:2]))
        findings = json.loads(proc.stdout)["findings"]
        report["findings"] = len(findings)
        report[f"finding_rules_{label}"] = sorted((f["rule"], f["a"]["start"], f["b"]["start"]) for f in findings)
        report[f"{label}_process_s"] = round(min(times), 3)
        report[f"{label}_process_runs_s"] = [round(c, 3) for c in times]
        report[f"{label}_peak_rss_mb"] = round(min(r[0] for r in rss) / 1024, 1)
        report[f"{label}_worker_peak_rss_mb"] = round(min(r[1] for r in rss) / 1024, 1)
        report[f"{label}_sum_peak_rss_mb"] = round(min(r[0] + r[1] for r in rss) / 1024, 1)
    assert report.pop("finding_rules_seen") == report["finding_rules_cold"], "the frame cache changed findings"
    report["finding_rules"] = report.pop("finding_rules_cold")
    cache = tmp / "pss-frames.sqlite3"
    report["cold_tree_peak_pss_mb"] = tree_peak_pss_mb(
        [sys.executable, "-c", COLD, "compare", str(a), str(b), "--format", "json", "--no-db", "--backend", backend],
        {**os.environ, "FACTCHECK_FRAME_CACHE": str(cache)})

    os.environ["FACTCHECK_FRAME_CACHE"] = str(tmp / "api-frames.sqlite3")  # never the user's cache
    t = time.perf_counter()
    from factcheck import Checker
    from factcheck.claims import extract_claims
    from factcheck.textio import read_document

    checker = Checker(backend=backend)
    checker.encoder  # noqa: B018 - load the model now
    report["model_load_s"] = round(time.perf_counter() - t, 3)
    da, db = read_document(a), read_document(b)
    checker.compare_documents(da, db)  # warm-up
    warm = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = checker.compare_documents(da, db)
        warm.append(time.perf_counter() - t)
    report["claims"] = [len(result.claims_a), len(result.claims_b)]
    report["warm_api_compare_s"] = round(min(warm), 3)

    t = time.perf_counter()
    for _ in range(repeat):
        extract_claims(da), extract_claims(db)
    report["claim_extraction_s"] = round((time.perf_counter() - t) / repeat, 3)

    texts = [c.text for c in result.claims_a + result.claims_b] * 5  # ~1,000 sentences
    enc = []
    for _ in range(repeat):
        t = time.perf_counter()
        checker.encoder.encode(texts)
        enc.append(time.perf_counter() - t)
    report["raw_encoder_s"] = round(min(enc), 3)
    report["raw_encoder_sentences_per_s"] = round(len(texts) / min(enc), 1)
    return report


if __name__ == "__main__":
    main()
