"""Rules + verifier score (+ claim frames, when plugged in) -> at most one Finding. Pure.

Not an OR: the model adds findings only where the rules are silent and it is confident, and it
vetoes rule findings it confidently calls non-contradictions. A verifier finding is explained by
the score in both reading orders and by the words where the two claims differ, with spans.

Frames hook: `frames(a, b)` may return a FrameVerdict. "veto" (e.g. different subjects, places or
times) blocks a verifier finding for the pair; "confirm" (a slot that conflicts) protects a rule
finding from the model's veto and lowers the bar of a verifier finding to `confirm_threshold`.
The verdict's evidence, when given, replaces the word alignment in the explanation.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..claims import Claim
from ..findings import Finding, classify
from ..judge import HEDGE_FACTOR
from ..kinds.base import Evidence
from ..lexicon import Token, is_hedged
from .calibration import Calibration

RULE_ID = "verifier"
MAX_DIFFS = 3


@dataclass(frozen=True)
class FrameVerdict:
    verdict: str  # "veto" or "confirm"
    reason: str = ""
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)


FrameCheck = Callable[[Claim, Claim], Optional[FrameVerdict]]


@dataclass(frozen=True)
class PairScore:
    forward: float                 # P(contradiction) reading a then b
    backward: float | None         # reading b then a (None when not scored)
    value: float                   # the two aggregated as the calibration says

    def to_dict(self) -> dict:
        d = {"score": round(self.value, 4), "a_to_b": round(self.forward, 4)}
        if self.backward is not None:
            d["b_to_a"] = round(self.backward, 4)
        return d

    def describe(self) -> str:
        if self.backward is None:
            return f"{self.value:.2f}"
        return f"{self.value:.2f} (A→B {self.forward:.2f}, B→A {self.backward:.2f})"


def combine(a: Claim, b: Claim, similarity: float, finding: Finding | None, score: PairScore | None,
            cal: Calibration, frames: FrameCheck | None = None) -> Finding | None:
    verdict = frames(a, b) if frames is not None else None
    if verdict is not None and verdict.verdict not in ("veto", "confirm"):
        raise ValueError(f"frame verdict must be 'veto' or 'confirm', got {verdict.verdict!r}")
    if finding is not None:
        if score is None:
            return finding
        finding.verifier = {**score.to_dict(), "verdict": "agrees" if score.value >= cal.threshold else "scored"}
        confirmed = verdict is not None and verdict.verdict == "confirm"
        if cal.veto != "off" and score.value <= cal.veto_threshold and not confirmed:
            if cal.veto == "drop":
                return None
            finding.severity = "info"
            finding.message += f" (demoted: the verifier scores contradiction only {score.describe()})"
            finding.verifier["verdict"] = "demoted"
        return finding
    if score is None or similarity < cal.min_similarity:
        return None
    if verdict is not None and verdict.verdict == "veto":
        return None
    bar = cal.confirm_threshold if verdict is not None else cal.threshold
    if score.value < bar:
        return None
    if verdict is not None and verdict.evidence:
        evidence, words = list(verdict.evidence), verdict.reason
    else:
        evidence, words = differences(a, b)
    hedged = bool(is_hedged(a.tokens) or is_hedged(b.tokens))
    message = f"the verifier scores contradiction {score.describe()}"
    message += f"; the claims differ at {words}" if words else "; no differing words (a paraphrase?)"
    if verdict is not None and verdict.reason and not verdict.evidence:
        message += f"; frames: {verdict.reason}"
    return Finding(rule=RULE_ID, kind=RULE_ID, severity=cal.severity, message=message,
                   confidence=round(min(1.0, score.value * (HEDGE_FACTOR if hedged else 1.0)), 3),
                   similarity=similarity, a=a, b=b, evidence=evidence, relation=classify(a, b),
                   verifier={**score.to_dict(), "verdict": "added" + (" (frames confirm)" if verdict else "")})


def _key(t: Token) -> str:
    return min(t.lemmas, key=len) if t.is_word else t.lower


def _worth(tokens: list[Token]) -> int:
    """How much a differing stretch says: content words, negation cues and numbers count."""
    return sum(1 for t in tokens if t.content or t.is_cue or t.lower in ("not", "no", "never") or t.lower[:1].isdigit())


def differences(a: Claim, b: Claim) -> tuple[list[Evidence], str]:
    """Align the two claims word by word (difflib) and return the differing stretches that carry
    content, as evidence spans on both sides and a short description."""
    ta = [t for t in a.tokens if t.is_word or t.lower[:1].isdigit()]
    tb = [t for t in b.tokens if t.is_word or t.lower[:1].isdigit()]
    sm = difflib.SequenceMatcher(a=[_key(t) for t in ta], b=[_key(t) for t in tb], autojunk=False)
    ops = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        worth = _worth(ta[i1:i2]) + _worth(tb[j1:j2])
        if worth:
            ops.append((worth, i1, i2, j1, j2))
    ops = sorted(sorted(ops, key=lambda o: -o[0])[:MAX_DIFFS], key=lambda o: (o[1], o[3]))
    evidence: list[Evidence] = []
    words = []
    for _, i1, i2, j1, j2 in ops:
        sa = _span("a", a, ta[i1:i2])
        sb = _span("b", b, tb[j1:j2])
        evidence += [e for e in (sa, sb) if e is not None]
        if sa and sb:
            words.append(f"A '{sa.text}' / B '{sb.text}'")
        elif sa:
            words.append(f"only A '{sa.text}'")
        elif sb:
            words.append(f"only B '{sb.text}'")
    return evidence, "; ".join(words)


def _span(side: str, claim: Claim, tokens: list[Token]) -> Evidence | None:
    if not tokens:
        return None
    s, e = tokens[0].start, tokens[-1].end
    return Evidence(side, claim.text[s:e], s, e)
