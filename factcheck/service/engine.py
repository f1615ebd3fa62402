"""What the service keeps warm: one Checker (rules + model + spaCy parser), the claims database,
and the locks that make sharing them safe.

The embedding model and the spaCy pipeline are loaded once, under a lock, however many requests
arrive together. Reads (compare, check, search) then run concurrently, each in its own
worker thread: what they share is read-only (rules, model weights, the memory-mapped FAISS index),
safe to share (onnxruntime sessions; spaCy inference, whose frames from 6 threads at once matched
one-at-a-time ones over 218 claims, a check run outside the suite), or remembered values that are pure functions of a claim's text
(cache.py); each request makes its own draft Claim objects, and the sentence segmenter, which
keeps per-call state, is one per thread (factcheck/segment.py). At most `parallel` checks run at
once (default: one per core). Measured on 2 cores (bench/bench_serve.py, 4 clients re-checking
edited drafts): 1.49 checks/s with 1 at a time, 1.69 with 2, 1.34 with 4 (encoding already uses
both cores; beyond that threads only contend), while a search never waits for a check.
Writes are serialised: the same file lock as `factcheck db add` (so the CLI and the service can
write side by side), then an in-process lock. SQLite connections are opened per request (they
may not cross threads, and a CLI writer changes the files underneath); WAL lets reads go on
while a write commits.
"""
from __future__ import annotations

import copy
import os
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from ..checker import Checker, Comparison
from ..claims import Claim, extract_claims
from ..db.base import Store
from ..errors import FactcheckError
from ..findings import Finding
from ..ruleset import Rule, select_rules
from ..textio import Document
from .cache import DEFAULT_SIZE, CachedEncoder, RememberingStore, StoredClaims

DEFAULT_LOCK_TIMEOUT = 30.0


class Busy(FactcheckError):
    """Another writer (a CLI `db add`, say) held the database lock for longer than we wait."""


@dataclass
class AddResult:
    added: int
    skipped: int
    total: int


@dataclass
class Engine:
    checker: Checker
    db: Path | str | None  # a directory (embedded store) or a milvus:// URL
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    model_loads: int = 0
    _load_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _write_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _parser_ready: bool = field(default=False, repr=False)
    _milvus: Store | None = field(default=None, repr=False)
    cache_size: int = DEFAULT_SIZE  # sentences whose vectors are remembered (see cache.py)
    parallel: int | None = None  # checks and comparisons run at once (None: one per CPU core)

    def __post_init__(self) -> None:
        # A shallow copy: the engine puts its caching encoder on its own Checker, never on the
        # caller's (rules, model and settings stay shared).
        self.checker = copy.copy(self.checker)
        self.stored = StoredClaims(self.cache_size // 4)
        self._slots = threading.BoundedSemaphore(self.parallel or os.cpu_count() or 1)
        # Requests in flight and when the last one ended: the background frame pass runs in the gaps.
        self._activity = threading.Condition()
        self._active = 0
        self._last_active = 0.0
        self.frames = None  # the background frame pass (service/frames.py), once started

    # -- activity ------------------------------------------------------------------------------
    @contextmanager
    def _busy(self) -> Iterator[None]:
        with self._activity:
            self._active += 1
        try:
            yield
        finally:
            with self._activity:
                self._active -= 1
                self._last_active = time.monotonic()
                self._activity.notify_all()

    def quiet_for(self) -> float:
        """Seconds since the last check or comparison ended; 0 while one runs."""
        with self._activity:
            return 0.0 if self._active else time.monotonic() - self._last_active

    def wait_quiet(self, timeout: float) -> None:
        with self._activity:
            self._activity.wait(timeout)

    def start_frames(self) -> None:
        """Parse the archive's missing claim frames in the background (embedded store only)."""
        if self.frames is None and self.db is not None and not self._is_url():
            from .frames import FrameFiller

            self.frames = FrameFiller(self).start()

    # -- model ---------------------------------------------------------------------------------
    @property
    def encoder(self):
        """The encoder, loaded on first use by exactly one thread; the others wait for it. The
        spaCy pipeline that reads claim frames is loaded with it, for the same reason."""
        if not isinstance(self.checker._encoder, CachedEncoder) or not self._parser_ready:
            with self._load_lock:
                if self.checker._encoder is None:
                    self.checker.encoder  # noqa: B018
                    self.model_loads += 1
                if not isinstance(self.checker._encoder, CachedEncoder):
                    self.checker._encoder = CachedEncoder(self.checker._encoder, self.cache_size)
                if not self._parser_ready:
                    from ..frames import reader

                    reader(self.checker.parser).nlp  # noqa: B018
                    self._parser_ready = True
        return self.checker._encoder

    @property
    def model_loaded(self) -> bool:
        return self.checker._encoder is not None

    @property
    def backend(self) -> str | None:
        """The backend encoding requests (onnx or torch); before the load, the one asked for."""
        return self.checker._encoder.backend if self.model_loaded else self.checker.backend

    # -- database ------------------------------------------------------------------------------
    @property
    def location(self) -> str | None:
        """The --db value: a directory (embedded store) or a milvus:// URL."""
        return None if self.db is None else str(self.db)

    def _is_url(self) -> bool:
        from ..db.base import is_url

        return self.db is not None and is_url(str(self.db))

    def has_db(self) -> bool:
        if self.db is None:
            return False
        if self._is_url():
            return True  # whether the collection exists is asked when it is opened
        from ..db.store import DB_FILE

        return (Path(self.db) / DB_FILE).exists()

    @contextmanager
    def store(self, create: bool = False) -> Iterator[Store | None]:
        """This request's store through the Store interface, or None when there is nothing to
        consult. Embedded: a connection per request (SQLite connections stay in their thread, and a
        CLI writer changes the files underneath). Milvus: one client for the process (a gRPC
        channel, safe to share between threads), reopened while the collection does not exist yet."""
        if self.db is None or (not create and not self.has_db()):
            yield None
            return
        if self._is_url():
            st = self._milvus
            if st is None or st.model is None:
                with self._load_lock:
                    if self._milvus is None or self._milvus.model is None:
                        from ..db.base import open_db

                        if self._milvus is not None:
                            self._milvus.close()
                        self._milvus = open_db(str(self.db), create=True)  # creates nothing until a write
                    st = self._milvus
            yield st if (create or st.model is not None) else None
            return
        from ..db.embedded import EmbeddedStore

        st = EmbeddedStore(str(self.db), create=create)
        try:
            yield st
        finally:
            st.close()

    def close(self) -> None:
        if self.frames is not None:
            self.frames.stop()
            self.frames = None
        if self._milvus is not None:
            self._milvus.close()
            self._milvus = None

    def cache_gauges(self) -> dict[str, tuple[str, float]]:
        """What is remembered between requests (cache.py), for /metrics."""
        enc = self.checker._encoder
        vectors = enc.cache if isinstance(enc, CachedEncoder) else None
        out = {}
        for name, what, lru in (("sentence_vectors", "Sentence vectors", vectors),
                                ("claim_frames", "Claim frames", self._frame_cache()),
                                ("stored_claims", "Archive claims (with their features)", self.stored.cache)):
            if lru is not None:
                seen = lru.hits + lru.misses
                out[f"factcheck_remembered_{name}"] = (f"{what} remembered between requests.", len(lru))
                out[f"factcheck_remembered_{name}_hit_ratio"] = (
                    f"Share of {what.lower()} looked up that were remembered.", lru.hits / seen if seen else 0.0)
        return out

    def _frame_cache(self):
        """Frames are remembered by the frame reader itself (factcheck.frames.cache), for every
        caller of the pipeline; the service only reports on it."""
        from ..frames import reader

        return reader(self.checker.parser).cache

    def claim_count(self) -> int:
        with self.store() as st:
            return st.count() if st is not None else 0

    # -- pipeline ------------------------------------------------------------------------------
    def rules_for(self, enable: Sequence[str] = (), disable: Sequence[str] = (),
                  severity: Mapping[str, str] | None = None) -> list[Rule]:
        """This request's selection. select_rules returns new (frozen) Rule objects, so a
        per-request severity never changes the rules other requests judge with."""
        known = {k for r in self.checker.rules for k in (r.id, *r.tags)}
        for name in (*enable, *disable, *(severity or {})):
            if name not in known:
                raise FactcheckError(f"unknown rule id or tag '{name}'")
        if not enable and not disable and not severity:
            return self.checker.rules
        return select_rules(self.checker.rules, enable=enable, disable=disable, severity=dict(severity or {}))

    def _with_rules(self, rules: list[Rule]) -> Checker:
        if rules is self.checker.rules:
            return self.checker
        view = Checker(rules=rules, model=self.checker.model, top_k=self.checker.top_k,
                       min_similarity=self.checker.min_similarity, batch_size=self.checker.batch_size,
                       backend=self.checker.backend)
        view._encoder = self.checker._encoder
        return view

    def compare(self, a: Callable[[], Document], b: Callable[[], Document], rules: list[Rule],
                use_db: bool = True) -> Comparison:
        """Checker.compare_documents, counted against the --parallel slots."""
        self.encoder  # noqa: B018
        doc_a, doc_b = a(), b()
        ca, cb = extract_claims(doc_a), extract_claims(doc_b)
        with self._slots, self._busy(), self.store() as st:
            found = self._with_rules(rules).compare_claims(ca, cb, store=self._reading(st) if use_db else None)
        return Comparison(doc_a, doc_b, ca, cb, found)

    def check(self, claims: Callable[[], list[Claim]], rules: list[Rule], use_db: bool = True
              ) -> tuple[list[Claim], list[Finding]]:
        self.encoder  # noqa: B018
        cs = claims()
        with self._slots, self._busy(), self.store() as st:
            found = self._with_rules(rules).check_claims(cs, store=self._reading(st) if use_db else None)
        return cs, found

    def _reading(self, st: Store | None):
        return None if st is None else RememberingStore(st, self.stored)

    def search(self, query: str, k: int) -> list[dict]:
        enc = self.encoder
        with self.store() as st:
            if st is None or st.is_empty():
                return []
            hits = st.search(enc.encode([query]), k)[0]
            return [{"similarity": round(h.similarity, 4), **h.claim.to_dict(), "tags": list(h.claim.tags)}
                    for h in hits]

    def add(self, claims: Callable[[], list[Claim]]) -> AddResult:
        """Store claims under the same file lock as `factcheck db add` (Milvus: upserts by id need
        none); stored ids are skipped."""
        from ..db.ingest import add_claims

        if self.db is None:
            raise FactcheckError("the service was started without a claims database (--db)")
        enc = self.encoder
        with self.write_locks():
            with self.store(create=True) as st:
                if st.model and st.model != enc.name:
                    raise FactcheckError(f"database was built with model '{st.model}', the service uses "
                                         f"'{enc.name}'", st.location)
                report = add_claims(st, enc, claims())
                result = AddResult(report.added, report.skipped, st.count())
        if report.added and self.frames is not None:
            self.frames.wake()  # stored unparsed (ingest at the encoder's speed); parsed next, in the background
        return result

    @contextmanager
    def write_locks(self) -> Iterator[None]:
        """What every write of the service takes: the file lock of `factcheck db add` (none for
        Milvus), then the in-process lock. A lock held longer than lock_timeout is Busy (503)."""
        from ..db.base import writer_lock

        with ExitStack() as stack:
            try:
                stack.enter_context(writer_lock(str(self.db), self.lock_timeout, say=lambda m: None))
            except FactcheckError as exc:
                if "timed out" not in exc.message:
                    raise  # an unwritable directory, say: bad input, not a busy database
                raise Busy(exc.message, exc.path) from None
            stack.enter_context(self._write_lock)
            yield

    @staticmethod
    def claims_of(doc: Document) -> list[Claim]:
        return extract_claims(doc)
