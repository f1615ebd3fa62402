"""Pair of claims + similarity + rules -> at most one Finding. Pure: no I/O, no model."""
from __future__ import annotations

from typing import Iterable

from .claims import Claim
from .findings import Finding, classify
from .lexicon import is_hedged
from .ruleset import SEVERITY_RANK, Rule

HEDGE_FACTOR = 0.6


def confidence(strength: float, similarity: float, min_similarity: float, hedged: bool) -> float:
    """Kind's strength, scaled up to full as similarity rises past the rule's floor, and cut
    when either claim hedges ("may", "likely")."""
    span = max(1e-6, 1.0 - min_similarity)
    sim_factor = 0.7 + 0.3 * max(0.0, min(1.0, (similarity - min_similarity) / span))
    return round(max(0.0, min(1.0, strength * sim_factor * (HEDGE_FACTOR if hedged else 1.0))), 3)


def judge(a: Claim, b: Claim, similarity: float, rules: Iterable[Rule]) -> Finding | None:
    hedged = bool(is_hedged(a.tokens) or is_hedged(b.tokens))
    found: list[tuple[Rule, object, float]] = []
    for rule in rules:
        if similarity < rule.min_similarity or rule.id in a.ignore or rule.id in b.ignore:
            continue
        match = rule.check(a, b)
        if match is not None:
            found.append((rule, match, confidence(match.strength, similarity, rule.min_similarity, hedged)))
    if not found:
        return None
    found.sort(key=lambda f: (SEVERITY_RANK[f[0].severity], f[2]), reverse=True)
    rule, match, conf = found[0]
    return Finding(rule=rule.id, kind=rule.kind, severity=rule.severity, message=match.message, confidence=conf,
                   similarity=similarity, a=a, b=b, evidence=match.evidence, relation=classify(a, b),
                   related_rules=[r.id for r, _, _ in found[1:]])
