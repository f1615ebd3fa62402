"""What the service keeps warm: one Checker (rules + model), the claims DB directory, and the
locks that make sharing them safe.

The model is loaded once, under a lock, however many requests arrive together. Pipeline work,
from text to findings, runs one request at a time: torch already spreads one encode over every
core, so running two at once only makes both slower, and claim extraction is not thread-safe
(concurrent drafts once came out with different claim counts). The event loop stays free for
health checks and metrics meanwhile.
SQLite connections are opened per request (a few milliseconds) because they may not cross
threads and because a CLI `db add` running beside the service changes the files underneath.
"""
from __future__ import annotations

import threading
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from ..checker import Checker
from ..claims import Claim, extract_claims
from ..errors import FactcheckError
from ..findings import Finding
from ..ruleset import Rule, select_rules
from ..textio import Document

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
    db: Path | None
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    model_loads: int = 0
    _load_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _work_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # -- model ---------------------------------------------------------------------------------
    @property
    def encoder(self):
        """The encoder, loaded on first use by exactly one thread; the others wait for it."""
        if self.checker._encoder is None:
            with self._load_lock:
                if self.checker._encoder is None:
                    self.checker.encoder  # noqa: B018
                    self.model_loads += 1
        return self.checker._encoder

    @property
    def model_loaded(self) -> bool:
        return self.checker._encoder is not None

    @property
    def backend(self) -> str | None:
        """The backend encoding requests (onnx or torch); before the load, the one asked for."""
        return self.checker._encoder.backend if self.model_loaded else self.checker.backend

    # -- database ------------------------------------------------------------------------------
    def has_db(self) -> bool:
        from ..db.store import DB_FILE

        return self.db is not None and (self.db / DB_FILE).exists()

    @contextmanager
    def store(self, create: bool = False) -> Iterator[object | None]:
        """A connection for this request, or None when there is no database to consult."""
        from ..db.embedded import EmbeddedStore  # the Store interface over the embedded files

        if self.db is None or (not create and not self.has_db()):
            yield None
            return
        st = EmbeddedStore(str(self.db), create=create)
        try:
            yield st
        finally:
            st.close()

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

    def compare(self, a: Callable[[], Document], b: Callable[[], Document], rules: list[Rule], use_db: bool = True):
        """Documents are made by the callables inside the lock: text repair and claim
        extraction share state, so they run one at a time like the rest of the pipeline."""
        self.encoder  # noqa: B018
        with self._work_lock, self.store() as st:
            return self._with_rules(rules).compare_documents(a(), b(), store=st if use_db else None)

    def check(self, claims: Callable[[], list[Claim]], rules: list[Rule], use_db: bool = True
              ) -> tuple[list[Claim], list[Finding]]:
        self.encoder  # noqa: B018
        with self._work_lock, self.store() as st:
            cs = claims()
            return cs, self._with_rules(rules).check_claims(cs, store=st if use_db else None)

    def search(self, query: str, k: int) -> list[dict]:
        from ..db.vindex import VectorIndex

        enc = self.encoder
        with self._work_lock, self.store() as st:
            if st is None or st.max_rowid() == 0:
                return []
            hits = VectorIndex(st).search(enc.encode([query]), k)[0]
            found = st.get([r for r, _ in hits])
            return [{"similarity": round(s, 4), **found[r].claim.to_dict(), "tags": list(found[r].claim.tags)}
                    for r, s in hits if r in found]

    def add(self, claims: Callable[[], list[Claim]]) -> AddResult:
        """Store claims under the same file lock as `factcheck db add`; stored ids are skipped."""
        from ..db.ingest import add_claims, writer_lock

        if self.db is None:
            raise FactcheckError("the service was started without a claims database (--db)")
        enc = self.encoder
        with ExitStack() as stack:
            try:
                stack.enter_context(writer_lock(self.db, self.lock_timeout, say=lambda m: None))
            except FactcheckError as exc:
                raise Busy(exc.message, exc.path) from None
            stack.enter_context(self._work_lock)
            st = stack.enter_context(self.store(create=True))
            if st.model and st.model != enc.name:
                raise FactcheckError(f"database was built with model '{st.model}', the service uses '{enc.name}'",
                                     str(self.db))
            report = add_claims(st, enc, claims())
            return AddResult(report.added, report.skipped, st.count())

    @staticmethod
    def claims_of(doc: Document) -> list[Claim]:
        """Call only inside a locked Engine call (see the module docstring)."""
        return extract_claims(doc)
