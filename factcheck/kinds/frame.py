"""Rule kinds that read claim frames (factcheck.frames): who did what to whom, where, how many.

Each compares the same event on both sides (a shared predicate lemma) and reports the slot that
differs, naming it in the message and pointing at the words on both claims.
"""
from __future__ import annotations

from ..claims import Claim
import re
from dataclasses import replace

from ..frames import Mention, Predicate
from ..frames.parse import COMPASS, DENIAL, EVIDENCE, NEG_IMPLICATIVE, PREVENT, REPORTING
from ..frames.parse import PLACE_NOUNS, ROOM_NOUNS
from .base import Evidence, Match, RuleKind, register, shared_content

# Predicates whose two participants can trade places without contradiction.
SYMMETRIC = frozenset({"meet", "talk", "draw", "tie", "marry", "negotiate", "clash", "fight", "play", "face",
                       "merge", "speak", "agree", "compete", "partner", "join", "discuss"})
PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "who", "which", "that", "this", "one"})
WIN = frozenset({"win", "beat", "defeat", "take", "claim", "capture", "clinch", "secure", "top", "lead", "receive",
                 "elect", "go", "award"})
FACTIVE_CUES = frozenset({"admit", "acknowledge", "confirm", "reveal", "concede"})
PLAIN_NEGATION = frozenset({"not", "n't", "never", "no"})


_CAP = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")
_PLACE_HINT = re.compile(r"\b(?:in|at|near|outside|inside|off|from)\s+(?:the\s+)?(?:[a-z]+\s+)?[A-Z]"
                         r"|\b(?:north|south|east|west)\w*\s+of\s+(?:the\s+)?[A-Z]")
IMPLICATIVE_CUES = frozenset(NEG_IMPLICATIVE | DENIAL | PREVENT | EVIDENCE - {"find", "suggest"}
                             | {"manage", "succeed", "able", "unable", "rule", "yet", "order", "announce", "approve",
                                "veto", "reject", "admit", "acknowledge", "vote"})
_QUANT_RE = re.compile(r"\b(?:all|every|each|none|only|just|nobody|everyone|neither|both|most|majority|minority|"
                       r"half)\b|\b(?:\d+|one|two|three|four|five|six"
                       r"|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty"
                       r"(?:-[a-z]+)?)\s+of\b|\bno\s+(?!one\b)", re.I)


_OPENING_NAME = re.compile(r"(?!(?:The|A|An|This|That|These|Those|It|He|She|They|We|I|You|His|Her|Its|Their|Our|My"
                           r"|Some|Many|Most|All|No|In|On|At|After|Before|When|If|But|And)\b)[A-Z][a-z]+")


_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")


def _named(claim: Claim) -> bool:
    """Cheap test, before parsing: does the claim name anyone or anything (a capitalised word
    that does not open the sentence)?"""
    return claim.memo("frame.named", lambda: len(_CAP.findall(claim.text)) >= 1)


def _gate(claim: Claim, key: str, test) -> bool:
    return claim.memo(("frame.gate", key), lambda: bool(test(claim)))


def same_participant(x: Mention | None, y: Mention | None) -> bool:
    if x is None or y is None:
        return False
    if x.key == y.key:
        return True
    xs, ys = x.key.split(), y.key.split()
    if x.label == "PERSON" or y.label == "PERSON":
        tx, ty = set(_key_words(x.text)), set(_key_words(y.text))
        if tx and ty and (tx <= ty or ty <= tx):
            return True  # "Brian" / "Brian Goodell"
        return bool(xs and ys and xs[-1] == ys[-1])
    return bool(xs and ys) and (set(xs) <= set(ys) or set(ys) <= set(xs)) and min(len(xs), len(ys)) >= 1 \
        and (x.named or y.named)


def _key_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", text.lower()) if w not in ("the", "a", "an", "s", "mr", "mrs", "ms", "dr")]


def compatible(x: Mention | None, y: Mention | None) -> bool:
    """Could these be the same participant? Unknown or pronouns are compatible with anything."""
    if x is None or y is None or x.key in PRONOUNS or y.key in PRONOUNS:
        return True
    return same_participant(x, y) or x.key.split()[-1:] == y.key.split()[-1:]


def aligned(pa: Predicate, pb: Predicate) -> bool:
    """Could the two predicates be one event with the same participants? Either the same agent
    and patient, or one side said without its agent ("flights have resumed" against "the airline
    has yet to resume flights"): the intransitive subject is the other side's object."""
    if compatible(pa.agent, pb.agent) and compatible(pa.patient, pb.patient):
        return True
    for x, y in ((pa, pb), (pb, pa)):
        if y.patient is None and x.patient is not None and not y.passive and same_participant(y.agent, x.patient):
            return True
        if same_participant(x.patient, y.patient) and (x.agent is None or y.agent is None):
            return True
    return False


def _in_event_sentence(claim: Claim, m: Mention, preds) -> bool:
    from ..segment import sentence_spans

    spans = claim.memo("frame.sentences", lambda: sentence_spans(claim.text))
    if len(spans) < 2 or not preds:
        return True
    here = next(((s, e) for s, e in spans if s <= m.start < e), None)
    return here is not None and any(here[0] <= p.start < here[1] for p in preds)


def _same_slot(x: Mention | None, y: Mention | None) -> bool:
    return x is not None and y is not None and x.key not in PRONOUNS and (x.key == y.key or same_participant(x, y))


def _ev(side: str, claim: Claim, m) -> Evidence:
    return Evidence(side, claim.text[m.start:m.end], m.start, m.end)


def _pred_ev(side: str, claim: Claim, p: Predicate) -> Evidence:
    s, e = p.start, p.end
    if p.marker_start >= 0:
        s, e = min(s, p.marker_start), max(e, p.marker_end)
    return Evidence(side, claim.text[s:e], s, e)


def shared_events(a: Claim, b: Claim):
    """Predicate pairs with the same lemma, asserted on both sides; an event noun matches its
    verb ('ordered the closure of the stadium' / 'declined to close the stadium')."""
    for pa in a.frame.predicates:
        for pb in b.frame.predicates:
            if pa.polarity is None or pb.polarity is None:
                continue
            if pa.lemma == pb.lemma or "object" in (pa.source, pb.source) and event_stem(pa.lemma) == event_stem(pb.lemma):
                yield pa, pb


_NOMINAL = re.compile(r"(?:ure|al|ment|ation|ion|er)$")


def event_stem(lemma: str) -> str:
    """closure / close -> clos, approval / approve -> approv, evacuation / evacuate -> evacuat,
    merger / merge -> merg: an event noun and its verb share a stem."""
    w = lemma.split()[0]
    if len(w) > 5:
        w = _NOMINAL.sub("", w)
    return w[:-1] if w.endswith("e") else w


# Verbs news uses for one act with the same two roles: "Harlan agreed to acquire Tobrin" /
# "Tobrin is buying Harlan"; "was rammed by" / "was struck by".
EVENT_SYNONYMS = (
    {"acquire", "buy", "purchase", "absorb", "take over"}, {"ram", "strike", "hit"}, {"beat", "defeat", "overcome"},
    {"sue", "take to court"}, {"attack", "assault"}, {"sell", "transfer"}, {"lend", "loan"}, {"pay", "compensate"},
    {"hire", "recruit", "appoint"}, {"fire", "sack", "dismiss"}, {"trade", "send", "ship"}, {"hand", "pass", "give"},
    {"interview", "question"}, {"knock", "floor"},
)
_SYNONYM = {w: frozenset(g) for g in EVENT_SYNONYMS for w in g}


def like_events(a: Claim, b: Claim):
    """Predicate pairs that tell one act: the same lemma or two words of EVENT_SYNONYMS."""
    for pa in a.frame.predicates:
        for pb in b.frame.predicates:
            if pa.polarity is None or pb.polarity is None:
                continue
            if pa.lemma == pb.lemma or pb.lemma in _SYNONYM.get(pa.lemma, ()):
                yield pa, pb


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


def _same_name(x: str, y: str) -> bool:
    wx, wy = set(_key_words(x)), set(_key_words(y))
    return bool(wx and wy) and (wx <= wy or wy <= wx)


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
    if agent is None and not p.passive:  # 'Velmora United beat ...' with the name left unattached
        agent = next((e for e in c.frame.entities if e.label in ("PERSON", "ORG") and e.end <= p.start
                      and c.text[e.end:p.start] == " "), None)
    if (agent, patient, recipient) == (p.agent, p.patient, p.recipient):
        return p
    return replace(p, agent=agent, patient=patient, recipient=recipient)


OPPOSITE = {"north": "south", "south": "north", "east": "west", "west": "east", "northeast": "southwest",
            "southwest": "northeast", "northwest": "southeast", "southeast": "northwest", "upstream": "downstream",
            "downstream": "upstream", "inbound": "outbound", "outbound": "inbound", "clockwise": "anticlockwise",
            "anticlockwise": "clockwise"}
# Compass points as bearings: two directions conflict when they are at least 135 degrees apart
# ("swung north-northeast" / "turned south"), not merely different ("north" / "west" of a town).
BEARING = {"north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180, "southwest": 225, "west": 270,
           "northwest": 315}
# Ways of one road or line: "the eastbound carriageway" / "the westbound lanes".
WAYS = frozenset({"carriageway", "lane", "road", "track", "route", "side", "traffic", "motorway", "highway", "bypass"})


def _no_object(p: Predicate) -> bool:
    """No participant as object: none, or only a distance or a time ('went down some 12 nautical
    miles off'); a count is an object ('cutting 300 jobs' / 'creating 150 jobs' are two acts)."""
    from ..quantities import _UNITS

    words = p.patient.text.lower().split() if p.patient is not None else []
    return p.patient is None or (len(words) >= 2 and words[-1] in _UNITS and any(w[:1].isdigit() for w in words))


def _opposed(x: str, y: str) -> bool:
    if x in BEARING and y in BEARING:
        d = abs(BEARING[x] - BEARING[y]) % 360
        return min(d, 360 - d) >= 135
    return OPPOSITE.get(x) == y


def _same_anchor(x: str, y: str) -> bool:
    from ..lexicon import same_thing

    return x == y or same_thing(x, y) or (x in WAYS and y in WAYS)


SLOTS = ("place", "direction", "holder", "role", "party", "winner", "agent", "affiliation")


@register
class SlotMismatch(RuleKind):
    """The same event with a different filler in one slot: place, direction, office holder, the
    person's title, party or affiliation, the winner, or who did it."""

    reads_frames = True
    name = "slot"
    summary = "same event, a different filler in one slot (place, direction, role holder, party, winner, agent)"
    default_min_similarity = 0.6
    required = ("slot",)
    schema = {
        "slot": {"enum": list(SLOTS), "description": "Which slot is compared."},
        "same_predicate": {"type": "boolean", "default": True,
                           "description": "Both claims must share a predicate lemma (the same event)."},
    }
    template = """\
  - id: my-place-rule
    kind: slot
    slot: place
    description: The same event placed in different towns.
    severity: warning
    examples:
      fire:
        - ["The summit will be held in Lyon on Monday.", "The summit will be held in Marseille on Monday."]
      quiet:
        - ["The summit will be held in Lyon on Monday.", "The summit will be held in central Lyon on Monday."]
"""

    def __init__(self, params):
        super().__init__(params)
        self.slot = params["slot"]
        self.same_predicate = params.get("same_predicate", True)
        self.exempt = {"place": {"place"}, "direction": set(), "holder": {"subject"}, "role": set(),
                       "party": set(), "winner": {"subject"}, "agent": {"subject", "actor"},
                       "affiliation": {"subject"}}[self.slot]

    @property
    def exempt_vetoes(self):  # type: ignore[override]
        return frozenset(self.exempt)

    def _events(self, a: Claim, b: Claim) -> list[tuple[Predicate, Predicate]]:
        same = [(pa, pb) for pa, pb in shared_events(a, b) if pa.polarity == pb.polarity]
        if self.slot == "winner":
            # One prize told with two verbs: 'captured the Silverlake Open' / 'won the Silverlake Open'.
            return same + [(pa, pb) for pa in a.frame.predicates for pb in b.frame.predicates
                           if pa.lemma != pb.lemma and pa.lemma in TAKE_PRIZE and pb.lemma in TAKE_PRIZE
                           and pa.polarity is True and pb.polarity is True and _same_prize(pa.patient, pb.patient)]
        if same or self.slot not in ("place", "direction"):
            return same
        # "The final will be played at X" / "the final will be staged at Y", "the convoy headed
        # east" / "the convoy travelled west": one event told with two verbs, recognised by the
        # one participant both verbs share (not by shared objects: "cut 300 jobs" / "create 150").
        return [(pa, pb) for pa in a.frame.predicates for pb in b.frame.predicates
                if pa.polarity is True and pb.polarity is True
                and (pa.passive and pb.passive and _same_slot(pa.patient, pb.patient) and compatible(pa.agent, pb.agent)
                     or not pa.passive and not pb.passive and _no_object(pa) and _no_object(pb)
                     and _same_slot(pa.agent, pb.agent))]

    gated = True

    def gate(self, claim: Claim) -> bool:
        return bool(self.wants(claim))

    def wants(self, c: Claim) -> bool:
        if self.slot == "place":
            return _gate(c, "place", lambda c: _PLACE_HINT.search(c.text)
                         or (_named(c) and not c.all_lemmas.isdisjoint(PLACE_NOUNS))
                         or not c.all_lemmas.isdisjoint(ROOM_NOUNS))
        if self.slot == "direction":
            return _gate(c, "direction", lambda c: not c.all_lemmas.isdisjoint(COMPASS)
                         or any(p in COMPASS for t in c.tokens if "-" in t.lower for p in t.lower.split("-")))
        if self.slot == "agent":  # a name may open the claim: 'Medsafe turned up metal ...'
            return _named(c) or _gate(c, "opening name", lambda c: bool(_OPENING_NAME.match(c.text)
                                                                       or _ACRONYM.search(c.text)))
        return _named(c)

    def check(self, a: Claim, b: Claim) -> Match | None:
        if not (self.wants(a) and self.wants(b)):
            return None
        if self.slot == "affiliation":
            return _affiliation(a, b)  # read from the words around the names: no parse needed
        fa, fb = a.frame, b.frame
        events = self._events(a, b)
        if self.slot == "winner" and not events:
            return _prize_winner(a, b)
        if self.slot == "place" and not events:
            return _anchored_place(a, b)
        if self.same_predicate and not events:
            return None
        found = getattr(self, "_" + self.slot)(a, b, fa, fb, events)
        if found is None and self.slot == "winner":
            return _prize_winner(a, b)
        if found is None and self.slot == "place":
            return _anchored_place(a, b)
        return found

    @staticmethod
    def _place(a, b, fa, fb, events):
        # Named places only: "the capital" and "Seltz" may be one place. In a paragraph, only the
        # places of the sentences that tell the shared event ("... in the UK. Maternity leave
        # varies in Europe" names two places for two statements).
        places_a = [m for m in fa.places if m.label and _in_event_sentence(a, m, [pa for pa, _ in events])]
        places_b = [m for m in fb.places if m.label and _in_event_sentence(b, m, [pb for _, pb in events])]
        if not places_a or not places_b:
            return _unnamed_place(a, b, fa, fb, events)
        la, lb = a.text.lower(), b.text.lower()
        for pa in places_a:
            if any(_overlap(pa.key, pb.key) for pb in fb.places) or pa.key in lb:
                continue
            for pb in places_b:
                if any(_overlap(pb.key, x.key) for x in fa.places) or pb.key in la:
                    continue
                return Match(f"place: {pa.text} vs {pb.text}", [_ev("a", a, pa), _ev("b", b, pb)], 0.8)
        return None

    @staticmethod
    def _direction(a, b, fa, fb, events):
        for da in fa.directions:
            for db in fb.directions:
                if not _opposed(da.key, db.key) or not da.roles or not _same_anchor(da.roles[0], db.roles[0]):
                    continue  # "north" vs "west" of a city: fighting can be in both places
                if any(x.key == da.key for x in fb.directions) or any(x.key == db.key for x in fa.directions):
                    continue
                return Match(f"direction: {da.text} vs {db.text} ({da.roles[0]})", [_ev("a", a, da), _ev("b", b, db)],
                             0.8)
        return None

    @staticmethod
    def _people(f):
        # The small model tags some people as organisations: "Ewan Calder, a member of ..."
        return [e for e in f.entities if e.label == "PERSON" or (e.label == "ORG" and (e.roles or e.party))]

    def _holder(self, a, b, fa, fb, events):
        for ea in self._people(fa):
            for eb in self._people(fb):
                if same_participant(ea, eb) or not ea.roles or not eb.roles:
                    continue
                ra, rb = _role_words(ea), _role_words(eb)
                if not ra or not rb:
                    continue
                if ra != rb and not ((ra < rb or rb < ra) and _acts_in(ea, eb, events)):
                    continue  # "Mayor X" vs "deputy mayor Y" only when both are said to do the same thing
                if ra <= SHARED_OFFICES and rb <= SHARED_OFFICES:
                    continue
                if ea.key in b.text.lower() or eb.key in a.text.lower():
                    continue
                return Match(f"role holder ({' '.join(sorted(ra))}): {ea.text} vs {eb.text}",
                             [_ev("a", a, ea), _ev("b", b, eb)], 0.8)
        return None

    def _role(self, a, b, fa, fb, events):
        for ea in self._people(fa):
            for eb in self._people(fb):
                if not same_participant(ea, eb) or not ea.roles or not eb.roles:
                    continue
                ra, rb = _role_words(ea), _role_words(eb)
                if not ra or not rb or (ra <= rb or rb <= ra) and not (ra ^ rb) & RANKS:
                    continue  # "police commissioner" / "commissioner"; but a deputy is not the chief
                return Match(f"role of {eb.text}: {ea.roles[0]} vs {eb.roles[0]}", [_ev("a", a, ea), _ev("b", b, eb)],
                             0.75)
        return None

    def _party(self, a, b, fa, fb, events):
        for ea in self._people(fa):
            for eb in self._people(fb):
                if not same_participant(ea, eb) or not ea.party or not eb.party:
                    continue
                wa, wb = set(ea.party.split()) - {"party"}, set(eb.party.split()) - {"party"}
                if wa & wb:
                    continue
                return Match(f"party of {eb.text}: {ea.party} vs {eb.party}", [_ev("a", a, ea), _ev("b", b, eb)], 0.8)
        return None

    def _agent(self, a, b, fa, fb, events):
        """The same act on the same object credited to someone else: 'a company investigation
        turned up metal in 200 pills, according to the FDA' / 'the FDA turned up metal in 200
        pills'. The object must be one participant on both sides and the two doers must not be
        able to be one (a pronoun, a shared word, one name inside the other are all one doer);
        at least one of them is named. Acts two parties can do together (meet, negotiate) and
        sayings (several people say the same) never count."""
        for pa, pb in events:
            if pa.polarity is not True or pa.lemma in SYMMETRIC or pa.lemma in REPORTING or pa.lemma in _WEAK_ACTS:
                continue
            if not _same_slot(pa.patient, pb.patient):
                continue
            xa, xb = pa.agent, pb.agent
            if xa is None or xb is None or xa.key in PRONOUNS or xb.key in PRONOUNS or compatible(xa, xb):
                continue
            if set(_key_words(xa.text)) & set(_key_words(xb.text)) or _overlap(xa.key, xb.key):
                continue
            if _other_doer(a, pa, xb) or _other_doer(b, pb, xa):
                continue  # 'X won best actor ..., and Y won best actor ...': both did it
            # Two named doers neither claim links; or a named doer that the other claim tells in
            # another role than doer ('..., according to the FDA').
            na, nb = _proper(xa, a, b), _proper(xb, b, a)
            if not na and _ANAPHORIC.match(xa.text) or not nb and _ANAPHORIC.match(xb.text):
                continue  # 'the club', 'its regulations' point back at a name: maybe the other doer
            if not (na and nb and not _inside(xa, b) and not _inside(xb, a)
                    or nb and _inside(xb, a) and not _inside(xb, a, near=xa) and not _inside(xa, b)
                    or na and _inside(xa, b) and not _inside(xa, b, near=xb) and not _inside(xb, a)):
                continue
            return Match(f"agent of '{pa.lemma}': {xa.text} vs {xb.text}", [_ev("a", a, xa), _ev("b", b, xb)], 0.75)
        return None

    def _winner(self, a, b, fa, fb, events):
        for pa, pb in events:
            if pa.lemma not in WIN or pa.polarity is not True:
                continue
            wa = pa.agent if not pa.passive else pa.agent
            wb = pb.agent if not pb.passive else pb.agent
            if wa is None or wb is None or not (_proper(wa, a, b) and _proper(wb, b, a)) or compatible(wa, wb):
                continue
            if _overlap(wa.key, wb.key):
                continue
            if same_participant(pa.patient, pb.agent) and same_participant(pb.patient, pa.agent):
                continue  # "Brazil beat Argentina" / "Argentina beat Brazil": the role reversal rule's finding
            if _other_doer(a, pa, wb) or _other_doer(b, pb, wa):
                continue  # 'X won best actor in a comedy, and Y won best actor in a drama'

            return Match(f"winner: {wa.text} vs {wb.text} ('{pa.lemma}')", [_ev("a", a, wa), _ev("b", b, wb)], 0.8)
        return None


_NAME = r"(?:[A-Z][\w'-]+(?:\s+(?:of\s+)?[A-Z][\w'-]+){0,3})"
_WENT_TO = re.compile(r"\b(?:went|goes|go|was\s+awarded|were\s+awarded|has\s+been\s+awarded|was\s+given|was\s+presented)"
                      r"\s+to\s+(?:(?:the\s+)?(?:[a-z]+\s+){0,2})?(?P<w>" + _NAME + ")")
_WON_BY = re.compile(r"\b(?:was|were|has\s+been)\s+(?:won|claimed|taken|clinched|captured)\s+by\s+"
                     r"(?:(?:the\s+)?(?:[a-z]+\s+){0,2})?(?P<w>" + _NAME + ")")
_AWARDED_TO = re.compile(r"\bawarded\s+(?:the|a|an|its|this\s+year's)\s+(?:[\w'-]+\s+){1,5}?to\s+(?P<w>" + _NAME + ")")
_NAMED_WINNER = re.compile(r"(?P<w>" + _NAME + r")\s+(?:was|were|has\s+been)\s+(?:named|declared|crowned)\s+"
                           r"(?:the\s+)?(?:winners?|champions?)\s+of\b")
_TOOK = re.compile(r"(?P<w>" + _NAME + r")\s+(?:won|took(?:\s+home)?|claimed|clinched|captured|scooped|collected|lifted)\s+")
_MONTHS_DAYS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                          "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
                          "saturday", "sunday", "the", "a", "an", "this", "last", "in", "on", "at"})


def _winners(c: Claim) -> list[tuple[str, int, int]]:
    """Who a claim says took a prize, from the shapes news tells it in: 'the prize went to X',
    'was awarded to X', 'was won by X', 'X was named winner of', 'X took home the prize'."""
    out = []
    for pat in (_WENT_TO, _WON_BY, _AWARDED_TO, _NAMED_WINNER, _TOOK):
        for m in pat.finditer(c.text):
            name = m.group("w")
            words = name.split()
            if pat is _TOOK and m.start("w") == 0 and len(words) == 1:
                continue  # a sentence's first word may be no name
            while words and words[0].lower() in _MONTHS_DAYS | {"film", "director", "novelist", "chef", "team"}:
                words = words[1:]
            if not words or words[0].lower() in _MONTHS_DAYS:
                continue
            start = m.start("w") + name.index(words[0])
            text = " ".join(words)
            out.append((text, start, start + len(text)))
    return out


def _prize_winner(a: Claim, b: Claim) -> Match | None:
    """One prize, two winners, told with any of the prize verbs: 'The Halden Prize went to
    Marisol Quint' / 'Eamon Trask took this year's Halden Prize'."""
    wa, wb = _winners(a), _winners(b)
    if not wa or not wb:
        return None
    if any(_same_name(na, nb) for na, _, _ in wa for nb, _, _ in wb):
        return None
    for na, sa, ea in wa:
        for nb, sb, eb in wb:
            if _same_name(na, nb):
                continue
            if len(wa) > 1 or len(wb) > 1:
                return None  # two winners on one side: two prizes
            return Match(f"winner: {na} vs {nb}", [Evidence("a", na, sa, ea), Evidence("b", nb, sb, eb)], 0.8)
    return None


_ANCHORED = re.compile(r"\b(?P<anchor>[A-Za-z]+)\s+(?:in|at)\s+(?:the\s+(?:[a-z]+\s+){0,2}(?:of\s+)?)?"
                       r"(?P<p>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)")


def _anchored(c: Claim) -> dict[str, tuple[str, int, int]]:
    out = {}
    for m in _ANCHORED.finditer(c.text):
        p = m.group("p")
        if p.split()[0].lower() in _MONTHS_DAYS or m.group("anchor") in ("held", "is", "was", "be", "based", "born"):
            continue
        if m.start("anchor") == 0:
            continue
        out.setdefault(m.group("anchor").lower(), (p, m.start("p"), m.end("p")))
    return out


def _anchored_place(a: Claim, b: Claim) -> Match | None:
    """The same event placed in two named places, each told as '<event noun> in <Name>': 'a
    concert in Brevik' / 'a concert in Aldmoor', 'the forum in Vantross' / 'the forum in Kilmory'.
    Neither name may appear in the other claim ('Port Elmira's rival, Saltmarsh')."""
    pa, pb = _anchored(a), _anchored(b)
    la, lb = a.text.lower(), b.text.lower()
    for anchor in pa.keys() & pb.keys():
        if anchor not in EVENT_NOUNS:
            continue  # 'damaged 12 buildings in Kyiv' / 'damaged 40 buildings in Lviv': two acts, two places
        (xa, sa, ea), (xb, sb, eb) = pa[anchor], pb[anchor]
        if xa.lower() in lb or xb.lower() in la or set(xa.lower().split()) & set(xb.lower().split()):
            continue
        if anchor in STOPWORDS_SHORT:
            continue
        return Match(f"place: {xa} vs {xb} ({anchor})", [Evidence("a", xa, sa, ea), Evidence("b", xb, sb, eb)], 0.8)
    return None


# Things that happen somewhere: told in two places, the same one is placed twice.
EVENT_NOUNS = frozenset({"concert", "summit", "forum", "conference", "meeting", "talks", "ceremony", "festival",
                         "match", "race", "rally", "congress", "convention", "show", "premiere", "funeral",
                         "wedding", "trial", "hearing", "tournament", "final", "game", "parade", "launch", "election",
                         "vote", "referendum", "exhibition", "auction", "service", "vigil", "protest"})
STOPWORDS_SHORT = frozenset({"and", "or", "but", "also", "only", "was", "were", "is", "are", "be", "been", "which",
                             "who", "that", "people", "killed", "injured", "died", "live", "lives", "lived", "work",
                             "works", "worked", "stores", "offices", "plants", "factories", "branches", "sites"})


def _affiliation(a: Claim, b: Claim) -> Match | None:
    """The same person tied to two organisations: 'Lena Holt, a spokeswoman for Transvia' /
    'Lena Holt, speaking for the rival operator Northlink'. A person each claim ties to one
    organisation only (one who 'left X and joined Y' is told elsewhere), and neither organisation
    named in the other claim at all."""
    from ..affiliation import affiliations, same_person

    ta, tb = affiliations(a.text), affiliations(b.text)
    la, lb = set(re.findall(r"[a-z0-9]+", a.text.lower())), set(re.findall(r"[a-z0-9]+", b.text.lower()))
    for x in ta:
        for y in tb:
            if not same_person(x.person, y.person) or x.words & y.words:
                continue
            if len({t.words for t in ta if same_person(t.person, x.person)}) > 1 or \
                    len({t.words for t in tb if same_person(t.person, y.person)}) > 1:
                continue
            if x.words <= lb or y.words <= la:
                continue
            name = " ".join(w.capitalize() for w in y.person)
            return Match(f"affiliation of {name}: {x.org} vs {y.org}",
                         [Evidence("a", x.org, x.start, x.end), Evidence("b", y.org, y.start, y.end)], 0.8)
    return None


# Verbs that tell who took a prize; WIN also holds 'beat' and 'lead', which take no prize.
TAKE_PRIZE = frozenset({"win", "capture", "claim", "clinch", "secure", "take", "lift", "collect", "scoop", "take home"})


def _same_prize(x: Mention | None, y: Mention | None) -> bool:
    """'the Silverlake Open' / 'the Silverlake Open title': one prize, told with or without its noun."""
    if x is None or y is None:
        return False
    wx, wy = set(_key_words(x.text)), set(_key_words(y.text))
    return _same_slot(x, y) or len(wx & wy) >= 2 or bool(wx and wy and (wx <= wy or wy <= wx))


# Acts too general to have one doer: 'have', 'get', 'take', 'make', 'give', 'use', 'include'.
_WEAK_ACTS = frozenset({"be", "have", "get", "take", "make", "give", "use", "include", "contain", "see", "know",
                        "find", "show", "follow", "need", "want", "like", "become", "remain", "keep", "hold", "put"})


_ANAPHORIC = re.compile(r"(?:the|its|his|her|their|this|that|these|those|our)\b", re.I)


def _other_doer(c: Claim, p: Predicate, m: Mention) -> bool:
    """Does the claim tell the act twice, once with this doer ('X won best actor in a comedy, and
    Y won best actor in a drama'; 'Kissinger visited China to prepare the visit by Nixon')?"""
    if any(q is not p and q.lemma == p.lemma and compatible(q.agent, m) and q.agent is not None for q in c.frame.predicates):
        return True
    from ..lexicon import base_lemma

    stem = event_stem(p.lemma)
    return sum(1 for t in c.tokens if t.content and event_stem(base_lemma(t.lemmas)) == stem) >= 2 and _inside(m, c)


def _proper(m: Mention, own: Claim, other: Claim) -> bool:
    """A name, not a description: tagged as one, or its head word capitalised where no sentence
    starts (the small parser leaves invented names untagged: 'Medsafe', 'Tarn Logistics')."""
    if m.named:
        return True
    words = re.findall(r"[A-Za-z][\w'-]*", m.text)
    if not words or not words[-1][:1].isupper():
        return False
    head = re.escape(words[-1])
    return any(re.search(r"(?<![.!?]\s)(?<!^)\b" + head + r"\b", c.text) for c in (own, other))


def _inside(m: Mention, other: Claim, near: Mention | None = None) -> bool:
    """Does the other claim name this doer: anywhere, or (`near`) within or next to its own
    doer's words ('Microsoft' in 'Microsoft chief Satya Nadella', an apposition)?"""
    low = other.text.lower()
    words = _key_words(m.text)
    if not words:
        return True
    at = [x.start() for x in re.finditer(r"\b" + re.escape(words[-1]) + r"\b", low)]
    if near is None:
        return bool(at)
    return any(near.start - 40 <= i <= near.end + 20 for i in at)


def _unnamed_place(a: Claim, b: Claim, fa, fb, events) -> Match | None:
    """Two tellings of one event placed in two unnamed parts of a site: 'the fire started in the
    packaging hall' / 'in the loading bay', 'the north stand' / 'the south stand'. Only places
    that hang on the shared verb itself, and only when neither side's place word is in the other
    claim (a site and its part, 'the plant' / 'a room at the plant', may be one place)."""
    if fa.places and any(m.label for m in fa.places) or fb.places and any(m.label for m in fb.places):
        return None  # a named place on either side: the named comparison decides
    la, lb = a.all_lemmas, b.all_lemmas
    for pa, pb in events:
        ma = [m for m in fa.places if len(m.roles) == 2 and m.roles[1] == str(pa.start)]
        mb = [m for m in fb.places if len(m.roles) == 2 and m.roles[1] == str(pb.start)]
        if len(ma) != 1 or len(mb) != 1:
            continue
        x, y = ma[0], mb[0]
        wx, wy = _place_words(x), _place_words(y)
        hx, hy = wx[-1], wy[-1]
        if hx not in ROOM_NOUNS and hy not in ROOM_NOUNS:
            continue  # "in the city" / "in the capital": too vague to be two places
        if hx == hy:
            mx, my = set(wx[:-1]) - set(wy), set(wy[:-1]) - set(wx)
            if not mx or not my or mx & lb or my & la:
                continue  # "the hall" / "the main hall": one may be the other
        elif hx in lb or hy in la or set(wx) & set(wy):
            continue
        return Match(f"place: {x.text} vs {y.text}", [_ev("a", a, x), _ev("b", b, y)], 0.75)
    return None


def _place_words(m: Mention) -> list[str]:
    from ..lexicon import base_lemma, lemmas_of

    words = [w for w in re.findall(r"[a-z]+", m.text.lower()) if w not in ("the", "a", "an", "its", "their", "his",
                                                                           "her", "of")]
    return [base_lemma(lemmas_of(w)) for w in words] or [m.key]


# Titles many people hold at once: two senators can both vote for a bill.
SHARED_OFFICES = frozenset({"senator", "member", "mp", "lawmaker", "councillor", "councilor", "representative",
                            "congressman", "congresswoman", "officer", "spokesman", "spokeswoman", "official",
                            "lawyer", "doctor", "striker", "defender", "player", "candidate", "analyst", "economist",
                            "colleague", "teammate", "minister", "director", "professor", "detective", "sergeant"})
def _acts_in(ea: Mention, eb: Mention, events) -> bool:
    """Are the two people the agents of the same event ('X ordered the evacuation' / 'the
    evacuation was ordered by Y')?"""
    for pa, pb in events:
        if pa.agent is not None and pb.agent is not None and compatible(pa.patient, pb.patient) \
                and pa.agent.start <= ea.start < pa.agent.end + 40 and pb.agent.start - 40 <= eb.start <= pb.agent.end + 40:
            return True
    return False


# Words that make another office of the same title: the deputy commissioner is not the commissioner.
RANKS = frozenset({"deputy", "vice", "assistant", "associate", "under", "junior", "shadow", "co"})
_ROLE_STOP = frozenset({"former", "new", "then", "current", "acting", "interim", "the", "a", "an", "incumbent"})


def _role_words(m: Mention) -> frozenset[str]:
    return frozenset(w for r in m.roles[:1] for w in r.split() if w not in _ROLE_STOP)


def _overlap(x: str, y: str) -> bool:
    return x == y or bool(set(x.split()) & set(y.split()) - PLACE_NOUNS - {"the", "of"}) or _acronym(x, y) \
        or _acronym(y, x)


def _acronym(short: str, long: str) -> bool:
    """'NFL' / 'the National Football League': one name, spelled out once."""
    words = [w for w in long.split() if w not in ("of", "the", "and", "for")]
    return " " not in short and len(short) >= 2 and len(words) >= 2 and short == "".join(w[0] for w in words)


# What records an act, beside verbs of evidence: "Ministry diaries show ...", "footage of ...".
EVIDENCE_NOUNS = frozenset({"record", "diary", "footage", "video", "image", "photograph", "photo", "document",
                            "filing", "log", "email", "memo", "minute", "recording", "test", "sample", "report",
                            "data", "receipt", "invoice", "statement", "transcript", "cctv", "camera", "evidence"})


def _shown(c: Claim) -> bool:
    """Does the claim present evidence: an evidence verb ('show', 'reveal') with evidence nouns?"""
    return not c.all_lemmas.isdisjoint(EVIDENCE | FACTIVE_CUES) and not c.all_lemmas.isdisjoint(EVIDENCE_NOUNS)


@register
class Implicative(RuleKind):
    """The same predicate asserted on one side and denied on the other through an implicative or
    factive verb: "refused to sign" vs "signed", "ruled out a recount" vs "ordered a recount",
    "managed to contain" vs "failed to contain", "denied that X" vs "records show X" (a dispute)."""

    reads_frames = True
    name = "implicative"
    summary = "a verb's complement asserted on one side, denied through refuse/fail/rule out/deny on the other"
    default_min_similarity = 0.55
    schema = {
        "plain_negation": {"type": "boolean", "default": False,
                           "description": "Also fire when the denial is a plain 'not' (the negation kind's job)."},
        "disputes_only": {"type": "boolean", "default": False,
                          "description": "Only a denial ('denied that X') against evidence or an admission "
                                         "('records show X'); the objects may be worded differently."},
    }
    template = """\
  - id: my-implicative-rule
    kind: implicative
    description: A refusal reported as a signature.
    severity: warning
    examples:
      fire:
        - ["The president refused to sign the treaty.", "The president signed the treaty."]
      quiet:
        - ["The president refused to sign the treaty.", "The president did not sign the treaty."]
"""

    def __init__(self, params):
        super().__init__(params)
        self.plain = params.get("plain_negation", False)
        self.disputes = params.get("disputes_only", False)

    def wants(self, c: Claim) -> bool:
        if self.disputes:
            return _gate(c, "dispute", lambda c: not c.all_lemmas.isdisjoint(DENIAL | EVIDENCE | FACTIVE_CUES))
        if self.plain and c.has_negation:
            return True
        return _gate(c, "implicative", lambda c: not c.all_lemmas.isdisjoint(IMPLICATIVE_CUES))

    def check(self, a: Claim, b: Claim) -> Match | None:
        if not (self.wants(a) or self.wants(b)) or len(shared_content(a, b)) < 2:
            return None
        if self.disputes:
            return self._denial(a, b) or self._reported_denial(a, b)
        return self._denial(a, b) or (None if self.plain else _declined(a, b) or _declined(b, a, flip=True))

    def _reported_denial(self, a: Claim, b: Claim) -> Match | None:
        """A source's own word against evidence, the act told in other words: 'the ministry says
        no civilians were harmed' / 'hospital records show six civilians were injured'; 'Police
        said officers did not use tear gas' / 'video shows officers firing tear gas'."""
        for neg_claim, pos_claim in ((a, b), (b, a)):
            if not _shown(pos_claim) or pos_claim.has_negation:
                continue
            said = [p for p in neg_claim.frame.predicates if p.lemma in REPORTING | DENIAL and p.polarity is True
                    and p.agent is not None and p.agent.key not in EVIDENCE_NOUNS]
            if not said:
                continue
            for neg in neg_claim.frame.predicates:
                if neg.start < said[0].end or not _denied(neg):
                    continue
                for pos in pos_claim.frame.predicates:
                    if pos.polarity is not True or pos.source not in ("evidence", "factive") and not _shown(pos_claim):
                        continue
                    if pos.lemma in REPORTING | EVIDENCE or not _one_act(neg.lemma, pos.lemma):
                        continue
                    if not _same_party(neg.patient, pos.patient) and not _told_of(neg.patient, pos.patient, neg_claim) \
                            and not (
                            neg.agent is not None and pos.agent is not None and not pos.passive and not neg.passive
                            and _same_party(neg.agent, pos.agent) and compatible(neg.patient, pos.patient)):
                        continue
                    if neg.agent is not None and pos.agent is not None and not compatible(neg.agent, pos.agent) \
                            and not _same_party(neg.agent, pos.agent):
                        continue  # 'troops' / 'rebels' did it
                    en, ep = _pred_ev("a", neg_claim, neg), _pred_ev("b", pos_claim, pos)
                    if neg_claim is b:
                        en, ep = replace(en, side="b"), replace(ep, side="a")
                    return Match(f"denied ('{en.text}', said by {said[0].agent.text}) vs shown ('{ep.text}')",
                                 [en, ep] if neg_claim is a else [ep, en], 0.8, relation="dispute")
        return None

    def _denial(self, a: Claim, b: Claim) -> Match | None:
        for pa, pb in shared_events(a, b):
            if pa.polarity == pb.polarity:
                continue
            neg, pos = (pa, pb) if pa.polarity is False else (pb, pa)
            marker = (neg.marker or "").lower()
            if not self.plain and (not marker or marker in PLAIN_NEGATION):
                continue
            if pa.lemma in REPORTING and (pa.patient is None or pb.patient is None):
                continue  # "did not say that X" is no denial of X, nor of a saying that matters
            pos_claim = b if pos is pb else a
            is_dispute = neg.source == "denial" and (pos.source in ("evidence", "factive") or _shown(pos_claim))
            if self.disputes and not is_dispute:
                continue
            if pos.agent is not None and pos.agent.key in EVIDENCE_NOUNS:
                # "diaries show Delacour met lobbyists", parsed with the diaries as the doer
                pos = replace(pos, agent=None)
                pa, pb = (pa, pos) if pos_claim is b else (pos, pb)
            # a denial against evidence: the same act by the same doer, its object in other words
            # ("a civilian area" / "a residential neighbourhood")
            if not (aligned(pa, pb) or self.disputes and compatible(pa.agent, pb.agent) and pa.agent is not None
                    and pb.agent is not None):
                continue
            ea, eb = _pred_ev("a", a, pa), _pred_ev("b", b, pb)
            relation = "dispute" if is_dispute else None
            if relation:
                msg = f"denied ('{(ea if neg is pa else eb).text}') vs shown ('{(eb if neg is pa else ea).text}')"
            else:
                msg = f"'{ea.text}' vs '{eb.text}': '{pa.lemma}' asserted on one side, denied on the other"
            return Match(msg, [ea, eb], 0.85, relation=relation)
        return None


_DECLINE = frozenset({"decline", "refuse", "reject", "spurn", "snub", "forgo", "forego", "renounce"})
_TAKE = frozenset({"accept", "get", "receive", "take", "collect", "pocket", "win"})


def _declined(a: Claim, b: Claim, flip: bool = False) -> Match | None:
    """'He declined the Britannia Award' / 'White got the Britannia Award': a thing turned down
    on one side is taken on the other, by the same hands."""
    for pa in a.frame.predicates:
        if pa.lemma not in _DECLINE or pa.polarity is not True or pa.patient is None:
            continue
        for pb in b.frame.predicates:
            if pb.lemma not in _TAKE or pb.polarity is not True or pb.patient is None or pb.passive:
                continue
            if not _same_party(pa.patient, pb.patient) or not compatible(pa.agent, pb.agent):
                continue
            if pa.agent is not None and pb.agent is not None and pa.agent.key not in PRONOUNS \
                    and not same_participant(pa.agent, pb.agent):
                continue
            ea, eb = _pred_ev("a", a, pa), _pred_ev("b", b, pb)
            if flip:
                ea, eb = replace(eb, side="a"), replace(ea, side="b")
            return Match(f"'{ea.text}' vs '{eb.text}': {pb.patient.text} turned down on one side, taken on the other",
                         [ea, eb], 0.8)
    return None


# One act told with two verbs when a source's denial meets the evidence against it.
DISPUTED_ACTS = ({"steal", "take", "obtain", "access"}, {"discharge", "release", "dump", "spill", "leak", "pour"},
                 {"tell", "inform", "warn", "notify", "brief", "alert"}, {"harm", "injure", "hurt", "wound", "kill"},
                 {"use", "fire", "deploy", "shoot"}, {"pay", "receive", "accept", "give", "donate"},
                 {"meet", "visit"}, {"hit", "strike", "shell", "bomb"})
_ACT = {w: frozenset(g) for g in DISPUTED_ACTS for w in g}


def _one_act(x: str, y: str) -> bool:
    return x == y or y in _ACT.get(x, ())


def _denied(p: Predicate) -> bool:
    """Denied outright ('did not use', 'never told') or of no participant ('no civilians were harmed')."""
    if p.polarity is False:
        return (p.marker or "").lower() in PLAIN_NEGATION | {"denied", "deny", "denies"} or p.source == "denial"
    return p.polarity is True and any(m is not None and re.match(r"(?:no|none of)\s", m.text.lower())
                                      for m in (p.patient if p.passive else p.agent, p.patient))


def _told_of(pronoun: Mention | None, name: Mention | None, claim: Claim) -> bool:
    """'Price says he was never told' / 'Price was informed': the speaker speaks of himself."""
    return pronoun is not None and name is not None and pronoun.key in PRONOUNS and _proper(name, claim, claim) \
        and bool(_key_words(name.text)) and all(w in claim.text.lower() for w in _key_words(name.text))


def _same_party(x: Mention | None, y: Mention | None) -> bool:
    """One participant told in both: a shared content word ('no civilians' / 'six civilians',
    'tear gas' / 'tear gas canisters'), numbers and quantifiers aside."""
    if x is None or y is None:
        return False
    if same_participant(x, y):
        return True
    stop = {"no", "any", "all", "some", "its", "his", "her", "their", "the", "a", "an", "of", "none"}
    wx = {w for w in re.findall(r"[a-z]+", x.text.lower()) if w not in stop and len(w) > 2}
    wy = {w for w in re.findall(r"[a-z]+", y.text.lower()) if w not in stop and len(w) > 2}
    return bool(wx & wy)


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

    gated = True

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
                if not (qa.noun and qa.noun == qb.noun or "" in (qa.noun, qb.noun) and qa.of and qa.of == qb.of):
                    continue  # the same group: one noun, or one size ("all three" / "one of the three")
                if _flipped(a, qa) or _flipped(b, qb):
                    continue  # "no resident was unaccounted for": all of them were
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
