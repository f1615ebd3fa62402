"""Claim frames parsed in a second process, for a command that starts cold.

Why a process and not a thread: importing spaCy and loading its pipeline (~0.75 s) and parsing
(~5,000 tokens/s) are pure Python holding the GIL, so a parser thread and the main thread take
turns on one core while the second one idles (the prefetch thread helped only while onnxruntime
had released the GIL). A process gets the other core to itself: it loads the pipeline and parses
every claim new to the frame cache while the main process loads the encoder and embeds, and the
main process then only collects frames it needs.

The protocol is JSON lines (texts in; `Frame.to_dict` out, one reply per chunk of texts) on the
worker's stdin/stdout: nothing is pickled. A worker that fails in any way is abandoned and the
claims are parsed in-process, where a real problem (a pipeline that is not installed) is reported
as usual.
"""
from __future__ import annotations

import atexit
import json
import os
import queue
import subprocess
import sys
import threading
from collections import deque
from typing import Iterable

from .model import Frame

CHUNK = 24  # texts per request: frames come back a chunk at a time, so the first ones asked are ready early


class ParseWorker:
    """One `python -m factcheck.frames.worker PARSER` process; thread-safe.

    A writer thread feeds it and a reader thread drains it, so neither pipe ever fills while the
    main thread is busy elsewhere (with both on the main thread, a large batch deadlocks: we
    block writing texts while the worker blocks writing frames)."""

    def __init__(self, parser: str) -> None:
        # One BLAS thread each: the worker and its twin are one core's work each (_fork_twin).
        env = {**os.environ, "PYTHONWARNINGS": "ignore", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "factcheck.frames.worker", parser],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=env, text=True, encoding="utf-8")
        self.received: dict[str, Frame] = {}
        self.queued: set[str] = set()
        self.pending: deque[list[str]] = deque()  # chunks sent, in the order their replies come back
        self.broken = False
        self.used = False  # given texts at least once: kept by discard_unused
        self._cv = threading.Condition()
        self._out: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._write_loop, name="factcheck-parse-writer", daemon=True).start()
        threading.Thread(target=self._read_loop, name="factcheck-parse-reader", daemon=True).start()

    def submit(self, texts: Iterable[str]) -> None:
        """Queue texts for parsing; returns at once."""
        with self._cv:
            new = [t for t in dict.fromkeys(texts) if t not in self.received and t not in self.queued]
            self.queued.update(new)
            self.used = self.used or bool(new)
            for i in range(0, len(new), CHUNK):
                self.pending.append(new[i:i + CHUNK])
                self._out.put(new[i:i + CHUNK])

    def frames(self, texts: Iterable[str]) -> dict[str, Frame]:
        """The frames of `texts`, waiting for the replies that hold them; none for the texts the
        worker could not give (the caller parses those itself)."""
        want = set(texts)
        self.submit(want)
        with self._cv:
            self._cv.wait_for(lambda: self.broken or want <= self.received.keys())
            return {t: self.received[t] for t in want if t in self.received}

    def take_received(self) -> dict[str, Frame]:
        """Every frame received so far, handed over once (the reader keeps them in its cache)."""
        with self._cv:
            out, self.received = self.received, {}
            self.queued.difference_update(out)
            return out

    def _write_loop(self) -> None:
        try:
            while (chunk := self._out.get()) is not None:
                self.proc.stdin.write(json.dumps({"texts": chunk}) + "\n")
                self.proc.stdin.flush()
            self.proc.stdin.close()
        except (OSError, ValueError):
            self._break()

    def _read_loop(self) -> None:
        try:
            for line in self.proc.stdout:
                frames = [Frame.from_dict(d) for d in json.loads(line)["frames"]]
                with self._cv:
                    chunk = self.pending.popleft()
                    if len(frames) != len(chunk):
                        raise ValueError("a reply does not match its chunk")
                    self.received.update(zip(chunk, frames))
                    self._cv.notify_all()
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            pass
        self._break()  # end of output: the worker is gone

    def _break(self) -> None:
        with self._cv:
            self.broken = True
            self._cv.notify_all()

    def close(self) -> None:
        """Stop it (frames still being parsed ahead are not needed) and reap it."""
        self._out.put(None)
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()


_WORKERS: dict[str, ParseWorker] = {}
_WORKERS_LOCK = threading.Lock()


def worker(parser: str) -> ParseWorker | None:
    """The process's worker for `parser`, started on first use; None when it cannot start or
    has failed (parse in-process then)."""
    with _WORKERS_LOCK:
        w = _WORKERS.get(parser)
        if w is None:
            try:
                w = _WORKERS[parser] = ParseWorker(parser)
            except OSError:
                return None
            if len(_WORKERS) == 1:
                atexit.register(close_all)
        return None if w.broken else w


def warm_up(parser: str | None = None) -> None:
    """Start the worker now, before this process reads its config, rules and model (~1 s on 2
    cores), so that spaCy's ~0.75 s load runs beside them. Called by the commands that start
    cold (compare, check); `discard_unused` stops it when no claim turns out to need parsing."""
    from .parse import DEFAULT_PARSER, LOADED

    if (parser or DEFAULT_PARSER) not in LOADED:  # a warm process parses in-process
        worker(parser or DEFAULT_PARSER)


def discard_unused() -> None:
    """Stop the workers nobody gave work to (all claims' frames were cached)."""
    with _WORKERS_LOCK:
        idle = [name for name, w in _WORKERS.items() if not w.used]
        stopped = [_WORKERS.pop(name) for name in idle]
    for w in stopped:
        w.close()


def close_all() -> None:
    for w in _WORKERS.values():
        w.close()


def main(argv: list[str]) -> int:
    from .parse import FrameReader

    reader = FrameReader(argv[0])
    try:
        reader.nlp  # noqa: B018 - load the pipeline before the first request
        twin = _fork_twin(reader)
        if twin is None:
            for line in sys.stdin:
                sys.stdout.write(_reply(reader, line))
                sys.stdout.flush()
        else:
            _serve_with_twin(reader, *twin)
    except (KeyboardInterrupt, BrokenPipeError):
        return 0
    except Exception:  # noqa: BLE001 - the main process sees the closed pipe and parses itself
        return 1
    return 0


def _reply(reader, line: str) -> str:
    frames = [f.to_dict() for f in reader.read(json.loads(line)["texts"])]
    return json.dumps({"frames": frames}, separators=(",", ":")) + "\n"


def _fork_twin(reader):
    """A second parser for the second core: a fork of this process once the pipeline is loaded,
    so it costs no second load (~0.75 s) and shares the pipeline's pages until they are written.

    A cold compare's main process has its candidate pairs ~0.1 s before this worker has loaded
    spaCy, then idles while the worker parses (~0.35 s for 150 claims): two parsers use that
    idle core (bench/bench_compare.py). Returns (pid, to_twin, from_twin), or None where there is
    no fork or one CPU (FACTCHECK_PARSE_TWIN=0 turns it off, for measuring)."""
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2 or os.environ.get("FACTCHECK_PARSE_TWIN") == "0":
        return None
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the twin: parse what the parent forwards, reply to it, nothing else
        code = 0
        try:
            os.close(req_w)
            os.close(rep_r)
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)  # the main process's pipes are the parent's alone: a copy of its
            os.dup2(devnull, 1)  # stdout held here would keep the main process from seeing it end
            with os.fdopen(req_r, "r", encoding="utf-8") as inp, os.fdopen(rep_w, "w", encoding="utf-8") as out:
                for line in inp:
                    out.write(_reply(reader, line))
                    out.flush()
        except BaseException:  # noqa: BLE001 - the parent sees the closed pipe
            code = 1
        os._exit(code)
    os.close(req_r)
    os.close(rep_w)
    return pid, os.fdopen(req_w, "w", encoding="utf-8"), os.fdopen(rep_r, "r", encoding="utf-8")


def _serve_with_twin(reader, pid: int, to_twin, from_twin) -> None:
    """Every other chunk goes to the twin; replies go out in the order the chunks came in, which
    is the order `ParseWorker` matches them to. A twin that dies holding chunks ends this worker
    too, and the main process parses what is left itself."""
    done: dict[int, str] = {}
    twin_seqs: deque[int] = deque()
    lock = threading.Lock()
    nxt = [0]

    def flush() -> None:  # under the lock
        while nxt[0] in done:
            sys.stdout.write(done.pop(nxt[0]))
            nxt[0] += 1
        sys.stdout.flush()

    def collect() -> None:
        for line in from_twin:
            with lock:
                done[twin_seqs.popleft()] = line
                flush()
        if twin_seqs:
            os._exit(1)

    threading.Thread(target=collect, name="factcheck-parse-twin", daemon=True).start()
    try:
        for seq, line in enumerate(sys.stdin):
            if seq % 2:
                with lock:
                    twin_seqs.append(seq)
                to_twin.write(line)
                to_twin.flush()
                continue
            reply = _reply(reader, line)
            with lock:
                done[seq] = reply
                flush()
    finally:
        to_twin.close()
        os.waitpid(pid, 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
