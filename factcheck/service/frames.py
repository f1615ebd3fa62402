"""The service's background pass over the archive's claim frames (factcheck.db.frames).

Claims added through `POST /v1/claims` (or by a `db add` beside the service) are stored without
being parsed, so that ingest runs at the encoder's speed; this thread parses them afterwards,
and at start-up the claims that have no frame yet, so a check finds its neighbours' frames in
the database instead of parsing them while a journalist waits.

Low priority: the pass runs only while no check or comparison is in flight (and has not been for
`quiet_s`), in small batches (~0.1 s of spaCy each), so a request that arrives waits at most for
the batch in hand. A wake-up (new claims) restarts the pass from the newest claims. Writes take
the engine's write locks (the file lock of `db add`, then the in-process one); a busy lock or any
other failure is logged and retried later, never fatal to the service.
"""
from __future__ import annotations

import logging
import threading

log = logging.getLogger("factcheck.serve")

BATCH = 32
RETRY_S = 5.0


class FrameFiller:
    def __init__(self, engine, batch_size: int = BATCH, quiet_s: float = 0.25) -> None:
        self.engine = engine
        self.batch_size = batch_size
        self.quiet_s = quiet_s
        self.stored = 0  # frames this process stored in the background (/metrics)
        self._dropped = False
        self._wake = threading.Event()
        self._idle = threading.Event()  # set while the pass has nothing left to do
        self._stop = threading.Event()
        self._state = threading.Lock()  # idle is set only while no wake-up is pending
        self._thread: threading.Thread | None = None

    def start(self) -> "FrameFiller":
        self._wake.set()  # the first pass: whatever the archive lacks
        self._thread = threading.Thread(target=self._run, name="factcheck-frames", daemon=True)
        self._thread.start()
        return self

    def wake(self) -> None:
        """Claims were added: parse them next (the pass restarts from the newest claims)."""
        with self._state:
            self._idle.clear()
            self._wake.set()

    def wait_idle(self, timeout: float) -> bool:
        """Until every stored claim has its frame (as far as this thread knows); for tests and ops."""
        return self._idle.wait(timeout)

    @property
    def state(self) -> str:
        if self._thread is None or not self._thread.is_alive():
            return "off"
        return "idle" if self._idle.is_set() else "parsing"

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    # -- the thread ------------------------------------------------------------------------
    def _keep_going(self) -> bool:
        """Before each batch: wait until no request has run for `quiet_s`; stop on shutdown or
        when new claims arrived (the pass restarts from the top)."""
        while not self._stop.is_set():
            if self._wake.is_set():
                return False
            if self.engine.quiet_for() >= self.quiet_s:
                return True
            self.engine.wait_quiet(self.quiet_s)
        return False

    def _run(self) -> None:
        from ..db.frames import fill_frames, supports_frames
        from ..frames import reader

        while not self._stop.is_set():
            self._wake.wait()
            if self._stop.is_set():
                return
            self._wake.clear()
            try:
                with self.engine.store() as st:
                    if st is None or not supports_frames(st):
                        self._set_idle()
                        continue
                    report = fill_frames(st, reader(self.engine.checker.parser), self.batch_size,
                                         write_lock=self.engine.write_locks, keep_going=self._keep_going,
                                         count=False, drop_stale=not self._dropped)
                self._dropped = True  # a scan of the whole table: once per process, not per wake-up
                self.stored += report.stored
                if report.stored:
                    log.info("factcheck: stored %d archive claim frames in the background", report.stored)
                if not report.stopped:
                    self._set_idle()
            except Exception as exc:  # noqa: BLE001 - a busy lock, a full disk: try again later, keep serving
                log.warning("factcheck: background frame pass failed (%s); retrying in %.0f s", exc, RETRY_S)
                if not self._stop.wait(RETRY_S):
                    self._wake.set()

    def _set_idle(self) -> None:
        with self._state:
            if not self._wake.is_set():
                self._idle.set()
