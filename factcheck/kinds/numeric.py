from __future__ import annotations

import re

from ..claims import Claim
from ..lexicon import ACT_NOUNS, names_people, people_and_kind
from ..lexicon import same_thing as same_word
from ..quantities import Quantity
from .base import Evidence, Match, RuleKind, register


MEASURES = frozenset({"length", "mass", "speed", "temperature", "duration", "area", "volume", "clock"})
CURRENCIES = frozenset({"$", "€", "£", "CHF", "¥", "₩", "CN¥", "₹", "₽", "PESO", "SEK", "NOK", "PLN", "TRY", "ZAR"})
# Words after a measure that say which way it is measured, not what: "9 miles long".
_MEASURE_WORDS = frozenset({"long", "high", "wide", "deep", "tall", "away", "old", "late", "early", "of", "in",
                            "north", "south", "east", "west", "overnight", "per"})


def same_thing(qa: Quantity, qb: Quantity, require_noun: bool = True, lemmas_a: frozenset[str] = frozenset(),
               lemmas_b: frozenset[str] = frozenset()) -> bool:
    """Do two numbers count the same thing? Same unit and counted noun, and no description words
    on both sides that the other claim lacks altogether ("households without electricity" vs
    "... without gas"; but "the £45 million fine ... the regulator" and "the regulator's £54
    million fine" describe one fine). A measure (a length, a temperature) is its own thing: a
    missing noun does not matter, and "3,000 tonnes of ammonium nitrate fertiliser" weighs the
    same cargo as "3,000 kilograms of fertiliser"."""
    if qa.unit != qb.unit:
        return False
    if qa.unit in MEASURES and (qa.noun is None or qb.noun is None or qa.noun in _MEASURE_WORDS
                                or qb.noun in _MEASURE_WORDS or qa.noun in qb.context or qb.noun in qa.context):
        return True
    if qa.unit in MEASURES:
        return qa.noun == qb.noun or same_word(qa.noun, qb.noun)  # "60 cm of snow on the high passes" / "60
        # inches of snow on the mountain passes": what is measured decides, not how it is described
    if qa.unit is None and people_and_kind(qa.noun, qb.noun):
        return True  # '62 protesters' / '26 people': the vetoes ask that one act counts both
    if qa.unit is None and qb.unit is None and (_people_by_act(qa.noun, qb.noun, lemmas_a)
                                                or _people_by_act(qb.noun, qa.noun, lemmas_b)):
        return True  # 'Nineteen people were arrested' / 'Police made 91 arrests'
    if qa.noun != qb.noun and not (qa.noun and qb.noun and same_word(qa.noun, qb.noun)):
        # A sum or a share is told with its noun on one side only ("settled for £750,000" / "a
        # £7.5 million settlement"); the frame vetoes still tell two measures apart.
        if not (qa.unit is not None and None in (qa.noun, qb.noun)):
            return False
        # ... but only when the claim without the noun still speaks of it ('settled' / 'settlement',
        # 'seed funding' / 'seed round'): '92 percent effective' and '64 percent' of something
        # unsaid are two figures.
        noun, other = (qa.noun, lemmas_b) if qb.noun is None else (qb.noun, lemmas_a)
        return any(same_word(noun, w) for w in other)
    if qa.noun is None and require_noun and qa.unit is None:
        return False
    only_a, only_b = qa.context - qb.context - lemmas_b, qb.context - qa.context - lemmas_a
    return not (only_a and only_b)


def _people_by_act(person: str | None, act_noun: str | None, lemmas: frozenset[str]) -> bool:
    """People on one side, counted on the other by a noun of what befell them, the verb of which
    the people's side uses ('arrested' / 'arrests')."""
    verb = ACT_NOUNS.get(act_noun or "")
    return bool(verb and names_people(person) and verb in lemmas)


@register
class Numeric(RuleKind):
    """The same quantity of the same thing given with values that cannot both be true.

    Qualifiers become intervals ("more than 4 million" = [4M, inf), "about 2 million" = 1.7M-2.3M),
    so "more than 4 million" and "over four million" agree while "about 2 million" conflicts.
    """

    name = "numeric"
    summary = "incompatible values for the same quantity"
    default_min_similarity = 0.5
    schema = {
        "nouns": {"type": "array", "items": {"type": "string"},
                  "description": "If given, only quantities counting these nouns (lemmas) are compared."},
        "units": {"type": "array", "items": {"type": "string"},
                  "description": "If given, only these units ('%', '$', ...) are compared."},
        "tolerance": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.02,
                      "description": "Relative slack before two intervals count as disjoint."},
        "require_noun": {"type": "boolean", "default": True,
                         "description": "Bare numbers without a counted noun or unit are not compared."},
        "currency_mismatch": {"type": "boolean", "default": False,
                              "description": "Fire on the same amount in different currencies ('310 million "
                                             "euros' vs '310 million dollars') instead of on different values."},
    }
    template = """\
  - id: my-numeric-rule
    kind: numeric
    description: Different counts of the same people.
    severity: warning
    nouns: [refugee, casualty]   # optional: only these counted nouns
    tolerance: 0.02
    examples:
      fire:
        - ["More than 4 million refugees have fled.", "About 2 million refugees have fled."]
      quiet:
        - ["More than 4 million refugees have fled.", "Over four million refugees have fled."]
"""

    def __init__(self, params):
        super().__init__(params)
        self.nouns = set(params.get("nouns", ()))
        self.units = set(params.get("units", ()))
        self.tolerance = params.get("tolerance", 0.02)
        self.require_noun = params.get("require_noun", True)
        self.currency = params.get("currency_mismatch", False)
        if self.currency:
            # The same amount in two currencies: the subject words may differ ("the council
            # approved" / "councillors approved"), the figure says it is one budget.
            self.exempt_vetoes = frozenset({"thing", "object"})
        self.clock = self.units == {"clock"}
        if self.clock:
            # Times of day are the time: the veto on other times would read "at noon" against "at
            # midnight" as an update. Other days or dates still part them (checked below).
            self.exempt_vetoes = frozenset({"time"})
        # The same figure in two units of one measure ("40 °C" / "40 °F", "9 miles" / "9
        # kilometres"): the figure says it is one reading, whatever the subjects are called.
        self.unit_swap = not self.currency and not self.clock and bool(self.units & MEASURES)

    def gate(self, claim: Claim) -> bool:
        if self.currency:
            return any(q.unit in CURRENCIES for q in claim.quantities)
        return any(self._wanted(q) for q in claim.quantities)

    def _wanted(self, q: Quantity) -> bool:
        if q.unit == "clock" and "clock" not in self.units:
            return False  # times of day are compared only by rules that ask for them
        if self.nouns and q.noun not in self.nouns:
            return False
        if self.units and (q.unit or "") not in self.units:
            return False
        return True

    def _currency_clash(self, a: Claim, b: Claim) -> Match | None:
        for qa in a.quantities:
            for qb in b.quantities:
                if qa.unit in CURRENCIES and qb.unit in CURRENCIES and qa.unit != qb.unit \
                        and abs(qa.value - qb.value) <= self.tolerance * max(abs(qa.value), 1e-9) \
                        and (qa.noun == qb.noun or None in (qa.noun, qb.noun)):
                    return Match(f"currency: '{qa.text}' vs '{qb.text}'",
                                 [Evidence("a", qa.text, qa.start, qa.end), Evidence("b", qb.text, qb.start, qb.end)],
                                 0.8)
        return None

    def _unit_swap(self, a: Claim, b: Claim) -> Match | None:
        for qa in a.quantities:
            for qb in b.quantities:
                if qa.unit == qb.unit and qa.unit in MEASURES and qa.unit != "clock" and self._wanted(qa) \
                        and not qa.overlaps(qb, self.tolerance):
                    fa, fb = _figure(qa.text), _figure(qb.text)
                    if fa is not None and fa == fb and _unit_word(qa.text) != _unit_word(qb.text):
                        return Match(f"{qa.unit}: '{qa.text}' vs '{qb.text}': one figure in two units",
                                     [Evidence("a", qa.text, qa.start, qa.end),
                                      Evidence("b", qb.text, qb.start, qb.end)], 0.85,
                                     exempt=frozenset({"thing", "object", "subject"}))
        return None

    def check(self, a: Claim, b: Claim) -> Match | None:
        if self.currency:
            return self._currency_clash(a, b)
        if self.clock and _other_days(a, b):
            return None
        best = None
        la, lb = a.all_lemmas, b.all_lemmas
        for qa in a.quantities:
            if not self._wanted(qa):
                continue
            for qb in b.quantities:
                if not self._wanted(qb) or not same_thing(qa, qb, self.require_noun, la, lb):
                    continue
                if qa.overlaps(qb, self.tolerance):
                    continue
                if _a_whole(a, qa) != _a_whole(b, qb):
                    continue  # 'a quarter of the 200 nurses' / 'fifty nurses': the whole against a part
                if people_and_kind(qa.noun, qb.noun) and any(
                        x.noun in (qa.noun, qb.noun) for x in (*a.quantities, *b.quantities) if x is not qa and x is not qb):
                    continue  # '23 people, two worshippers' counts the worshippers apart from the people
                if any(x is not qa and self._wanted(x) and (same_thing(x, qb, self.require_noun, la, lb) or _elided(x, qa))
                       and x.overlaps(qb, self.tolerance) for x in a.quantities) or \
                        any(y is not qb and self._wanted(y) and (same_thing(qa, y, self.require_noun, la, lb)
                                                                  or _elided(y, qb))
                            and qa.overlaps(y, self.tolerance) for y in b.quantities):
                    continue  # another value on the other side agrees: "38 mph, below the 50 mph limit"
                gap = _relative_gap(qa, qb)
                strength = min(1.0, 0.6 + gap)
                if best is None or strength > best.strength:
                    thing = f" {qa.noun}" if qa.noun and qa.unit not in MEASURES else ""
                    other = f" {qb.noun}" if thing and qb.noun and qb.noun != qa.noun else thing
                    what = f"{qa.unit}: " if qa.unit in MEASURES else ""
                    best = Match(f"{what}'{qa.text}'{thing} vs '{qb.text}'{other}: the values cannot both hold",
                                 [Evidence("a", qa.text, qa.start, qa.end), Evidence("b", qb.text, qb.start, qb.end)],
                                 strength)
        if best is not None and self.unit_swap:
            return self._unit_swap(a, b) or best
        return best


_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CLOCK_WORDS = frozenset({"a", "m", "p", "am", "pm", "noon", "midday", "midnight", "gmt", "utc", "h", "local", "time",
                          "morning", "evening", "night", "afternoon", "shortly", "just", "after", "before", "about"})


def _figure(text: str) -> str | None:
    m = _FIGURE.search(text)
    return m.group().replace(",", "") if m else None


def _unit_word(text: str) -> str:
    return re.sub(r"[^a-z°]+", "", text.lower().split(_figure(text) or "\0", 1)[-1])[:3]


def _other_days(a: Claim, b: Claim) -> bool:
    """Times of day on other days ('9 a.m. on Monday' / '3 p.m. on Tuesday') may both hold."""
    from ..vetoes import _time_words

    ta = {w for w in _time_words(a) if not w.isdigit()} - _CLOCK_WORDS
    tb = {w for w in _time_words(b) if not w.isdigit()} - _CLOCK_WORDS
    return bool(ta and tb and not ta & tb)


_OF_THE = re.compile(r"\bof\s+(?:the|its|their|his|her|our|all|all\s+the)\s+$", re.I)


def _a_whole(c: Claim, q: Quantity) -> bool:
    """'Four of the nine paintings', 'half of its 800 jobs': the number after 'of the' is the
    whole group, which the other side's count of a part does not contradict."""
    return bool(_OF_THE.search(c.text[max(0, q.start - 16):q.start]))


def _elided(x: Quantity, counted: Quantity) -> bool:
    """A bare number told after a count in the same claim, its noun left out: 'the Green Alliance
    gained four seats, while the Liberal Union lost six', 'the six in Kolby will close'. It may
    count the same thing as the other side's figure, so it may agree with it."""
    return x.noun is None and x.unit is None and x.start > counted.start


def _relative_gap(qa: Quantity, qb: Quantity) -> float:
    lo, hi = sorted([(qa.low, qa.high), (qb.low, qb.high)])
    gap = hi[0] - lo[1]
    scale = max(abs(qa.value), abs(qb.value), 1e-9)
    return max(0.0, min(1.0, gap / scale))
