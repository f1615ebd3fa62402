"""The public Python API: Checker loads rules and the model once and compares claims."""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .claims import Claim, extract_claims
from .findings import Finding
from .judge import judge
from .ruleset import SEVERITY_RANK, Rule, load_rules_strict
from .textio import Document, document_from_text, read_document


@dataclass
class Comparison:
    a: Document
    b: Document
    claims_a: list[Claim]
    claims_b: list[Claim]
    findings: list[Finding]


class Checker:
    """Compare articles or claims for contradictions.

    >>> checker = Checker()
    >>> findings = checker.compare_texts(text_a, text_b)
    """

    def __init__(self, rules: Sequence[Rule] | Iterable[str | Path] | None = None, model: str | None = None,
                 top_k: int = 5, min_similarity: float = 0.35, batch_size: int = 32,
                 backend: str | None = None) -> None:
        if rules is None:
            loaded = load_rules_strict()
        else:
            rules = list(rules)
            loaded = rules if all(isinstance(r, Rule) for r in rules) else load_rules_strict(rules)
        self.rules = [r for r in loaded if r.enabled]
        _check_bounds(top_k, min_similarity, batch_size)
        self.model = model
        self.top_k = top_k
        self.min_similarity = min_similarity
        self.batch_size = batch_size
        self.backend = backend
        self._encoder = None

    @property
    def encoder(self):
        if self._encoder is None:
            from .embedding import Encoder

            self._encoder = Encoder(self.model, batch_size=self.batch_size, backend=self.backend)
        return self._encoder

    # -- claims -------------------------------------------------------------------------------
    @staticmethod
    def claims_from_text(text: str, source: str = "<text>") -> list[Claim]:
        return extract_claims(document_from_text(text, source))

    # -- judging ------------------------------------------------------------------------------
    def similarity(self, a: Claim, b: Claim) -> float:
        va, vb = self.encoder.encode([a.text, b.text])
        return float(va @ vb)

    def check_pair(self, claim_a: Claim | str, claim_b: Claim | str, similarity: float | None = None) -> Finding | None:
        a = claim_a if isinstance(claim_a, Claim) else Claim(text=claim_a, source="a")
        b = claim_b if isinstance(claim_b, Claim) else Claim(text=claim_b, source="b")
        sim = self.similarity(a, b) if similarity is None else similarity
        return judge(a, b, sim, self.rules)

    def encode(self, texts: Sequence[str], progress=None):
        """Encode in chunks so one progress display (ours, not the library's) counts them."""
        import numpy as np

        from .progress import NONE

        texts = list(texts)
        chunk = max(256, self.batch_size * 8)
        parts = []
        with (progress or NONE).task("embeddings", len(texts)) as advance:
            for i in range(0, len(texts), chunk):
                parts.append(self.encoder.encode(texts[i:i + chunk]))
                advance(len(parts[-1]))
        return np.vstack(parts) if parts else self.encoder.encode([])

    def _judge_pairs(self, pairs, claims_a, claims_b, progress=None) -> list[Finding]:
        from .progress import NONE

        findings = []
        with (progress or NONE).task("judging", len(pairs), unit="pairs") as advance:
            for n, (i, j, sim) in enumerate(pairs, 1):
                if claims_a[i].id != claims_b[j].id:
                    f = judge(claims_a[i], claims_b[j], sim, self.rules)
                    if f is not None:
                        findings.append(f)
                if n % 256 == 0 or n == len(pairs):
                    advance(256 if n % 256 == 0 else n % 256)
        return findings

    def compare_claims(self, claims_a: Sequence[Claim], claims_b: Sequence[Claim], store=None, stage=None,
                       progress=None) -> list[Finding]:
        """Claims of A against claims of B (and, with a store, both against the claims database)."""
        return self._run(list(claims_a), list(claims_b), store, stage or _no_stage, progress)

    def check_claims(self, claims: Sequence[Claim], store=None, stage=None, progress=None) -> list[Finding]:
        """Every claim against every other claim of the run, and against the claims database."""
        return self._run(list(claims), None, store, stage or _no_stage, progress)

    def _run(self, claims_a: list[Claim], claims_b: list[Claim] | None, store, stage, progress) -> list[Finding]:
        """The one pipeline behind compare and check: embeddings -> candidates -> judging -> claims DB.
        With claims_b None, the claims are checked against each other (each unordered pair once)."""
        import numpy as np

        from .candidates import candidate_pairs

        with stage("embeddings"):
            vecs = self.encode([c.text for c in claims_a + (claims_b or [])], progress)
            va, vb = (vecs, vecs) if claims_b is None else (vecs[:len(claims_a)], vecs[len(claims_a):])
        with stage("candidates"):
            if claims_b is None:
                found = {(min(i, j), max(i, j)): sim for i, j, sim in
                         candidate_pairs(va, va, self.top_k + 1, self.min_similarity) if i != j}
                pairs = [(i, j, sim) for (i, j), sim in sorted(found.items())]
            else:
                pairs = candidate_pairs(va, vb, self.top_k, self.min_similarity)
        with stage("judging"):
            findings = self._judge_pairs(pairs, claims_a, claims_b if claims_b is not None else claims_a, progress)
        if store is not None:
            with stage("claims database"):
                findings += self._against_store(claims_a + (claims_b or []), np.asarray(vecs), store)
        return sort_findings(findings)

    def _against_store(self, claims: list[Claim], vecs, store) -> list[Finding]:
        """New claims (side A) against stored prior claims (side B, with their source and date)."""
        from .db.vindex import VectorIndex
        from .errors import FactcheckError

        if store.max_rowid() == 0:  # not count(): that scans every row of a large database
            return []
        if store.dim != self.encoder.dim or (store.model and store.model != self.encoder.name):
            raise FactcheckError(f"database was built with model '{store.model}', this run uses "
                                 f"'{self.encoder.name}'; pass --model {store.model}", str(store.dir))
        hits = VectorIndex(store).search(vecs, self.top_k)
        # Only rows that clear the floor are read back: each costs a SQLite row and a Claim.
        priors = store.get(sorted({rid for row in hits for rid, sim in row if sim >= self.min_similarity}))
        run_ids = {c.id for c in claims}
        findings = []
        for claim, row in zip(claims, hits):
            for rid, sim in row:
                prior = priors.get(rid)
                if prior is None or sim < self.min_similarity or prior.claim.id in run_ids:
                    continue
                f = judge(claim, prior.claim, sim, self.rules)
                if f is not None:
                    f.prior = True
                    findings.append(f)
        return findings

    def compare_documents(self, a: Document, b: Document, store=None, stage=None, progress=None) -> Comparison:
        with (stage or _no_stage)("claims"):
            ca, cb = extract_claims(a), extract_claims(b)
        return Comparison(a, b, ca, cb, self.compare_claims(ca, cb, store, stage, progress))

    def compare_files(self, path_a: str | Path, path_b: str | Path, store=None) -> Comparison:
        return self.compare_documents(read_document(path_a), read_document(path_b), store)

    def compare_texts(self, text_a: str, text_b: str, source_a: str = "a", source_b: str = "b") -> list[Finding]:
        return self.compare_documents(document_from_text(text_a, source_a), document_from_text(text_b, source_b)).findings


def _check_bounds(top_k, min_similarity, batch_size) -> None:
    """API callers get the same limits as the CLI: memory is never sized from an unchecked number."""
    import math

    from .config import MAX_TOP_K
    from .errors import FactcheckError

    if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= MAX_TOP_K:
        raise FactcheckError(f"top_k must be an integer from 1 to {MAX_TOP_K}, got {top_k!r}")
    if isinstance(min_similarity, bool) or not isinstance(min_similarity, (int, float)) or \
            not math.isfinite(min_similarity) or not 0 <= min_similarity <= 1:
        raise FactcheckError(f"min_similarity must be a number from 0 to 1, got {min_similarity!r}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or not 1 <= batch_size <= 100_000:
        raise FactcheckError(f"batch_size must be an integer from 1 to 100000, got {batch_size!r}")
def _no_stage(_name: str):
    return nullcontext()


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], -f.confidence, f.a.start, f.b.start))
