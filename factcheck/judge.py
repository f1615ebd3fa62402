"""Pair of claims + similarity + rules -> at most one Finding. Pure: no I/O, no model."""
from __future__ import annotations

from operator import is_
from typing import Iterable, Sequence

from .claims import Claim
from .findings import Finding, classify
from .lexicon import is_hedged
from .ruleset import SEVERITY_RANK, Rule
from .vetoes import veto

HEDGE_FACTOR = 0.6


def confidence(strength: float, similarity: float, min_similarity: float, hedged: bool) -> float:
    """Kind's strength, scaled up to full as similarity rises past the rule's floor, and cut
    when either claim hedges ("may", "likely")."""
    span = max(1e-6, 1.0 - min_similarity)
    sim_factor = 0.7 + 0.3 * max(0.0, min(1.0, (similarity - min_similarity) / span))
    return round(max(0.0, min(1.0, strength * sim_factor * (HEDGE_FACTOR if hedged else 1.0))), 3)


def triggered(claim: Claim, rules: Sequence[Rule], key: tuple) -> frozenset[int]:
    """Positions of the rules whose trigger lemmas this claim contains (or that have none) and
    whose per-claim gate it passes: a rule is tried on a pair only where both claims have it."""
    def compute() -> frozenset[int]:
        present = claim.all_lemmas
        return frozenset(k for k, rule in enumerate(rules)
                         if (rule.impl.trigger_lemmas is None or not rule.impl.trigger_lemmas.isdisjoint(present))
                         and rule.impl.gate(claim))
    return claim.memo(key, compute)


_KEYS: dict[int, tuple[tuple, tuple]] = {}


def _rules_key(rules: Sequence[Rule]) -> tuple:
    """The memo key of `triggered` for this rule list, built once per list rather than once per
    pair (80 attribute reads a pair, ~8,000 pairs in a 1,000-claim check against the archive);
    a list changed in place is seen by comparing its snapshot (identity per element, in C)."""
    snap = tuple(rules)
    hit = _KEYS.get(id(rules))
    if hit is not None and len(hit[0]) == len(snap) and all(map(is_, hit[0], snap)):
        return hit[1]
    key = ("triggered", *(rule.impl.serial for rule in snap))
    if len(_KEYS) > 64:
        _KEYS.clear()
    _KEYS[id(rules)] = (snap, key)
    return key


def needs_frames(a: Claim, b: Claim, similarity: float, rules: Sequence[Rule], checked: dict | None = None) -> bool:
    """Will judging this pair read the claims' frames? True when a frame-reading rule's cheap
    gates pass, or when another rule matches (its match is then checked against the vetoes).
    Lets callers parse every such claim in one batch before judging. `checked` (shared with
    `judge`) keeps the word-level matches found here, so judging does not compute them again."""
    key = _rules_key(rules)
    both = triggered(a, rules, key) & triggered(b, rules, key)
    for k in sorted(both):  # in rule order, as judge goes; the rules neither claim triggers are never looked at
        rule = rules[k]
        if similarity < rule.min_similarity:
            continue
        impl = rule.impl
        if getattr(impl, "reads_frames", False):
            wants = getattr(impl, "wants", None)
            if wants is None or wants(a) or wants(b):
                return True
        else:
            match = rule.check(a, b)
            if checked is not None:
                checked[(k, id(a), id(b))] = match
            if match is not None:
                return True
    return False


def judge(a: Claim, b: Claim, similarity: float, rules: Iterable[Rule], checked: dict | None = None) -> Finding | None:
    rules = rules if isinstance(rules, (list, tuple)) else list(rules)
    key = _rules_key(rules)
    both = triggered(a, rules, key) & triggered(b, rules, key)
    matches: list[tuple[Rule, object]] = []
    for k in sorted(both):
        rule = rules[k]
        # Free gates first: most rules ask for words or similarity that most pairs lack.
        if similarity < rule.min_similarity or rule.id in a.ignore or rule.id in b.ignore:
            continue
        memo_key = (k, id(a), id(b))
        match = checked.pop(memo_key) if checked is not None and memo_key in checked else rule.check(a, b)
        if match is not None and veto(rule.kind, rule.impl.exempt_vetoes | match.exempt, a, b, match.evidence) is None:
            matches.append((rule, match))
    if not matches:
        return None
    hedged = bool(is_hedged(a.tokens) or is_hedged(b.tokens))
    found = [(rule, match, confidence(match.strength, similarity, rule.min_similarity, hedged))
             for rule, match in matches]
    found.sort(key=lambda f: (SEVERITY_RANK[f[0].severity], f[2]), reverse=True)
    rule, match, conf = found[0]
    return Finding(rule=rule.id, kind=rule.kind, severity=rule.severity, message=match.message, confidence=conf,
                   similarity=similarity, a=a, b=b, evidence=match.evidence, relation=match.relation or classify(a, b),
                   related_rules=[r.id for r, _, _ in found[1:]])
