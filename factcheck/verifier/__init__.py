"""A learned verifier (an NLI cross-encoder you bring) as an optional stage after the rules.

`Verifier(DIR)` picks the backend from the directory's layout (ONNX or sentence-transformers
CrossEncoder), reads calibration.json beside the model when there is one, and caches scores.
Only imported when a verifier is asked for, so runs without one load nothing extra.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..claims import Claim
from ..errors import FactcheckError
from ..findings import Finding
from .cache import ScoreCache, pair_key
from .alignment import FrameVerdict, frame_verdict
from .calibration import (CONFIRM_FLOOR, FILE as CALIBRATION_FILE, VETO_MODES, Calibration, Signals, check_choice,
                          load_calibration, passage_readings)
from .combine import FrameCheck, PairScore, combine

__all__ = ["CALIBRATION_FILE", "Verifier", "FrameVerdict", "FrameCheck", "PairScore", "Calibration", "frame_verdict",
           "load_backend", "signals"]

CACHE_FILE = ".factcheck-scores.sqlite"


def load_backend(directory: Path, batch_size: int = 32):
    from .crossencoder_backend import weights_file
    from .onnx_backend import model_file

    if not directory.is_dir():
        raise FactcheckError("verifier model directory not found", str(directory))
    if model_file(directory) is not None:
        from .onnx_backend import OnnxBackend

        return OnnxBackend(directory, batch_size=batch_size)
    if weights_file(directory) is not None:
        from .crossencoder_backend import CrossEncoderBackend

        return CrossEncoderBackend(directory, batch_size=batch_size)
    raise FactcheckError("not a verifier model: expected model.onnx + tokenizer.json + config.json, or a "
                         "sentence-transformers CrossEncoder (config.json + model.safetensors)", str(directory))


@dataclass
class Stats:
    pairs: int = 0      # pairs asked about
    scored: int = 0     # directional readings run through the model
    cached: int = 0     # directional readings found in the cache
    seconds: float = 0.0

    def describe(self) -> str:
        rate = f", {self.scored / self.seconds:.1f} readings/s" if self.seconds > 0 and self.scored else ""
        return (f"{self.pairs} pairs ({self.scored} model readings, {self.cached} from cache) in "
                f"{self.seconds:.2f}s{rate}")


class Verifier:
    def __init__(self, directory: str | Path, calibration: str | Path | Calibration | None = None,
                 cache: str | Path | None = "auto", veto: str | None = None, batch_size: int = 32) -> None:
        self.directory = Path(directory).expanduser()
        self.backend = load_backend(self.directory, batch_size=batch_size)
        if isinstance(calibration, Calibration):
            self.calibration = calibration
        else:
            path = Path(calibration) if calibration is not None else self.directory / CALIBRATION_FILE
            if calibration is not None and not path.is_file():
                raise FactcheckError("calibration file not found", str(path))
            self.calibration = load_calibration(path) if path.is_file() else Calibration()
        if veto is not None:
            check_choice("veto", veto, VETO_MODES)
            self.calibration.veto = veto
        self.cache = ScoreCache(self._cache_path(cache))
        self.stats = Stats()
        self.progress = None  # optional callable(done, total) while readings are scored

    def _cache_path(self, cache) -> Path | None:
        env = os.environ.get("FACTCHECK_VERIFIER_CACHE")
        if cache == "auto":
            cache = env if env else self.directory / CACHE_FILE
        if cache in (None, "", "off"):
            return None
        return Path(cache)

    @property
    def both_ways(self) -> bool:
        if self.backend.symmetric:
            return False
        comb = self.calibration.combiner  # its features are those it was fitted on
        return comb.both_orders if comb is not None else self.calibration.aggregate != "forward"

    def score_pairs(self, pairs: Sequence[tuple[str, str]], both_ways: bool | None = None,
                    parts: Sequence[str | None] | None = None) -> list[PairScore]:
        """Scores for (a, b) text pairs: cached readings reused, the rest batched through the model.
        parts: per pair, the sentence of a passage `a` nearest `b` (None: a is one sentence), read
        too, in the same orders; the calibration's `passage` says what the pair's score is then."""
        t = time.perf_counter()
        both = self.both_ways if both_ways is None else both_ways
        fp = self.backend.fingerprint
        parts = list(parts) if parts is not None else [None] * len(pairs)
        wanted: dict[str, tuple[str, str]] = {}
        for (a, b), part in zip(pairs, parts):
            for x in (a,) if part is None else (a, part):
                wanted.setdefault(pair_key(fp, x, b), (x, b))
                if both:
                    wanted.setdefault(pair_key(fp, b, x), (b, x))
        known = self.cache.get_many(list(wanted))
        todo = [(k, p) for k, p in wanted.items() if k not in known]
        step = self.backend.batch_size * 4  # stored as it goes: an interrupted run keeps what it scored
        for start in range(0, len(todo), step):
            part = todo[start:start + step]
            new = list(zip((k for k, _ in part), self.backend.score([p for _, p in part])))
            self.cache.put_many(new)
            known.update(new)
            if self.progress is not None:
                self.progress(min(start + step, len(todo)), len(todo))
        out = []
        cal = self.calibration
        for (a, b), part in zip(pairs, parts):
            whole = (known[pair_key(fp, a, b)], known[pair_key(fp, b, a)] if both else None)
            near = None if part is None else (known[pair_key(fp, part, b)],
                                              known[pair_key(fp, b, part)] if both else None)
            fwd, bwd = passage_readings(cal.passage, whole, near)
            out.append(PairScore(fwd, bwd, cal.aggregate_scores(fwd, bwd), whole=whole, part=near))
        self.stats.pairs += len(pairs)
        self.stats.scored += len(todo)
        self.stats.cached += len(wanted) - len(todo)
        self.stats.seconds += time.perf_counter() - t
        return out

    def needs_score(self, similarity: float, finding: Finding | None, floor: float) -> bool:
        """Pairs worth a model call: rule findings (for the veto), and silent pairs that could
        become verifier findings (at or above both similarity floors)."""
        if finding is not None:
            return self.calibration.veto != "off" or self.calibration.combiner is not None
        return similarity >= max(floor, self.calibration.lowest_floor)

    def apply(self, triples: Sequence[tuple[Claim, Claim, float]], findings: Sequence[Finding | None],
              floor: float = 0.0, frames: FrameCheck | None = None, attach=None) -> list[Finding | None]:
        """The combination over judged candidate pairs: one result per pair, in order. attach:
        parses claims' frames in one batch (Checker.attach_frames) before `frames` reads them."""
        ask = [n for n, ((_, _, sim), f) in enumerate(zip(triples, findings)) if self.needs_score(sim, f, floor)]
        got = self.score_pairs([(triples[n][0].text, triples[n][1].text) for n in ask])
        scores: list[PairScore | None] = [None] * len(triples)
        for n, sc in zip(ask, got):
            scores[n] = sc
        return self.combine_all(triples, findings, scores, frames, attach)

    def needs_verdict(self, similarity: float, finding: Finding | None, score: PairScore | None) -> bool:
        """Pairs whose outcome the frames can change: a rule finding the model would veto, or a
        silent pair scored over a bar. Only their claims are parsed."""
        cal = self.calibration
        if score is None:
            return False
        if cal.combiner is not None:  # the same pairs as calibration read frames for (signals below)
            return finding is not None or max(score.forward, score.backward or 0.0) >= CONFIRM_FLOOR
        if finding is not None:
            return cal.veto != "off" and cal.confirm_protects and score.value <= cal.veto_at(finding.kind)
        return similarity >= cal.lowest_floor and score.value >= cal.lowest_bar

    def combine_all(self, triples, findings, scores, frames: FrameCheck | None = None, attach=None):
        if frames is not None and attach is not None:
            attach(list({id(c): c for (a, b, sim), f, sc in zip(triples, findings, scores)
                         if self.needs_verdict(sim, f, sc) for c in (a, b)}.values()))
        return [combine(a, b, sim, f, sc, self.calibration, frames)
                for (a, b, sim), f, sc in zip(triples, findings, scores)]

    def describe(self) -> str:
        cal = self.calibration
        how = (f"calibrated on {len(cal.fitted_on)} dev file(s)" if cal.fitted else "uncalibrated defaults")
        comb = cal.combiner
        if comb is not None:
            kinds = "".join(f", {k} < {v:.3g}" for k, v in sorted(comb.kind_keep.items()))
            line = (f"{self.backend.name} verifier {self.directory} ({how}: learned combiner over "
                    f"{len(comb.names)} features, {comb.bars_text()}"
                    + " (similarity >= "
                    f"{cal.min_similarity:.2f}), veto {cal.veto} at P < {comb.keep_at:.3g}{kinds}, "
                    + (f"passage premises read {cal.passage}, " if cal.passage != "whole" else "")
                    + f"{'both orders' if self.both_ways else 'one order'}); {self.stats.describe()}")
            return line + (f"; {self.cache.problem}" if self.cache.problem else "")
        kinds = "".join(f", {k} <= {v:.3g}" for k, v in sorted(cal.kind_veto.items()))
        line = (f"{self.backend.name} verifier {self.directory} ({how}: adds at >= {cal.threshold:.3g} "
                f"(no shared name: {cal.unaligned_threshold:.3g}), veto {cal.veto} at <= {cal.veto_threshold:.3g}"
                f"{kinds}, {cal.aggregate} of {'both orders' if self.both_ways else 'one order'}); "
                f"{self.stats.describe()}")
        if self.cache.problem:
            line += f"; {self.cache.problem}"
        return line


def signals(name: str, judged, frames: FrameCheck | None = None, attach=None, passage: str | None = None) -> Signals:
    """A dev file as calibration sees it (factcheck.evaluate.judge_pairs' output), with the
    frames' verdict on every pair it could matter for: rule findings, and silent pairs the model
    scores at least CONFIRM_FLOOR in either order. passage: read passage premises so (PASSAGES;
    None: as scored)."""
    def wanted(f, sc) -> bool:
        return sc is not None and (f is not None or max(sc.forward, sc.backward or 0.0) >= CONFIRM_FLOOR)

    from dataclasses import replace

    from .learned import pair_features

    if passage is not None:
        judged = replace(judged, scores=[sc if sc is None or sc.whole is None else
                                          replace(sc, **dict(zip(("forward", "backward"), passage_readings(
                                              passage, sc.whole, sc.part)))) for sc in judged.scores])

    verdicts: list = [None] * len(judged.pairs)
    reasons: list = [()] * len(judged.pairs)
    if frames is not None:
        todo = [n for n, (f, sc) in enumerate(zip(judged.findings, judged.scores)) if wanted(f, sc)]
        if attach is not None:
            attach(list({id(c): c for n in todo for c in judged.claims[n]}.values()))
        for n in todo:
            v = frames(*judged.claims[n])
            if v is not None:
                verdicts[n], reasons[n] = v.verdict, tuple(v.reasons)
    features = [None if sc is None else
                pair_features(a, b, sim, f.kind if f is not None else None, f.confidence if f is not None else 0.0,
                              sc.forward, sc.backward, v, r, sc.part is not None)
                for (a, b), sim, f, sc, v, r in zip(judged.claims, judged.similarity, judged.findings, judged.scores,
                                                     verdicts, reasons)]
    return Signals(name=name, gold=[p.label == "contradiction" for p in judged.pairs], similarity=judged.similarity,
                   rule=[f is not None for f in judged.findings],
                   forward=[s.forward if s else None for s in judged.scores],
                   backward=[s.backward if s else None for s in judged.scores], verdict=verdicts, reasons=reasons,
                   kind=[f.kind if f is not None else None for f in judged.findings], features=features)
