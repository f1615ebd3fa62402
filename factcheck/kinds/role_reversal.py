"""Role reversal: the same act and the same two participants, agent and patient swapped."""
from __future__ import annotations

from ..claims import Claim
import re
from dataclasses import replace

from ..frames import Mention, Predicate
from ..frames.parse import REPORTING
from .base import Evidence, Match, RuleKind, register
from .frame import (
    PRONOUNS, SYMMETRIC, _CAP, _ev, _gate, _key_words, _same_name, like_events, same_participant,
)
from .slot import TAKE_PRIZE, _proper, _same_prize


@register
class RoleReversal(RuleKind):
    """The same predicate and the same two participants, with agent and patient swapped.

    Voice is read by the parser, so "Argentina was beaten by Brazil" agrees with "Brazil beat
    Argentina" and contradicts "Argentina beat Brazil".
    """

    reads_frames = True
    name = "role_reversal"
    summary = "same event, same two participants, agent and patient swapped"
    default_min_similarity = 0.6
    exempt_vetoes = frozenset({"subject"})
    schema = {
        "predicates": {"type": "array", "items": {"type": "string"},
                       "description": "If given, only these predicate lemmas count (e.g. beat, acquire)."},
        "symmetric": {"type": "array", "items": {"type": "string"},
                      "description": "Extra predicate lemmas whose participants may trade places (meet)."},
    }
    template = """\
  - id: my-role-reversal
    kind: role_reversal
    description: Who beat whom, swapped.
    severity: error
    examples:
      fire:
        - ["Brazil beat Argentina 3-1.", "Argentina beat Brazil 3-1."]
      quiet:
        - ["Brazil beat Argentina 3-1.", "Argentina was beaten 3-1 by Brazil."]
"""

    def __init__(self, params):
        super().__init__(params)
        self.only = frozenset(params.get("predicates", ()))
        self.symmetric_lemmas = SYMMETRIC | frozenset(params.get("symmetric", ()))

    def wants(self, c: Claim) -> bool:
        return _gate(c, "reversal", lambda c: len(_CAP.findall(c.text)) >= 1 or " by " in c.text)

    def check(self, a: Claim, b: Claim) -> Match | None:
        if not (self.wants(a) or self.wants(b)):
            return None
        return self._swapped(a, b) or self._beaten_won(a, b) or self._beaten_won(b, a, flip=True) \
            or self._owner_swapped(a, b) or self._lost_to(a, b) or self._lost_to(b, a, flip=True)

    def _lost_to(self, a: Claim, b: Claim, flip: bool = False) -> Match | None:
        """'Roma suffered a 3-2 loss to Siena' / 'Siena was beaten by Roma': the side one claim
        says lost to the other is the other claim's winner."""
        if self.only and not self.only & BEAT:
            return None
        for m in _LOST_TO.finditer(a.text):
            winner = m.group("w").rstrip(".")
            for pb in b.frame.predicates:
                if pb.lemma not in BEAT or pb.polarity is not True:
                    continue
                pb = _named_roles(b, pb)
                if pb.agent is None or pb.patient is None or not _same_name(pb.patient.text, winner):
                    continue
                if _same_name(pb.agent.text, winner) or not _key_words(pb.agent.text) \
                        or not all(w in a.text.lower() for w in _key_words(pb.agent.text)):
                    continue  # the other's winner must be the side this claim says lost
                end = m.start("w") + len(winner)
                ev = [Evidence("a", a.text[m.start():end], m.start(), end), _ev("b", b, pb.agent), _ev("b", b, pb.patient)]
                if flip:
                    ev = [replace(e, side="b" if e.side == "a" else "a") for e in ev]
                return Match(f"winner and loser swapped: lost to {winner}, but {pb.agent.text} beat {pb.patient.text}",
                             ev, 0.85)
        return None

    def _swapped(self, a: Claim, b: Claim) -> Match | None:
        for pa, pb in like_events(a, b):
            if pa.lemma in self.symmetric_lemmas or (self.only and pa.lemma not in self.only):
                continue
            pa, pb = _named_roles(a, pa), _named_roles(b, pb)
            if pa.polarity != pb.polarity:
                continue
            if None in (pa.agent, pa.patient, pb.agent, pb.patient):
                continue
            if any(m.key in PRONOUNS for m in (pa.agent, pa.patient, pb.agent, pb.patient)):
                continue
            if same_participant(pa.agent, pa.patient):
                continue
            if any(m.key in PRONOUNS for m in (pa.agent, pa.patient, pb.agent, pb.patient)):
                continue
            if same_participant(pa.agent, pb.patient) and same_participant(pa.patient, pb.agent) \
                    and not same_participant(pa.agent, pb.agent):
                ev = [_ev("a", a, pa.agent), _ev("a", a, pa.patient), _ev("b", b, pb.agent), _ev("b", b, pb.patient)]
                verbs = pa.lemma if pa.lemma == pb.lemma else f"{pa.lemma}' / '{pb.lemma}"
                return Match(f"agent and patient swapped: {pa.agent.text} / {pa.patient.text} ('{verbs}')",
                             ev, 0.9)
            if pa.recipient is not None and pb.recipient is not None and same_participant(pa.patient, pb.patient) \
                    and same_participant(pa.agent, pb.recipient) and same_participant(pa.recipient, pb.agent) \
                    and not same_participant(pa.agent, pb.agent):
                ev = [_ev("a", a, pa.agent), _ev("a", a, pa.recipient), _ev("b", b, pb.agent), _ev("b", b, pb.recipient)]
                return Match(f"giver and receiver swapped: {pa.agent.text} / {pa.recipient.text} ('{pa.lemma}' "
                             f"{pa.patient.text})", ev, 0.9)
        return None

    def _beaten_won(self, a: Claim, b: Claim, flip: bool = False) -> Match | None:
        """'Fallowmere beat Cray Valley to lift the cup' / 'Cray Valley won the cup': the side
        one claim has beaten is the other's winner of the same contest."""
        if self.only and not self.only & (BEAT | TAKE_PRIZE):
            return None
        for pa in a.frame.predicates:
            if pa.lemma not in BEAT or pa.polarity is not True:
                continue
            pa = _named_roles(a, pa)
            winner, loser = (pa.agent, pa.patient) if not pa.passive else (pa.agent, pa.patient)
            if winner is None or loser is None or loser.key in PRONOUNS or winner.key in PRONOUNS:
                continue
            won = [p for p in a.frame.predicates if p.lemma in TAKE_PRIZE and p.polarity is True]
            for pb in b.frame.predicates:
                if pb.lemma not in TAKE_PRIZE or pb.polarity is not True or pb.passive or pb.agent is None:
                    continue
                agent = _named_roles(b, pb).agent
                if not (loser.named or _proper(loser, a, b)) and agent.key != loser.key:
                    continue  # a description ('the home side') must be told in the same words
                if not same_participant(agent, loser) or same_participant(agent, winner):
                    continue
                # the same contest: the other claim's prize is one the beating claim speaks of
                if pb.patient is None or not (any(_same_prize(p.patient, pb.patient) for p in won)
                                              or _prize_named(a, pb.patient)):
                    continue
                if any(same_participant(p.agent, loser) for p in won):
                    continue
                ev = [_ev("a", a, winner), _ev("a", a, loser), _ev("b", b, pb.agent)]
                if flip:
                    ev = [replace(e, side="b" if e.side == "a" else "a") for e in ev]
                return Match(f"winner and loser swapped: {winner.text} beat {loser.text}, "
                             f"but {pb.agent.text} '{pb.lemma}' {pb.patient.text}", ev, 0.85)
        return None

    def _owner_swapped(self, a: Claim, b: Claim) -> Match | None:
        """'Brennick infringed patents held by Corvalis' / 'Corvalis infringed Brennick's patents':
        the doer of one claim owns the object in the other, and the other's doer owns it here."""
        for pa, pb in like_events(a, b):
            if pa.lemma in self.symmetric_lemmas or pa.polarity != pb.polarity or (self.only and pa.lemma not in self.only):
                continue
            for x, px, y, py, flip in ((a, pa, b, pb, False), (b, pb, a, pa, True)):
                if px.agent is None or py.agent is None or py.patient is None or not px.agent.named \
                        or not py.agent.named or same_participant(px.agent, py.agent):
                    continue
                owner = _possessor(y, py.patient)
                if owner is None or not _same_name(owner, px.agent.text):
                    continue  # y: 'Corvalis infringed [Brennick's] patents'; x's doer is Brennick
                if py.agent.key not in x.text.lower() or _possessor(x, px.patient) is not None \
                        and not _same_name(_possessor(x, px.patient), py.agent.text):
                    continue  # y's doer must own the object in x ('patents held by Corvalis')
                ev = [_ev("a", x, px.agent), _ev("b", y, py.agent)]
                if flip:
                    ev = [replace(e, side="b" if e.side == "a" else "a") for e in ev][::-1]
                return Match(f"doer and owner swapped: {px.agent.text} / {py.agent.text} ('{pa.lemma}' "
                             f"{py.patient.text})", ev, 0.85)
        return None


_LOST_TO = re.compile(r"\b(?:lost|loss|losing|defeat|defeated|beaten)\s+(?:\d+-\d+\s+)?(?:to|by)\s+(?:the\s+)?"
                      r"(?:\d+-man\s+|[a-z]+\s+)?(?P<w>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})")
BEAT = frozenset({"beat", "defeat", "overcome", "edge", "thrash", "rout", "outplay"})
_POSSESSIVE = re.compile(r"((?:[A-Z][\w.&-]*\s+){0,3}[A-Z][\w.&-]*)(?:'s|’s|')\s")


def _possessor(c: Claim, m: Mention | None) -> str | None:
    """The named owner written inside a mention: "Brennick Pharma's patents" -> Brennick Pharma."""
    if m is None:
        return None
    hit = _POSSESSIVE.search(c.text[m.start:m.end] + " ")
    return hit.group(1) if hit else None


def _prize_named(c: Claim, prize: Mention) -> bool:
    """Does the claim speak of this prize ('the regional cup', 'the final')?"""
    words = [w for w in _key_words(prize.text) if len(w) > 2]
    return bool(words) and all(w in c.text.lower() for w in words)


def _named_roles(c: Claim, p: Predicate) -> Predicate:
    """Participants told by a title with the name beside it ('veteran guard Ty Bellamy', 'the
    outgoing chief executive, Dorian Maske,'): the name stands for them."""
    def named(m: Mention | None) -> Mention | None:
        if m is None or m.named or m.key in PRONOUNS:
            return m
        for e in c.frame.entities:
            if e.label in ("PERSON", "ORG") and m.end <= e.start <= m.end + 2 and c.text[m.end:e.start] in (" ", ", "):
                return e
        return m
    agent, patient, recipient = named(p.agent), named(p.patient), named(p.recipient)
    if agent is not None and agent.key in ("it", "he", "she", "they"):
        # 'Tellisk Brands announced that it would acquire Orvane': the teller is the doer
        teller = next((q for q in reversed(c.frame.predicates) if q.start < p.start and q.lemma in REPORTING
                       and q.agent is not None and q.agent.named and not q.passive), None)
        agent = teller.agent if teller is not None else agent
    if agent is None and not p.passive:  # 'Velmora United beat ...' with the name left unattached
        agent = next((e for e in c.frame.entities if e.label in ("PERSON", "ORG") and e.end <= p.start
                      and c.text[e.end:p.start] == " "), None)
    if (agent, patient, recipient) == (p.agent, p.patient, p.recipient):
        return p
    return replace(p, agent=agent, patient=patient, recipient=recipient)


