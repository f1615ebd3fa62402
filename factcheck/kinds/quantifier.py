"""Quantifier clashes: "every member voted for" / "two members voted against"."""
from __future__ import annotations

from ..claims import Claim
import re
from dataclasses import replace

from ..frames.parse import REPORTING
from ..lexicon import same_thing
from .base import Evidence, Match, RuleKind, register
from .frame import _QUANT_RE, _gate


@register
class QuantifierClash(RuleKind):
    """Quantified statements about the same group that cannot both hold: "every member voted for"
    vs "two members voted against"; "all 14 rescued" vs "none reached"; "four of the seven" vs
    "only one of the seven"."""

    reads_frames = True
    name = "quantifier"
    summary = "incompatible quantifiers over the same group"
    default_min_similarity = 0.6
    template = """\
  - id: my-quantifier-rule
    kind: quantifier
    description: All versus some of the same group.
    severity: warning
    examples:
      fire:
        - ["Each of the three agencies downgraded the debt.", "Only one of the three agencies downgraded the debt."]
      quiet:
        - ["Each of the three agencies downgraded the debt.", "All three agencies downgraded the debt."]
"""

    schema = {
        "opposed_acts": {"type": "boolean", "default": False,
                         "description": "Instead: all of a group did one thing, some of it the opposite ('every "
                                        "flight was grounded' / 'some flights managed to depart')."},
    }

    def __init__(self, params):
        super().__init__(params)
        self.opposed = params.get("opposed_acts", False)

    def gate(self, claim: Claim) -> bool:
        return bool(self.wants(claim))

    def wants(self, c: Claim) -> bool:
        if self.opposed:
            return _gate(c, "quantifier or part", lambda c: _QUANT_RE.search(c.text) or _PART_RE.search(c.text))
        return _gate(c, "quantifier", lambda c: _QUANT_RE.search(c.text))

    def check(self, a: Claim, b: Claim) -> Match | None:
        if not (self.wants(a) and self.wants(b)):
            return None
        if self.opposed:
            return _all_vs_some_opposed(a, b) or _all_vs_some_opposed(b, a, flip=True)
        for qa in a.frame.quantifiers:
            for qb in b.frame.quantifiers:
                if not (qa.noun and (qa.noun == qb.noun or qb.noun and same_thing(qa.noun, qb.noun))
                        or "" in (qa.noun, qb.noun) and qa.of and qa.of == qb.of):
                    continue  # the same group: one noun, or one size ("all three" / "one of the three")
                if _flipped(a, qa) or _flipped(b, qb):
                    continue  # "no resident was unaccounted for": all of them were
                if qa.kind == qb.kind == "count" and _two_acts(_acts(a, qa), _acts(b, qb)):
                    continue  # 'three of the four were charged' / 'one of the four was released': two acts
                why = _clash(qa, qb) or _clash(qb, qa) or _share_clash(qa, qb)
                if why:
                    return Match(f"quantifier: '{a.text[qa.start:qa.end]}' vs '{b.text[qb.start:qb.end]}' {qa.noun}",
                                 [Evidence("a", a.text[qa.start:qa.end], qa.start, qa.end),
                                  Evidence("b", b.text[qb.start:qb.end], qb.start, qb.end)], 0.8)
        return None


# Acts that undo each other when told of one group: all flights grounded / some departed.
OPPOSED_ACTS = (({"ground", "cancel", "scrap", "halt", "suspend", "strand"}, {"leave", "depart", "fly", "operate", "land"}),
                ({"support", "back", "approve", "agree", "accept", "endorse", "favour", "for"},
                 {"oppose", "reject", "dissent", "against", "block", "abstain", "refuse"}),
                ({"fail", "stop", "shut", "die"}, {"keep", "run", "work", "continue", "function"}),
                ({"survive", "escape", "rescue"}, {"die", "kill", "drown", "perish"}),
                ({"pass"}, {"fail"}), ({"open"}, {"close", "shut"}), ({"attend", "stay"}, {"leave", "boycott"}))


# Verbs that tell how many of a group there are, whatever the wording: 'holds 148 of the 300
# seats' / 'controls 184 of them' count one thing.
_TALLY = frozenset({"hold", "control", "have", "own", "win", "take", "get", "secure", "include", "number", "be",
                    "occupy", "command", "retain", "keep"})


def _two_acts(x: set[str], y: set[str]) -> bool:
    return bool(x and y) and x.isdisjoint(y) and not (x & _TALLY or y & _TALLY)


def _acts(c: Claim, q) -> set[str]:
    """What the quantified group did: the first asserted predicate after the quantifier, with
    'for' / 'against' / 'in favour' after 'vote'."""
    def holds(m):
        return m is not None and m.start <= q.start < m.end

    preds = [p for p in c.frame.predicates if p.polarity is True and p.lemma not in REPORTING]
    own = [p for p in preds if holds(p.agent) or holds(p.patient)]
    if own and own[0].lemma == "manage":  # 'some flights managed to depart': what they managed counts
        own = [p for p in preds if p.start > own[0].start][:1]
    for p in own or [p for p in preds if p.start > q.start]:
        acts = {p.lemma}
        if p.lemma == "vote":
            rest = c.text[p.end:p.end + 14].lower()
            acts = {"for"} if re.match(r"\s*(?:for|in favour|in favor)", rest) else \
                {"against"} if re.match(r"\s*against", rest) else acts
        if p.lemma == "manage":
            continue  # 'some flights managed to depart': what they managed counts
        return acts
    return set()


_PART_RE = re.compile(r"\b(?:some|several|many|a\s+few|a\s+handful|a\s+number)\b|\b(?:\d+|two|three|four|five|six|"
                      r"seven|eight|nine|ten)\s+[a-z]+s\b", re.I)
_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _parts(c: Claim) -> list:
    """The claim's quantifiers, and groups told by a bare count ('Two members voted against')."""
    from ..frames import Quantifier

    out = list(c.frame.quantifiers)
    for p in c.frame.predicates:
        for m in (p.agent, p.patient):
            if m is None or any(q.start <= m.start < q.end or m.start <= q.start < m.end for q in out):
                continue
            first = m.text.split()[0].lower() if m.text.split() else ""
            n = int(first) if first.isdigit() else _COUNT_WORDS.get(first)
            if n and len(m.text.split()) >= 2 and m.key:
                out.append(Quantifier(word=first, kind="count", noun=m.key.split()[-1], start=m.start,
                                      end=m.start + len(first), count=float(n)))
    return out


def _all_vs_some_opposed(a: Claim, b: Claim, flip: bool = False) -> Match | None:
    for qa in a.frame.quantifiers:
        if qa.kind != "all" or _flipped(a, qa):
            continue
        for qb in _parts(b):
            if qb.kind not in ("some", "count", "only") or qb.noun != qa.noun or _flipped(b, qb):
                continue
            if qb.kind == "count" and qb.of is not None and qb.count is not None and qb.count >= qb.of:
                continue
            xa, xb = _acts(a, qa), _acts(b, qb)
            if not xa or not xb or xa & xb:
                continue
            if not any(xa & one and xb & other or xa & other and xb & one for one, other in OPPOSED_ACTS):
                continue
            ea = Evidence("a", a.text[qa.start:qa.end], qa.start, qa.end)
            eb = Evidence("b", b.text[qb.start:qb.end], qb.start, qb.end)
            if flip:
                ea, eb = replace(eb, side="a"), replace(ea, side="b")
            return Match(f"quantifier: '{ea.text}' {qa.noun} did one thing ('{min(xa)}'), "
                         f"'{eb.text}' the opposite ('{min(xb)}')" if not flip else
                         f"quantifier: '{eb.text}' {qa.noun} did one thing ('{min(xa)}'), "
                         f"'{ea.text}' the opposite ('{min(xb)}')", [ea, eb], 0.8)
    return None


def _flipped(c: Claim, q) -> bool:
    """A quantifier the claim turns round: 'no resident was unaccounted for' (all were), 'all 23
    escaped unhurt' (none was hurt)."""
    from ..frames.parse import _NOT_UN

    if q.kind == "none":
        return bool(c.frame.double_negated)
    return q.kind == "all" and any(t.lower.startswith("un") and len(t.lower) >= 6 and t.lower not in _NOT_UN
                                   and not t.lower.startswith(("under", "uni", "unle")) for t in c.tokens)


_MOST, _FEW = frozenset({"most", "majority"}), frozenset({"minority", "few"})
_EPS = 1e-3


def _share(q) -> tuple[float, float] | None:
    """The share of the group a quantifier speaks of, as an interval of [0, 1]: 'most' is more
    than half, 'only one of the eleven' is 1/11, 'four of the seven' at least 4/7, 'only four
    schools' some but not all; None when the word says too little ('some', 'several')."""
    if q.kind == "all":
        return 1.0, 1.0
    if q.kind == "none":
        return 0.0, 0.0
    if q.word in _MOST:
        return 0.5 + _EPS, 1.0
    if q.word in _FEW:
        return _EPS, 0.5 - _EPS
    if q.word == "half":
        return 0.5, 0.5
    if q.count is not None and q.of:
        r = q.count / q.of
        return (r, r) if q.kind == "only" else (r, 1.0)
    if q.kind == "only" and q.count:
        return _EPS, 1.0 - _EPS
    return None


def _share_clash(qa, qb) -> bool:
    totals = {q.of for q in (qa, qb) if q.of} | {q.count for q in (qa, qb) if q.kind == "all" and q.count}
    if any(q.kind == "only" and q.of is None and q.count in totals for q in (qa, qb)):
        return False  # "all four schools" / "only four schools": the four are all of them
    return _disjoint(_share(qa), _share(qb))


def _disjoint(x, y) -> bool:
    return x is not None and y is not None and (x[1] < y[0] - 1e-9 or y[1] < x[0] - 1e-9)


def _clash(x, y) -> bool:
    if x.kind == "all" and y.kind == "none" or x.kind == "none" and y.kind == "all":
        return True
    if x.kind == "all" and y.kind in ("only", "count") and y.count is not None and y.of is not None \
            and (x.of is None or x.of == y.of) and y.count < y.of:
        return True
    if x.kind == "only" and y.kind in ("count", "only") and x.count is not None and y.count is not None \
            and x.count != y.count and (x.of == y.of or None in (x.of, y.of)):
        return True
    if x.kind == "count" and y.kind == "count" and x.count is not None and y.count is not None and x.count != y.count \
            and x.of is not None and x.of == y.of:
        return True
    if x.kind == "none" and y.kind in ("count", "only") and (y.count or 0) > 0:
        return True
    return False
