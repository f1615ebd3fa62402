"""What a rule kind is, and the one registry that knows them all.

A kind is a small class: its JSON Schema fragment (the kind-specific YAML fields), a constructor
that compiles those fields once, and `check(a, b)` that returns a Match or None. `check` must be
pure: it sees two claims and nothing else, so kinds are trivially testable.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..claims import Claim
from ..lexicon import Token, base_lemma

KINDS: dict[str, type["RuleKind"]] = {}
_SERIALS = itertools.count(1)


def register(cls: type["RuleKind"]) -> type["RuleKind"]:
    # Two classes under one name (a stale module left beside a renamed one) would silently judge
    # with whichever loaded last.
    other = KINDS.get(cls.name)
    if other is not None and (other.__module__, other.__qualname__) != (cls.__module__, cls.__qualname__):
        raise TypeError(f"rule kind '{cls.name}' registered twice: {other.__module__}.{other.__qualname__} "
                        f"and {cls.__module__}.{cls.__qualname__}")
    KINDS[cls.name] = cls
    return cls


@dataclass(frozen=True)
class Evidence:
    side: str   # "a" or "b"
    text: str
    start: int  # offsets into the claim's text
    end: int

    def to_dict(self) -> dict:
        return {"side": self.side, "text": self.text, "start": self.start, "end": self.end}


@dataclass
class Match:
    message: str
    evidence: list[Evidence] = field(default_factory=list)
    strength: float = 1.0  # how sure the kind is, before similarity and hedging
    relation: str | None = None  # set when the kind knows better than speakers: "dispute" for denial vs records
    exempt: frozenset[str] = frozenset()  # vetoes this match is not subject to, beside the kind's own


class RuleKind:
    name: ClassVar[str]
    summary: ClassVar[str]
    schema: ClassVar[dict[str, Any]] = {}
    required: ClassVar[tuple[str, ...]] = ()
    default_min_similarity: ClassVar[float] = 0.5
    template: ClassVar[str] = ""
    # A symmetric kind finds a conflict whichever claim comes first; others are tried both ways.
    symmetric: ClassVar[bool] = True
    # Lemmas one of which both claims must contain for the rule to have a chance; None: no such
    # shortcut. Judging tests it once per claim instead of calling check for every pair.
    trigger_lemmas: frozenset[str] | None = None
    # Frame checks that may overrule this kind's match (factcheck/vetoes.py): a kind that is about
    # a differing slot is exempt from the veto on that slot (a place conflict is about places).
    exempt_vetoes: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params
        # Key for per-claim caches: unlike id(self), never reused by a later rule object.
        self.serial = next(_SERIALS)

    @classmethod
    def problems(cls, params: dict[str, Any]) -> list[tuple[tuple, str]]:
        """Semantic checks the schema cannot express, as (path inside the rule, message)."""
        return []

    def gate(self, claim: Claim) -> bool:
        """Can this claim take part in a match of this rule at all (as either side)? A match needs
        both claims to pass. Judging asks once per claim, not once per pair: in a 1,000-claim check
        against the archive (~8,000 pairs) the rules without trigger lemmas were ~40 % of judging."""
        return True

    def check(self, a: Claim, b: Claim) -> Match | None:
        raise NotImplementedError

    def check_both_ways(self, a: Claim, b: Claim) -> Match | None:
        """For kinds written one-directionally: try (a, b), then (b, a) with sides swapped back."""
        m = self.check(a, b)
        if m is not None or self.symmetric:
            return m
        m = self.check(b, a)
        if m is not None:
            m.evidence = [Evidence("a" if e.side == "b" else "b", e.text, e.start, e.end) for e in m.evidence]
        return m


def span_evidence(side: str, claim: Claim, tokens: list[Token]) -> Evidence:
    s, e = tokens[0].start, tokens[-1].end
    return Evidence(side, claim.text[s:e], s, e)


def shared_content(a: Claim, b: Claim, exclude: frozenset[str] | set[str] = frozenset()) -> frozenset[str]:
    """Lemmas both claims use as content words: a cheap 'talking about the same thing' signal."""
    return (a.content_keys & b.content_keys) - exclude


def sentence_supports(claim: Claim, tok, other: Claim, min_shared: int) -> bool:
    """In a claim of several sentences (a paragraph), the word's own sentence must share one more
    content word with the other claim than a one-sentence claim needs: 'Get a large box. ...'
    is not what 'You don't really need a large box' denies. One-sentence claims always pass."""
    from ..segment import sentence_spans

    spans = claim.memo("sentences", lambda: sentence_spans(claim.text))
    if len(spans) < 2:
        return True
    s, e = next(((s, e) for s, e in spans if s <= tok.start < e), (0, len(claim.text)))
    words = {base_lemma(t.lemmas) for t in claim.tokens if t.content and s <= t.start < e}
    return len(words & other.content_keys) >= min_shared + 1
