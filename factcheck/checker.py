"""The public Python API: Checker loads rules and the model once and compares claims."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .claims import Claim, extract_claims
from .findings import Finding
from .judge import judge, needs_frames
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
                 parser: str | None = None) -> None:
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
        self.parser = parser
        self._encoder = None
        if parser:
            from .frames import check_parser, set_default_parser

            check_parser(parser)
            set_default_parser(parser)

    def attach_frames(self, claims: Sequence[Claim]) -> None:
        """Parse the claims that reach judging in one batch (nlp.pipe), before judging them."""
        if claims:
            from .frames import reader

            reader(self.parser).attach(claims)

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
        pairs = list(candidate_pairs(va, vb, self.top_k, self.min_similarity))
        self.attach_frames(list({id(c): c for i, j, sim in pairs
                                 if needs_frames(claims_a[i], claims_b[j], sim, self.rules)
                                 for c in (claims_a[i], claims_b[j])}.values()))
        for i, j, sim in pairs:
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
        self.attach_frames(list({id(c): c for (i, j), sim in pairs.items()
                                 if needs_frames(claims[i], claims[j], sim, self.rules)
                                 for c in (claims[i], claims[j])}.values()))
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
        from .db.vindex import VectorIndex
        from .errors import FactcheckError

        if store.max_rowid() == 0:  # not count(): that scans every row of a large database
            return []
        if store.dim != self.encoder.dim or (store.model and store.model != self.encoder.name):
            raise FactcheckError(f"database was built with model '{store.model}', this run uses "
                                 f"'{self.encoder.name}'; pass --model {store.model}", str(store.dir))
        hits = VectorIndex(store).search(vecs, self.top_k)
        priors = store.get(sorted({rid for row in hits for rid, _ in row}))
        run_ids = {c.id for c in claims}
        findings = []
        self._prior_frames(claims, hits, priors, store)
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

    def _prior_frames(self, claims, hits, priors, store) -> None:
        """Frames of stored claims come from the database; the few never parsed before are parsed
        now, in one batch, and written back, so the archive is parsed at most once."""
        from .frames import reader

        parser = reader(self.parser).name
        stored = store.get_frames([p.claim.id for p in priors.values()], parser)
        for p in priors.values():
            if p.claim.id in stored:
                p.claim.__dict__["frame"] = stored[p.claim.id]
        need = {}
        for claim, row in zip(claims, hits):
            for rid, sim in row:
                prior = priors.get(rid)
                if prior is not None and sim >= self.min_similarity and needs_frames(claim, prior.claim, sim, self.rules):
                    need[id(claim)] = claim
                    need[id(prior.claim)] = prior.claim
        fresh = [c for c in need.values() if "frame" not in c.__dict__]
        self.attach_frames(fresh)
        prior_ids = {p.claim.id for p in priors.values()}
        new = {c.id: c.__dict__["frame"] for c in fresh if c.id in prior_ids}
        if new:
            try:
                store.put_frames(new, parser)
            except Exception:  # a read-only or busy database: judging goes on, frames parse again next time
                pass

    def compare_documents(self, a: Document, b: Document, store=None) -> Comparison:
        ca, cb = extract_claims(a), extract_claims(b)
        return Comparison(a, b, ca, cb, self.compare_claims(ca, cb, store))

    def compare_files(self, path_a: str | Path, path_b: str | Path, store=None) -> Comparison:
        return self.compare_documents(read_document(path_a), read_document(path_b), store)

    def compare_texts(self, text_a: str, text_b: str, source_a: str = "a", source_b: str = "b") -> list[Finding]:
        return self.compare_documents(document_from_text(text_a, source_a), document_from_text(text_b, source_b)).findings


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], -f.confidence, f.a.start, f.b.start))
