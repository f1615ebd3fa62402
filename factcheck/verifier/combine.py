"""Rules + verifier score + claim frames -> at most one Finding. Pure.

Not an OR: the model adds findings only where the rules are silent and it is confident, and it
vetoes rule findings it confidently calls non-contradictions. The claim frames have a say on
both (factcheck.verifier.alignment): a frame veto (different subjects, places, times or
directions, the ones the calibration chose) blocks a verifier finding; a frame confirmation (one
event asserted and denied, or another object of the same agent's act) protects a rule finding
from the model's veto and lets a verifier finding through at `confirm_threshold`; a pair the
frames anchor on a shared name ("aligned") needs `threshold`, and one they cannot anchor at all
("neutral": no shared person, organisation or place) needs `unaligned_threshold`.
A verifier finding is explained by the score in both reading orders and by the aligned words
where the two claims differ, with spans on both claims.

`frames(a, b)` may also be a caller's own function returning a FrameVerdict (or None).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from ..claims import Claim
from ..findings import Finding, classify
from ..judge import HEDGE_FACTOR
from ..kinds.base import Evidence
from ..lexicon import is_hedged
from .alignment import FrameVerdict, align, word_differences
from .calibration import CONFIRM_FLOOR, Calibration, says_no
from .learned import pair_features

RULE_ID = "verifier"
VERDICTS = ("veto", "confirm", "aligned", "neutral")

FrameCheck = Callable[[Claim, Claim], Optional[FrameVerdict]]


@dataclass(frozen=True)
class PairScore:
    forward: float                 # P(contradiction) reading a then b
    backward: float | None         # reading b then a (None when not scored)
    value: float                   # the two aggregated as the calibration says
    # A passage premise (several sentences): the readings of a as a whole, and of its sentence
    # nearest b alone (a model truncating a long passage may never read the sentence b is about).
    # forward/backward above are what the calibration's `passage` makes of them.
    whole: tuple | None = None     # (forward, backward) of the whole passage
    part: tuple | None = None      # (forward, backward) of its sentence nearest b

    def to_dict(self) -> dict:
        d = {"score": round(self.value, 4), "a_to_b": round(self.forward, 4)}
        if self.backward is not None:
            d["b_to_a"] = round(self.backward, 4)
        if self.part is not None:
            d["nearest_sentence"] = [round(x, 4) for x in self.part if x is not None]
        return d

    def describe(self) -> str:
        if self.backward is None:
            return f"{self.value:.3f}"  # confident models bunch up near 1: two decimals would say 1.00
        return f"{self.value:.3f} (A→B {self.forward:.3f}, B→A {self.backward:.3f})"


def blocks(verdict: FrameVerdict | None, cal: Calibration) -> bool:
    """A frame veto counts when one of its reasons is among the calibration's frame_vetoes (a
    caller's verdict without reasons always counts)."""
    if verdict is None or verdict.verdict != "veto":
        return False
    return not verdict.reasons or any(r in cal.frame_vetoes for r in verdict.reasons)


def combine(a: Claim, b: Claim, similarity: float, finding: Finding | None, score: PairScore | None,
            cal: Calibration, frames: FrameCheck | None = None) -> Finding | None:
    if cal.combiner is not None:
        return _combine_learned(a, b, similarity, finding, score, cal, frames)
    if finding is not None:
        if score is None:
            return finding
        finding.verifier = {**score.to_dict(), "verdict": "agrees" if score.value >= cal.threshold else "scored"}
        if cal.veto == "off" or score.value > cal.veto_at(finding.kind) or not says_no(score.forward, score.backward):
            return finding
        verdict = _verdict(frames, a, b) if cal.confirm_protects else None
        if verdict is not None and verdict.verdict == "confirm":
            finding.verifier["verdict"] = "scored (frames confirm)"
            return finding
        if cal.veto == "drop":
            return None
        finding.severity = "info"
        finding.message += f" (demoted: the verifier scores contradiction only {score.describe()})"
        finding.verifier["verdict"] = "demoted"
        return finding
    if score is None or similarity < cal.lowest_floor or score.value < cal.lowest_bar:
        return None
    verdict = _verdict(frames, a, b)
    seen = verdict.verdict if verdict is not None else None
    if blocks(verdict, cal) or similarity < cal.floor(seen) or score.value < cal.bar(seen):
        return None
    return _added(a, b, similarity, score, cal, verdict, score.value)


def _added(a: Claim, b: Claim, similarity: float, score: PairScore, cal: Calibration, verdict: FrameVerdict | None,
           confidence: float, combined: str = "", extra: dict | None = None) -> Finding:
    """A verifier finding, explained: the score, the words where the claims differ (spans on
    both claims) and what the frames said."""
    seen = verdict.verdict if verdict is not None else None
    if verdict is not None and verdict.evidence:
        evidence, words = list(verdict.evidence), verdict.reason
    else:
        evidence, words = differences(a, b)
    if not {e.side for e in evidence} >= {"a", "b"}:
        evidence, words = _whole(a, b)
    hedged = bool(is_hedged(a.tokens) or is_hedged(b.tokens))
    message = f"the verifier scores contradiction {score.describe()}{combined}; the claims differ at {words}"
    message += {"confirm": "; the claim frames align on one event", "aligned": "; both name the same subject",
                "neutral": "; no shared name (the model alone says they are about one thing)"}.get(seen, "")
    return Finding(rule=RULE_ID, kind=RULE_ID, severity=cal.severity, message=message,
                   confidence=round(min(1.0, confidence * (HEDGE_FACTOR if hedged else 1.0)), 3),
                   similarity=similarity, a=a, b=b, evidence=evidence, relation=classify(a, b),
                   verifier={**score.to_dict(), **(extra or {}), "verdict": "added" + _SAID.get(seen, "")})


def _combine_learned(a: Claim, b: Claim, similarity: float, finding: Finding | None, score: PairScore | None,
                     cal: Calibration, frames: FrameCheck | None) -> Finding | None:
    """The learned combiner's decision (factcheck.verifier.learned): one probability from the
    model's scores, the rule's kind, the frames' verdict, the similarity and the wording; a rule
    finding below its kind's keep bar is vetoed, a silent pair at or above add_at is added."""
    comb = cal.combiner
    if score is None:
        return finding
    read = finding is not None or max(score.forward, score.backward or 0.0) >= CONFIRM_FLOOR
    verdict = _verdict(frames, a, b) if read else None
    seen = verdict.verdict if verdict is not None else None
    feats = pair_features(a, b, similarity, finding.kind if finding is not None else None,
                          finding.confidence if finding is not None else 0.0, score.forward, score.backward, seen,
                          tuple(verdict.reasons) if verdict is not None else (), score.part is not None)
    p = comb.probability(feats)
    if finding is not None:
        keep = comb.keep_bar(finding.kind)
        finding.verifier = {**score.to_dict(), "combined": round(p, 4),
                            "verdict": "agrees" if p >= 0.5 else "scored"}
        if cal.veto == "off" or p >= keep or not says_no(score.forward, score.backward):
            return finding
        if cal.veto == "drop":
            return None
        finding.severity = "info"
        finding.message += (f" (demoted: the verifier scores contradiction only {score.describe()}; with the "
                            f"rule's kind, the frames and the wording, P(contradiction) {p:.2f} < {keep:.2f})")
        finding.verifier["verdict"] = "demoted"
        return finding
    added, what, value, bar = comb.adding(feats, p)
    if similarity < cal.min_similarity or blocks(verdict, cal) or not added:
        return None
    why = ", ".join(comb.strongest(feats))
    combined = (f"; with the frames and the wording, P(contradiction) {p:.2f}"
                + (f" (mostly: {why})" if why else "")
                + ("" if what == "P(contradiction)" else f"; {what} {value:.3f}") + f" >= {bar:.3f}")
    return _added(a, b, similarity, score, cal, verdict, p, combined, {"combined": round(p, 4)})


_SAID = {"confirm": " (frames confirm)", "aligned": " (frames align)", "neutral": " (no shared name)"}


def _verdict(frames: FrameCheck | None, a: Claim, b: Claim) -> FrameVerdict | None:
    verdict = frames(a, b) if frames is not None else None
    if verdict is not None and verdict.verdict not in VERDICTS:
        raise ValueError(f"frame verdict must be one of {', '.join(VERDICTS)}, got {verdict.verdict!r}")
    return verdict


def differences(a: Claim, b: Claim) -> tuple[list[Evidence], str]:
    """Without frames: the word-level alignment only, spans on both claims."""
    diffs = word_differences(a, b)
    return ([e for sa, sb, _ in diffs for e in (sa, sb)],
            "; ".join(f"A '{sa.text}' / B '{sb.text}'" for sa, sb, _ in diffs))


def _whole(a: Claim, b: Claim) -> tuple[list[Evidence], str]:
    """No differing content words (a paraphrase, to the word aligner): point at both claims."""
    return ([Evidence("a", a.text, 0, len(a.text)), Evidence("b", b.text, 0, len(b.text))],
            "no differing content words (the claims as a whole)")


__all__ = ["FrameVerdict", "FrameCheck", "PairScore", "align", "blocks", "combine", "differences"]
