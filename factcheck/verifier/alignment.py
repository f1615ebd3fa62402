"""What the claim frames say about a pair the verifier scored: whether the two claims are about
the same thing, whether they align on one event that conflicts, and where they differ.

A model's score alone is no explanation, and a model happily calls "Police in Arvika reported a
fire" / "Police in Seltz reported no fire" a contradiction. The frames (factcheck.frames) read
who, where and when; the same vetoes that overrule rule matches (factcheck.vetoes) say when two
claims are about different subjects, places, times or directions, and the aligned predicates
say when they are one event asserted and denied. Pure functions of two claims; frames are parsed
by the caller in one batch (the Verifier does, for the pairs that need it).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..claims import Claim
from ..kinds.base import Evidence
from ..lexicon import Token, base_lemma

# The vetoes that can block a verifier finding: the ones about the claims' subject matter, not
# the ones about a rule's evidence (double negation, scope of a matched word, ...).
FRAME_VETOES = ("subject", "place", "time", "direction")
MAX_DIFFS = 3


@dataclass(frozen=True)
class FrameVerdict:
    """verdict: "veto" (not the same subject, place, time or direction), "confirm" (one event,
    asserted on one side and denied on the other, or a slot of it that conflicts), "aligned"
    (no conflict read, but both name the same person, organisation or place) or "neutral".
    reasons: every veto that applies (the calibration chooses which ones count); evidence and
    reason: the aligned differing words, with spans on both claims."""
    verdict: str
    reason: str = ""
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
    reasons: tuple[str, ...] = ()


def frame_verdict(a: Claim, b: Claim) -> FrameVerdict:
    """The default frames hook of a Checker with a verifier: reads a.frame / b.frame."""
    reasons = veto_reasons(a, b)
    evidence, words, conflict = align(a, b)
    if reasons:
        return FrameVerdict("veto", words, tuple(evidence), reasons)
    if conflict:
        return FrameVerdict("confirm", words, tuple(evidence))
    return FrameVerdict("aligned" if shared_names(a, b) else "neutral", words, tuple(evidence))


def shared_names(a: Claim, b: Claim) -> bool:
    """Both claims name the same person, organisation or place: the frames anchor the pair on
    one subject. Without a shared name ("A man is playing a guitar" / "A man is not playing"),
    nothing but the model says the two are about the same thing."""
    def names(c: Claim) -> set[str]:
        return {m.key for m in c.frame.entities + c.frame.places if m.named and m.key}

    return bool(names(a) & names(b))


def veto_reasons(a: Claim, b: Claim) -> tuple[str, ...]:
    """Every frame veto that holds, each tested alone (veto() returns only the first)."""
    from ..vetoes import VETOES, veto

    out = []
    for name in FRAME_VETOES:
        if veto("verifier", frozenset(VETOES) - {name}, a, b, ()) == name:
            out.append(name)
    return tuple(out)


# -- alignment -------------------------------------------------------------------------------------
def align(a: Claim, b: Claim) -> tuple[list[Evidence], str, str | None]:
    """(evidence, description, conflict): the differing words with spans on both claims, frame
    slots first (a predicate asserted and denied, another agent or object of the same verb),
    then word-level differences. conflict names the frame slot that conflicts, or None."""
    pairs: list[tuple[Evidence, Evidence, str]] = []
    conflict = None
    for pa, pb in _shared_predicates(a, b):
        if pa.polarity is not None and pb.polarity is not None and pa.polarity != pb.polarity \
                and _compatible(pa.agent, pb.agent):
            sa, sb = _pred_span("a", a, pa), _pred_span("b", b, pb)
            if not any(_overlaps(sa, x) or _overlaps(sb, y) for x, y, _ in pairs):  # "approved the plan": one event
                pairs.append((sa, sb, "polarity"))
            conflict = conflict or "polarity"
        elif pa.polarity == pb.polarity:
            for slot in ("agent", "patient"):
                ma, mb = getattr(pa, slot), getattr(pb, slot)
                if ma is not None and mb is not None and not _same(ma, mb) and not (ma.key in _PRONOUNS or
                                                                                     mb.key in _PRONOUNS):
                    sa, sb = _mention_span("a", a, ma), _mention_span("b", b, mb)
                    if not any(_overlaps(sa, x) or _overlaps(sb, y) for x, y, _ in pairs):
                        pairs.append((sa, sb, slot))
                    if slot == "patient" and _same(pa.agent, pb.agent) and pa.agent is not None:
                        conflict = conflict or "patient"
    for sa, sb, _ in word_differences(a, b):
        if not any(_overlaps(sa, x) or _overlaps(sb, y) for x, y, _ in pairs):
            pairs.append((sa, sb, "words"))
    pairs = pairs[:MAX_DIFFS]
    pairs.sort(key=lambda p: (p[0].start, p[1].start))
    evidence = [e for sa, sb, _ in pairs for e in (sa, sb)]
    words = "; ".join(f"A '{sa.text}' / B '{sb.text}'" for sa, sb, _ in pairs)
    return evidence, words, conflict


def _shared_predicates(a: Claim, b: Claim):
    for pa in a.frame.predicates:
        for pb in b.frame.predicates:
            if pa.lemma == pb.lemma:
                yield pa, pb
                break


_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "who", "which", "that", "this", "one"})


def _same(x, y) -> bool:
    from ..kinds.frame import same_participant

    return x is not None and y is not None and (same_participant(x, y) or x.key == y.key)


def _compatible(x, y) -> bool:
    from ..kinds.frame import compatible

    return compatible(x, y)


def _pred_span(side: str, claim: Claim, p) -> Evidence:
    s, e = p.start, p.end
    if p.marker_start >= 0:
        s, e = min(s, p.marker_start), max(e, p.marker_end)
    return Evidence(side, claim.text[s:e], s, e)


def _mention_span(side: str, claim: Claim, m) -> Evidence:
    return Evidence(side, claim.text[m.start:m.end], m.start, m.end)


def _overlaps(x: Evidence, y: Evidence) -> bool:
    return x.side == y.side and x.start < y.end and y.start < x.end


def _key(t: Token) -> str:
    return base_lemma(t.lemmas) if t.is_word else t.lower


def _worth(tokens: list[Token]) -> int:
    """How much a differing stretch says: content words, negation cues and numbers count."""
    return sum(1 for t in tokens if t.content or t.is_cue or t.lower in ("not", "no", "never") or t.lower[:1].isdigit())


def word_differences(a: Claim, b: Claim) -> list[tuple[Evidence, Evidence, int]]:
    """The claims aligned word by word (difflib): each differing stretch that carries content,
    as a span on both sides. A stretch only one claim has ("not") is shown with the word it
    attaches to, on both sides: A 'resume' / B 'not resume'."""
    ta = [t for t in a.tokens if t.is_word or t.lower[:1].isdigit()]
    tb = [t for t in b.tokens if t.is_word or t.lower[:1].isdigit()]
    if not ta or not tb:
        return []
    sm = difflib.SequenceMatcher(a=[_key(t) for t in ta], b=[_key(t) for t in tb], autojunk=False)
    ops = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        worth = _worth(ta[i1:i2]) + _worth(tb[j1:j2])
        if not worth:
            continue
        if i1 == i2:  # only B has it: anchor on the A word after (or, at the end, before) it
            if i1 < len(ta) and j2 < len(tb):
                i2, j2 = i1 + 1, j2 + 1
            else:
                i1, j1 = max(i1 - 1, 0), max(j1 - 1, 0)
                i2 = i1 + 1
        elif j1 == j2:  # only A has it
            if j1 < len(tb) and i2 < len(ta):
                j2, i2 = j1 + 1, i2 + 1
            else:
                j1, i1 = max(j1 - 1, 0), max(i1 - 1, 0)
                j2 = j1 + 1
        ops.append((worth, i1, i2, j1, j2))
    ops = sorted(sorted(ops, key=lambda o: -o[0])[:MAX_DIFFS], key=lambda o: (o[1], o[3]))
    out = []
    for worth, i1, i2, j1, j2 in ops:
        out.append((_span("a", a, ta[i1:i2]), _span("b", b, tb[j1:j2]), worth))
    return out


def _span(side: str, claim: Claim, tokens: list[Token]) -> Evidence:
    s, e = tokens[0].start, tokens[-1].end
    return Evidence(side, claim.text[s:e], s, e)
