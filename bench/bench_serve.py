"""Service benchmark: warm `POST /v1/check` of a 1,000-word draft against a 100k-claim database.

The database is filled through the store like `db add` does: generated news sentences (places,
counts, dates, speakers, actions, many templates, so neighbours are near but not identical),
each really encoded by the model, stored by add_claims and indexed (IVF from 100k). It is
cached between runs (--db DIR) because encoding 100k sentences takes minutes on 2 cores.
The draft is the Moscow example article plus generated paragraphs of the same kind, so claims
meet real neighbours and some findings fire. The server is the real `factcheck serve` process
on a loopback port; requests are bounded: --requests sequential ones per mode, then
--concurrent-requests spread over --concurrency clients.
Modes: "edited" re-checks the draft with one paragraph rewritten each time (what the page does as
a writer types: most sentences were checked a moment ago and the service remembers their vectors,
frames and archive neighbours); "fresh" sends a new draft each time (only the lead article is
shared), the cost of a first check. The first check after start (caches empty) is reported too.

Archive frames: by default the run is made twice, on a copy of the database without stored
frames and no background pass (each check parses the neighbours it needs, as before `db frames`),
then with the frames read ahead (`db frames`, timed the first time; they stay stored). Each server
gets an empty frame cache of its own, so nothing parsed by an earlier run leaks in.

Usage: .venv/bin/python bench/bench_serve.py [--claims 100000] [--requests 20] [--concurrency 4]
       [--concurrent-requests 16] [--frames stored|none|both] [--db DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = ["Kyiv", "Kharkiv", "Odesa", "Lviv", "Mariupol", "Chernihiv", "Sumy", "Dnipro", "Poltava", "Rivne",
          "Kherson", "Mykolaiv", "Zaporizhzhia", "Donetsk", "Luhansk", "Bucha", "Irpin", "Izium", "Bakhmut", "Uzhhorod"]
WHO = ["the governor", "officials", "the ministry", "the mayor", "a military spokesman", "the UN agency",
       "the Red Cross", "the defence ministry", "local police", "the energy company", "aid workers", "the prosecutor"]
THINGS = ["households lost power", "people were evacuated", "buildings were damaged", "trains were cancelled",
          "schools were closed", "tonnes of grain were shipped", "refugees arrived", "soldiers were deployed",
          "civilians were injured", "bridges were destroyed", "aid convoys reached the city", "shops reopened"]
ACTIONS = [("withdrawing from", "repositioning around"), ("advancing on", "retreating from"),
           ("shelling", "sparing"), ("reinforcing", "abandoning")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
TEMPLATES = [
    "In {place}, {n} {thing} on {month} {day}, {who} said.",
    "{Who} said {n} {thing} in {place} over the weekend.",
    "According to {who}, about {n} {thing} near {place}.",
    "Russian forces are {act} positions near {place}, {who} said on {month} {day}.",
    "{Who} said troops were {act} {place} to build trust before the talks.",
    "More than {n} {thing} in the {place} region since {month}, according to {who}.",
    "The talks in {place} yielded no breakthrough on {month} {day}, {who} told reporters.",
    "{Who} said the deadline for the {place} evacuation is {month} {day}.",
    "Fewer than {n} {thing} in {place}, {who} said, denying earlier reports.",
    "The {place} power plant will not reopen before {month}, {who} said.",
    "{Who} confirmed that {n} {thing} in {place} after the strike.",
    "Officials in {place} said {n} {thing}, up from last week.",
]


def sentence(rng: random.Random) -> str:
    who = rng.choice(WHO)
    return rng.choice(TEMPLATES).format(place=rng.choice(PLACES), n=f"{rng.randrange(10, 90000):,}",
                                        thing=rng.choice(THINGS), month=rng.choice(MONTHS), day=rng.randrange(1, 29),
                                        who=who, Who=who[0].upper() + who[1:], act=rng.choice(rng.choice(ACTIONS)))


def build_db(path: Path, n: int) -> dict:
    from factcheck.claims import Claim
    from factcheck.db.embedded import EmbeddedStore
    from factcheck.db.ingest import add_claims
    from factcheck.db.store import DB_FILE
    from factcheck.db.vindex import read_meta
    from factcheck.embedding import Encoder

    if (path / DB_FILE).exists():
        st = EmbeddedStore(str(path))
        have = st.count()
        if have >= n and read_meta(path) is None:  # stored, but the run that stored them stopped before indexing
            st.after_add(added=0)
        st.close()
        if have >= n:
            return {"built": False, "claims": have, "index": read_meta(path).type}
    rng = random.Random(7)
    claims, seen = [], set()
    while len(claims) < n:
        text = sentence(rng)
        if text in seen:
            continue
        seen.add(text)
        i = len(claims)
        claims.append(Claim(text, source=f"archive/{i // 20:05d}.md", speaker=None,
                            date=f"2022-{1 + i % 10:02d}-{1 + i % 28:02d}"))
    enc = Encoder()
    t = time.perf_counter()
    st = EmbeddedStore(str(path), create=True)
    add_claims(st, enc, claims, batch_size=2048)
    total = st.count()
    st.close()
    return {"built": True, "claims": total, "build_s": round(time.perf_counter() - t, 1),
            "index": read_meta(path).type}


def paragraphs(words: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    parts = [(ROOT / "examples" / "moscow_briefing.md").read_text(encoding="utf-8").split("\n---\n", 1)[-1]]
    while sum(len(p.split()) for p in parts) < words:
        parts.append(" ".join(sentence(rng) for _ in range(4)))
    return parts


def draft(words: int, seed: int = 11) -> str:
    return "\n\n".join(paragraphs(words, seed))


def edited(words: int, n: int) -> str:
    """The draft with one generated paragraph rewritten (edit n): what a re-check as the writer
    types sends; the other sentences were checked a moment ago."""
    parts = paragraphs(words)
    rng = random.Random(1000 + n)
    i = 1 + n % (len(parts) - 1)
    parts[i] = " ".join(sentence(rng) for _ in range(4))
    return "\n\n".join(parts)


def stored_frames(path: Path, clear: bool = False) -> int:
    """Archive claims whose frame is stored (by `db frames`, the service's background pass, or a
    check that parsed a neighbour and wrote it back)."""
    import sqlite3

    from factcheck.db.store import DB_FILE

    con = sqlite3.connect(path / DB_FILE)
    try:
        if clear:
            with con:
                con.execute("DELETE FROM frames")
        return con.execute("SELECT count(*) FROM frames").fetchone()[0]
    finally:
        con.close()


def backfill(path: Path) -> dict:
    """`factcheck db frames` on the bench archive, timed (once: frames stay stored between runs)."""
    from factcheck.db.embedded import EmbeddedStore
    from factcheck.db.frames import fill_frames
    from factcheck.frames import reader

    st = EmbeddedStore(str(path))
    t = time.perf_counter()
    report = fill_frames(st, reader())
    st.close()
    return {"missing_before": report.missing, "stored": report.stored, "parsed": report.parsed,
            "backfill_s": round(time.perf_counter() - t, 1)}


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of the server process so far (Linux /proc): a request's CPU cost
    does not grow with other jobs' load the way its wall time does, so it bounds what the request
    takes on a quiet machine (from above while the encoder runs on more than one thread)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def serve_run(db: Path, args, text: str, frames: str, scratch: Path) -> dict:
    """One server process on `db`, the request modes timed against it. frames: "stored" (the
    archive's frames read ahead, the service's background pass on) or "none" (no stored frames,
    no background pass: neighbours are parsed by the checks that need them, as before `db frames`)."""
    import httpx

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # A frame cache of this run's own: frames parsed by earlier runs (or by the user) never leak in.
    cache = scratch / f"frame-cache-{frames}.sqlite3"
    for p in scratch.glob(cache.name + "*"):
        p.unlink()
    env = {**os.environ, "NO_COLOR": "1", "FACTCHECK_FRAME_CACHE": str(cache)}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "factcheck", "serve", "--port", str(port), "--db", str(db),
                             "--log-level", "warning", *(["--parallel", str(args.parallel)] if args.parallel else []),
                             *(["--no-background-frames"] if frames == "none" else [])],
                            env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        with httpx.Client(base_url=url, timeout=120) as c:
            while True:
                try:
                    if c.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.perf_counter() - t0 > 600:
                    raise SystemExit(f"server did not start: {proc.stderr.read()[-2000:]}")
                time.sleep(0.2)
            startup = time.perf_counter() - t0
            first = c.post("/v1/check", json={"text": text, "source": "draft.md"})
            first.raise_for_status()
            doc = first.json()
            for _ in range(2):
                c.post("/v1/check", json={"text": text, "source": "draft.md"}).raise_for_status()
            timed: dict[str, list[float]] = {}
            cpu_of: dict[str, list[float]] = {}
            # edited: the same draft with one paragraph rewritten per request (the page re-checks as
            # the writer types); fresh: a new draft each time (only the lead article is shared).
            for mode, make in (("edited", lambda n: edited(args.words, n)),
                               ("fresh", lambda n: draft(args.words, seed=100 + n))):
                seq, cpu = [], []
                for n in range(args.requests):
                    body = {"text": make(n), "source": "draft.md"}
                    before = cpu_seconds(proc.pid)
                    t = time.perf_counter()
                    r = c.post("/v1/check", json=body)
                    seq.append(time.perf_counter() - t)
                    after = cpu_seconds(proc.pid)
                    if before is not None and after is not None:
                        cpu.append(after - before)
                    r.raise_for_status()
                timed[mode] = seq
                cpu_of[mode] = cpu

        lat: list[float] = []
        lock = threading.Lock()
        todo = list(range(args.concurrent_requests))

        def client() -> None:
            with httpx.Client(base_url=url, timeout=300) as cc:
                while True:
                    with lock:
                        if not todo:
                            return
                        n = todo.pop()
                    body = {"text": edited(args.words, 10_000 + n), "source": "draft.md"}
                    t = time.perf_counter()
                    cc.post("/v1/check", json=body).raise_for_status()
                    with lock:
                        lat.append(time.perf_counter() - t)

        t = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.concurrency)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - t
        metrics = httpx.get(url + "/metrics").text
        loads = next(float(line.split()[-1]) for line in metrics.splitlines()
                     if line.startswith("factcheck_model_loads "))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"archive_frames": frames, "draft_words": len(text.split()), "draft_claims": doc["claims"],
            "findings": len(doc["findings"]), "prior_findings": sum(1 for f in doc["findings"] if f["prior"]),
            "server_start_s": round(startup, 1), "first_check_s": round(first.elapsed.total_seconds(), 3),
            **{mode: {"requests": len(seq), "p50_s": round(statistics.median(seq), 3),
                      "p95_s": round(pct(seq, 0.95), 3), "mean_s": round(statistics.mean(seq), 3),
                      "per_s": round(len(seq) / sum(seq), 2),
                      **({"server_cpu_p50_s": round(statistics.median(cpu_of[mode]), 3)} if cpu_of[mode] else {})}
               for mode, seq in timed.items()},
            **({"concurrent_edited": {"clients": args.concurrency, "requests": len(lat),
                                      "p50_s": round(statistics.median(lat), 3), "p95_s": round(pct(lat, 0.95), 3),
                                      "per_s": round(len(lat) / wall, 2)}} if lat else {}),
            "archive_frames_stored_after": stored_frames(db), "load_avg_1m": round(os.getloadavg()[0], 2),
            "model_loads": int(loads)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--words", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=20, help="per sequential mode (edited, fresh)")
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--concurrent-requests", type=int, default=16, help="0: no concurrent part")
    ap.add_argument("--parallel", type=int, default=None, help="the server's --parallel (default: its own)")
    ap.add_argument("--frames", choices=("stored", "none", "both"), default="both",
                    help="archive frames read ahead by `db frames` (stored), not at all (none), or each in turn")
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "factcheck-bench-serve")
    args = ap.parse_args()

    db = args.db / f"db{args.claims}"
    built = build_db(db, args.claims)
    print(json.dumps({"db": built}), flush=True)
    text = draft(args.words)
    runs = []
    scratch = args.db / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    os.environ["FACTCHECK_FRAME_CACHE"] = "off"  # the backfill parses everything itself
    for frames in (("none", "stored") if args.frames == "both" else (args.frames,)):
        if frames == "none":  # a copy without frames, so the stored ones stay for the next run
            import shutil

            bare = scratch / "db-without-frames"
            shutil.rmtree(bare, ignore_errors=True)
            shutil.copytree(db, bare)
            stored_frames(bare, clear=True)
            runs.append(serve_run(bare, args, text, frames, scratch))
            shutil.rmtree(bare, ignore_errors=True)
        else:
            filled = backfill(db)
            print(json.dumps({"db_frames": filled}), flush=True)
            runs.append({**serve_run(db, args, text, frames, scratch), "db_frames": filled})
        print(json.dumps(runs[-1], indent=2), flush=True)
    out = {"parallel": args.parallel or "default (CPU count)", "db_claims": built["claims"], "index": built["index"],
           "cpus": os.cpu_count(), "runs": runs}
    res = ROOT / "bench" / "results"
    res.mkdir(parents=True, exist_ok=True)
    (res / "bench_serve.json").write_text(json.dumps({"db": built, **out}, indent=2) + "\n")


if __name__ == "__main__":
    main()
