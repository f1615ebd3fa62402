"""Slot mismatch: the same event with another filler in one slot (place, direction, role holder,
party, winner, doer, affiliation)."""
from __future__ import annotations

from ..claims import Claim
from ..dates import CALENDAR_WORDS
import re

from ..frames import Mention, Predicate
from ..frames.parse import COMPASS, EVIDENCE, REPORTING
from ..frames.parse import PLACE_NOUNS, ROOM_NOUNS
from .base import Evidence, Match, RuleKind, register
from .frame import (
    FACTIVE_CUES, PRONOUNS, SYMMETRIC, WIN, _ACRONYM, _OPENING_NAME, _PLACE_HINT, _ev, _gate,
    _in_event_sentence, _key_words, _named, _same_name, _same_slot, compatible, event_stem,
    same_participant, shared_events,
)


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
            # one office told with two portfolios needs no shared verb: 'Health Minister Corbin
            # Aske unveiled ...' / 'Corbin Aske, the country's defence minister, launched ...'
            return self._role(a, b, fa, fb, events, offices_only=True) if self.slot == "role" else None
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

    def _role(self, a, b, fa, fb, events, offices_only: bool = False):
        for ea in self._people(fa):
            for eb in self._people(fb):
                if not same_participant(ea, eb) or not ea.roles or not eb.roles:
                    continue
                ra, rb = _role_words(ea), _role_words(eb)
                if not ra or not rb or (ra <= rb or rb <= ra) and not (ra ^ rb) & RANKS:
                    continue  # "police commissioner" / "commissioner"; but a deputy is not the chief
                if offices_only and not (ra & rb & OFFICE_HEADS and not _former(a, ea) and not _former(b, eb)):
                    continue  # without a shared act, only one office with two portfolios counts
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
_MONTHS_DAYS = CALENDAR_WORDS | {"the", "a", "an", "this", "last", "in", "on", "at"}


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


# Offices held by one person at a time, with a portfolio or a rank beside them.
OFFICE_HEADS = frozenset({"minister", "secretary", "governor", "mayor", "chair", "chairman", "chairwoman",
                          "president", "commissioner", "ambassador", "envoy", "director", "officer", "judge",
                          "attorney", "prosecutor", "captain", "coach", "manager", "spokesman", "spokeswoman"})


def _former(c: Claim, m) -> bool:
    """'the former health minister': a past office, which another may follow."""
    return bool(re.search(r"\b(?:former|ex-|then|outgoing|incoming|new|newly|previous|erstwhile)\b",
                          c.text[max(0, m.start - 60):m.end + 40], re.I))


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


