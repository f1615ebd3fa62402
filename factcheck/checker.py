"""The public Python API: Checker loads rules and the model once and compares claims."""
from __future__ import annotations

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
                 top_k: int = 5, min_similarity: float = 0.35, batch_size: int = 32) -> None:
        if rules is None:
            loaded = load_rules_strict()
        else:
            rules = list(rules)
            loaded = rules if all(isinstance(r, Rule) for r in rules) else load_rules_strict(rules)
        self.rules = [r for r in loaded if r.enabled]
        self.model = model
        self.top_k = top_k
        self.min_similarity = min_similarity
        self.batch_size = batch_size
        self._encoder = None

    @property
    def encoder(self):
        if self._encoder is None:
            from .embedding import Encoder

            self._encoder = Encoder(self.model, batch_size=self.batch_size)
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

    def compare_claims(self, claims_a: Sequence[Claim], claims_b: Sequence[Claim], store=None) -> list[Finding]:
        """Claims of A against claims of B (and, with a store, both against the claims database)."""
        from .candidates import candidate_pairs

        va = self.encoder.encode([c.text for c in claims_a])
        vb = self.encoder.encode([c.text for c in claims_b])
        findings = []
        for i, j, sim in candidate_pairs(va, vb, self.top_k, self.min_similarity):
            f = judge(claims_a[i], claims_b[j], sim, self.rules)
            if f is not None:
                findings.append(f)
        if store is not None:
            import numpy as np

            findings += self._against_store(list(claims_a) + list(claims_b), np.vstack([va, vb]), store)
        return sort_findings(findings)

    def check_claims(self, claims: Sequence[Claim], store=None, progress=None) -> list[Finding]:
        """Every claim against every other claim of the run, and against the claims database."""
        from .candidates import candidate_pairs

        vecs = self.encoder.encode([c.text for c in claims], progress=progress)
        findings = []
        pairs = {(min(i, j), max(i, j)): sim for i, j, sim in
                 candidate_pairs(vecs, vecs, self.top_k + 1, self.min_similarity) if i != j}
        for (i, j), sim in sorted(pairs.items()):
            if claims[i].id != claims[j].id:
                f = judge(claims[i], claims[j], sim, self.rules)
                if f is not None:
                    findings.append(f)
        if store is not None:
            findings += self._against_store(list(claims), vecs, store)
        return sort_findings(findings)

    def _against_store(self, claims: list[Claim], vecs, store) -> list[Finding]:
        """New claims (side A) against stored prior claims (side B, with their source and date)."""
        from .errors import FactcheckError

        if not hasattr(store, "search"):  # a bare ClaimStore from older callers of the Python API
            from .db.embedded import EmbeddedStore

            store = EmbeddedStore(store.dir)
        if store.is_empty():
            return []
        if store.dim != self.encoder.dim or (store.model and store.model != self.encoder.name):
            raise FactcheckError(f"database was built with model '{store.model}', this run uses "
                                 f"'{self.encoder.name}'; pass --model {store.model}", store.location)
        hits = store.search(vecs, self.top_k, self.min_similarity)
        run_ids = {c.id for c in claims}
        findings = []
        for claim, row in zip(claims, hits):
            for hit in row:
                if hit.claim.id in run_ids:
                    continue
                f = judge(claim, hit.claim, hit.similarity, self.rules)
                if f is not None:
                    f.prior = True
                    findings.append(f)
        return findings

    def compare_documents(self, a: Document, b: Document, store=None) -> Comparison:
        ca, cb = extract_claims(a), extract_claims(b)
        return Comparison(a, b, ca, cb, self.compare_claims(ca, cb, store))

    def compare_files(self, path_a: str | Path, path_b: str | Path, store=None) -> Comparison:
        return self.compare_documents(read_document(path_a), read_document(path_b), store)

    def compare_texts(self, text_a: str, text_b: str, source_a: str = "a", source_b: str = "b") -> list[Finding]:
        return self.compare_documents(document_from_text(text_a, source_a), document_from_text(text_b, source_b)).findings


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], -f.confidence, f.a.start, f.b.start))
