"""Numbers in claims, as value intervals with the thing they count.

"more than 4 million refugees" -> [4e6, inf) refugees. Intervals make qualifier logic simple:
two statements about the same thing conflict only when their intervals cannot overlap.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .lexicon import STOPWORDS, lemmas_of, base_lemma

_WORDNUM = (r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
            r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred"
            r"|a\s+hundred|a\s+thousand|a\s+million|dozen|a\s+dozen|half\s+a\s+million|half\s+a\s+billion)")
_SCALE = r"(?:hundred|thousand|million|billion|trillion|bn|mn|m|k)"
_NUM = re.compile(
    r"(?:(?P<cur>(?:US\s?)?[$€£¥₹₩₽])\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + "(?:" + _WORDNUM + r"(?:[\s-]+" + _WORDNUM + r")*(?![a-z]|-(?:quarters?|thirds?|fifths?|tenths?)\b)))"
    r"(?:(?:\s?|-(?=(?:million|billion|trillion)-))(?P<scale>" + _SCALE + r")\b)?"
    r"(?:\s?(?P<pct>%|percent|per\s+cent|percentage\s+points?))?",
    re.I,
)
_SCALES = {"hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6,
           "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_QUALIFIERS = [
    ("more", r"(?:more|greater|higher)\s+than|over|above|exceeding|upwards\s+of|in\s+excess\s+of|at\s+least|no\s+fewer\s+than|no\s+less\s+than"),
    ("upto", r"up\s+to|as\s+(?:much|many|high)\s+as"),
    ("less", r"(?:less|fewer|lower)\s+than|under|below|at\s+most|no\s+more\s+than"),
    ("nearly", r"nearly|almost|close\s+to|just\s+under|approaching"),
    ("about", r"about|around|roughly|some|approximately|an\s+estimated|estimated|circa|c\.|more\s+or\s+less|~"),
]
_QUAL_RE = re.compile(r"(?:^|\s)(?P<q>" + "|".join(f"(?P<{k}>{v})" for k, v in _QUALIFIERS) + r")\s*$", re.I)
APPROX = 0.15
# "9:15" is a time of day by its colon; "9.15" only with its suffix ("9.15 p.m."): "4.75
# percent" and "$1.25 billion" are amounts.
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?\s?m\b\.?|h\b|GMT|UTC)?"
                    r"|\b\d{1,2}\.[0-5]\d\s*(?:[ap]\.?\s?m\b\.?|h\b|GMT|UTC)|\b\d{1,2}\s*[ap]\.?m\b\.?"
                    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+o'clock\b", re.I)


@dataclass(frozen=True)
class Quantity:
    text: str
    value: float
    low: float
    high: float
    qualifier: str          # exact | more | less | nearly | about
    unit: str | None        # "%", "$", ...
    noun: str | None        # lemma of the counted thing ("refugee")
    context: frozenset[str]  # lemmas of the words describing the thing ("without electricity")
    start: int
    end: int

    def overlaps(self, other: "Quantity", slack: float = 0.02) -> bool:
        if self.qualifier == "upto" and other.qualifier == "upto":
            # Two peaks ("gusts of up to 120 km/h" / "up to 120 mph") are compared as values.
            lo, hi = sorted((self.high, other.high))
            return lo * (1 + slack) + 1e-9 >= hi
        lo = max(self.low, other.low)
        hi = min(self.high, other.high)
        return lo <= hi + slack * abs(hi) + 1e-9  # abs: below zero, -10 °C and 14 °F agree


_AND_A_HALF = re.compile(r"\s+and\s+a\s+half\b")  # "a year and a half": 1.5 years


def _word_value(text: str) -> float | None:
    from text_to_num import text2num

    t = re.sub(r"[\s-]+", " ", text.lower()).strip()
    if t in ("dozen", "a dozen"):
        return 12.0
    if t.endswith(" dozen"):  # "two dozen electric buses"
        n = _word_value(t[:-6])
        return None if n is None else n * 12
    if t == "half a million":
        return 5e5
    if t == "half a billion":
        return 5e8
    t = re.sub(r"^a ", "one ", t)
    try:
        return float(text2num(t, "en"))
    except ValueError:
        return None


def _interval(value: float, qualifier: str) -> tuple[float, float]:
    if qualifier == "more":
        return value, math.inf
    if qualifier in ("less", "upto"):
        return 0.0, value
    if qualifier == "nearly":
        return value * (1 - APPROX), value
    if qualifier == "about":
        return value * (1 - APPROX), value * (1 + APPROX)
    return value, value


def find_quantities(text: str, tokens_after: int = 4, skip_spans: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """All counted quantities; spans listed in skip_spans (dates) are not quantities."""
    out = []
    # Clock times are when, not how many: "at 9:15 p.m." and "shortly after 9 p.m." agree.
    skip_spans = list(skip_spans or []) + [(c.start(), c.end()) for c in _CLOCK.finditer(text)]
    for m in _NUM.finditer(text):
        raw = m.group("num")
        if not raw or not re.search(r"\d|[a-z]", raw, re.I):
            continue
        if any(s <= m.start("num") < e for s, e in skip_spans):
            continue
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-/"):
            continue
        if raw[0].isdigit():
            value = float(raw.replace(",", ""))
        else:
            value = _word_value(raw)
            if value is None:
                continue
            if raw.lower() == "one" and not m.group("scale"):
                continue  # "one of them": a pronoun more often than a count
        scale = (m.group("scale") or "").lower()
        if scale:
            if scale in ("m", "k") and not m.group("cur"):
                # "5 m" is more often metres; only trust with a currency sign.
                scale = ""
            else:
                value *= _SCALES[scale]
        end = m.end()
        if not scale and m.group("scale"):
            end = m.end("num")
        qual = "exact"
        qm = _QUAL_RE.search(text[max(0, m.start() - 40):m.start()])
        start = m.start()
        if qm:
            qual = next(k for k, _ in _QUALIFIERS if qm.group(k))
            start = max(0, m.start() - 40) + qm.start("q")
        unit = "%" if m.group("pct") else (_CURRENCY_SIGNS.get(m.group("cur")[-1]) if m.group("cur") else None)
        half = None
        if unit is None and not m.group("pct"):
            um = _UNIT_RE.match(text, end)
            if um:
                word = re.sub(r"\s+", " ", um.group("unit").lower())
                if word in _CURRENCY_WORDS:
                    unit = _CURRENCY_WORDS[word]
                else:
                    dim, factor, offset = _UNITS[word]
                    if dim == "duration" and re.match(r"[\s-]*old\b", text[um.end():], re.I):
                        continue  # "a 16-year-old boy": an age, not how long anything took
                    if text[max(0, start - 6):start].lower().strip() in ("minus", "-"):
                        value = -value  # before converting: minus 4 °F is -20 °C, not -(4 °F in °C)
                    half = _AND_A_HALF.match(text[um.end():])
                    if half:  # "a year and a half": 1.5 years
                        value += 0.5
                    unit, value = dim, value * factor + offset
                end = um.end() + (half.end() if half else 0)
        noun, context = _counted_thing(text[end:], tokens_after, unit is not None)
        low, high = _interval(value, qual)
        q = Quantity(text=text[start:end].strip(), value=value, low=low, high=high, qualifier=qual,
                     unit=unit, noun=noun, context=context, start=start, end=end)
        if unit == "duration" and out and out[-1].unit == "duration" and re.fullmatch(r"[\s,]*(?:and\s+)?",
                                                                                     text[out[-1].end:start]):
            prev = out.pop()  # "2 hours, 16 minutes": one duration
            total = prev.value + value
            low, high = _interval(total, prev.qualifier)
            q = Quantity(text=text[prev.start:end], value=total, low=low, high=high, qualifier=prev.qualifier,
                         unit=unit, noun=noun, context=context, start=prev.start, end=end)
        out.append(q)
    out = _inherit_units(text, out)
    out.extend(_single_units(text, skip_spans, out))
    out.extend(_fractions(text, out))
    for c in _CLOCK_TIME.finditer(text):
        q = _clock(text, c)
        if q is not None:
            out.append(q)
    for c in _CLOCK24.finditer(text):
        if any(q.unit == "clock" and q.start <= c.start("h") < q.end for q in out):
            continue
        h, mi = int(c.group("h")), int(c.group("m"))
        if not (c.group("h").startswith("0") or 13 <= h <= 23):
            continue  # "at 8:40" may be morning or evening
        t = float(h * 60 + mi)
        out.append(Quantity(text=text[c.start("h"):c.end()], value=t, low=t, high=t, qualifier="exact", unit="clock",
                            noun=None, context=frozenset(), start=c.start("h"), end=c.end()))
    for c in _NOON.finditer(text):
        word, q = c.group("w").lower(), re.sub(r"\s+", " ", (c.group("q") or "").lower()).strip()
        t = 720.0 if word in ("noon", "midday") else (1440.0 if "before" in q else 0.0)
        lo, hi = (t - 45, t) if "before" in q else (t, t + 45) if "after" in q else (t, t)
        if re.search(r"around|about", c.group(), re.I):
            lo, hi = t - 30, t + 30
        out.append(Quantity(text=c.group().strip(), value=t, low=lo, high=hi, qualifier=q or "exact", unit="clock",
                            noun=None, context=frozenset(), start=c.start(), end=c.end()))
    for c in _HMS.finditer(text):
        # "2:24:05" is a running time (hours, minutes, seconds), never a clock time or a count.
        h, mi, se = (int(x) for x in c.groups())
        v = h * 3600 + mi * 60 + se
        out.append(Quantity(text=c.group(), value=v, low=v, high=v, qualifier="exact", unit="duration", noun=None,
                            context=frozenset(), start=c.start(), end=c.end()))
    return out


# Clock times are compared as times of day (minutes after midnight), never as counts: "9:15 p.m."
# agrees with "shortly after 9 p.m." and conflicts with "about 2:15 a.m.".
_CLOCK_TIME = re.compile(r"(?P<q>\b(?:at\s+)?(?:about|around|approximately|roughly|shortly\s+(?:after|before)|just\s+"
                         r"(?:after|before)|before|after|by|until|soon\s+after)\s+)?"
                         r"\b(?P<h>\d{1,2})(?:[:.](?P<m>[0-5]\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?", re.I)


# A 24-hour time after a preposition: "left at 06:40", "by 21:30" (a running time, "in 27:40", is not).
_CLOCK24 = re.compile(r"\b(?:at|by|until|till|before|after|from|around|about)\s+(?P<h>[0-2]?\d)[:.](?P<m>[0-5]\d)"
                      r"(?!\d|[:.]\d|\s*[ap]\.?\s?m\b)(?:\s*(?:h|hrs|GMT|UTC)\b)?", re.I)
# Noon and midnight are clock times: "came into force at midnight" / "took effect at noon".
_NOON = re.compile(r"\b(?:at\s+(?:around\s+|about\s+)?|(?P<q>(?:shortly|just|soon)\s+(?:after|before)\s+))"
                   r"(?P<w>noon|midday|midnight)\b", re.I)  # "by noon", "until midnight": a deadline, left out


def _clock(text: str, c) -> Quantity | None:
    h, mi = int(c.group("h")), int(c.group("m") or 0)
    if not 1 <= h <= 12:
        return None
    t = (h % 12 + (12 if c.group("ap").lower() == "p" else 0)) * 60 + mi
    q = re.sub(r"\s+", " ", (c.group("q") or "").lower().replace("at ", "")).strip()
    slack = 0 if c.group("m") else 30  # "9 p.m." is less exact than "9:15 p.m."
    lo, hi = t - slack, t + slack
    if q in ("about", "around", "approximately", "roughly"):
        lo, hi = t - 30, t + 30
    elif q in ("shortly after", "just after", "soon after"):
        lo, hi = t, t + 45
    elif q in ("shortly before", "just before"):
        lo, hi = t - 45, t
    elif q in ("after",):
        lo, hi = t, t + 240
    elif q in ("before", "by", "until"):
        lo, hi = t - 240, t
    start = c.start("q") if c.group("q") else c.start("h")
    return Quantity(text=text[start:c.end()].strip(), value=float(t), low=float(lo), high=float(hi),
                    qualifier=q or "exact", unit="clock", noun=None, context=frozenset(), start=start, end=c.end())


# Measures become one base unit per dimension (metres, kilograms, seconds, km/h, degrees Celsius)
# so "40 °C" = "104 °F" and "9 miles" != "9 km". Factors are exact definitions (checked against
# pint in the tests); pint itself costs ~2 s to import and build its registry, more than parsing.
_UNITS: dict[str, tuple[str, float, float]] = {}
for _names, _dim, _f, _o in [
    (("km", "kilometre", "kilometres", "kilometer", "kilometers"), "length", 1000.0, 0.0),
    (("metre", "metres", "meter", "meters"), "length", 1.0, 0.0),
    (("cm", "centimetre", "centimetres", "centimeter", "centimeters"), "length", 0.01, 0.0),
    (("mm", "millimetre", "millimetres", "millimeter", "millimeters"), "length", 0.001, 0.0),
    (("mile", "miles"), "length", 1609.344, 0.0),
    (("yard", "yards"), "length", 0.9144, 0.0),
    (("foot", "feet", "ft"), "length", 0.3048, 0.0),
    (("inch", "inches"), "length", 0.0254, 0.0),
    (("kg", "kilogram", "kilograms", "kilo", "kilos"), "mass", 1.0, 0.0),
    (("gram", "grams"), "mass", 0.001, 0.0),
    (("tonne", "tonnes", "metric ton", "metric tons"), "mass", 1000.0, 0.0),
    (("lb", "lbs"), "mass", 0.45359237, 0.0),
    (("km/h", "kph", "kmh", "kilometres per hour", "kilometers per hour"), "speed", 1.0, 0.0),
    (("mph", "miles per hour"), "speed", 1.609344, 0.0),
    (("knot", "knots"), "speed", 1.852, 0.0),
    (("°c", "° c", "degrees celsius", "degree celsius", "degrees c", "celsius", "degrees centigrade"), "temperature",
     1.0, 0.0),
    (("°f", "° f", "degrees fahrenheit", "degree fahrenheit", "degrees f", "fahrenheit"), "temperature", 5 / 9,
     -32 * 5 / 9),
    (("second", "seconds", "sec", "secs"), "duration", 1.0, 0.0),
    (("minute", "minutes", "min", "mins"), "duration", 60.0, 0.0),
    (("hour", "hours", "hr", "hrs"), "duration", 3600.0, 0.0),
    (("day", "days"), "duration", 86400.0, 0.0),
    (("week", "weeks"), "duration", 604800.0, 0.0),
    (("fortnight", "fortnights"), "duration", 1209600.0, 0.0),
    (("month", "months"), "duration", 2629746.0, 0.0),
    (("year", "years"), "duration", 31556952.0, 0.0),
    (("decade", "decades"), "duration", 315569520.0, 0.0),
    (("hectare", "hectares"), "area", 1e4, 0.0),
    (("acre", "acres"), "area", 4046.8564224, 0.0),
    (("square kilometres", "square kilometers", "sq km", "km2"), "area", 1e6, 0.0),
    (("square miles", "sq miles"), "area", 2589988.110336, 0.0),
    (("litre", "litres", "liter", "liters"), "volume", 0.001, 0.0),
    (("gallon", "gallons"), "volume", 0.00378541, 0.0),
    (("barrel", "barrels"), "volume", 0.158987294928, 0.0),
]:
    for _n in _names:
        _UNITS[_n] = (_dim, _f, _o)
_CURRENCY_SIGNS = {"$": "$", "€": "€", "£": "£", "¥": "¥", "₹": "₹", "₩": "₩", "₽": "₽"}
_CURRENCY_WORDS = {"dollar": "$", "dollars": "$", "us dollars": "$", "euro": "€", "euros": "€",
                   "pound": "£", "pounds": "£", "pounds sterling": "£", "sterling": "£",
                   "swiss francs": "CHF", "francs": "CHF", "franc": "CHF", "yen": "¥", "won": "₩", "yuan": "CN¥",
                   "renminbi": "CN¥", "rupees": "₹", "rupee": "₹", "roubles": "₽", "rubles": "₽", "pesos": "PESO",
                   "kronor": "SEK", "krona": "SEK", "kroner": "NOK", "zloty": "PLN", "lira": "TRY", "rand": "ZAR"}
_UNIT_RE = re.compile(r"\s?-?\s?(?P<unit>" + "|".join(sorted((re.escape(u).replace("\\ ", "\\s+")
                                                               for u in list(_UNITS) + list(_CURRENCY_WORDS)),
                                                              key=len, reverse=True)) + r")(?![A-Za-z])", re.I)
_HMS = re.compile(r"(?<![\d:])(\d{1,2}):([0-5]\d):([0-5]\d)(?![\d:])")


# Time and cause phrases say when or why, not what is counted.
_CONTEXT_STOP = {"since", "after", "before", "during", "until", "when", "as", "because", "following", "amid",
                 "despite", "while", "over", "last", "this", "next", "according", "and", "or", "but"}
_DIRECTION_WORDS = {"higher", "lower", "up", "down", "more", "less", "fewer", "rise", "increase", "drop", "fall",
                    "gain", "loss", "jump", "cut"}
# Adjectives before a counted noun: "six mayoral candidates", "three regional airports".
_ADJECTIVE = re.compile(r"(?:al|ic|ian|ese|ish|ary|ous|ive|ful|less|ern)$")
_AUX = {"have", "has", "had", "are", "were", "was", "is", "be", "been", "to", "will", "would", "who", "that"}


def _counted_thing(after: str, width: int, measured: bool = False) -> tuple[str | None, frozenset[str]]:
    """The counted noun and the nouns that describe it. Verbs are left out ("refugees have fled"
    and "refugees have left" count the same people); objects stay ("without electricity")."""
    words = re.findall(r"[A-Za-z][A-Za-z\-]*|[,.;:!?]", after[:120])
    noun = None
    context: set[str] = set()
    prev = prev_raw = last = ""
    modifier = adjacent = False
    for w in words[:width + 4]:
        if not w[0].isalpha():
            break
        low = w.lower()
        last, prev_raw = prev_raw, low
        if low in _CONTEXT_STOP and noun is not None:
            break
        if noun is None and low in _DIRECTION_WORDS:
            continue  # "3.5% lower", "35 percent higher": which way, not what
        if noun is None and low in _TIME_NOUNS:
            break  # "1.2 percent year on year", "120 million a year earlier": when, not what
        verbish = prev in _AUX or low.endswith(("ing", "ed"))
        prev = low
        if low in STOPWORDS and low not in {"without"}:
            adjacent = False
            if noun is None and low not in {"of", "more", "such", "other", "new"} and not (
                    last == "of" and low in ("the", "its", "their", "his", "her")):
                break
            continue
        if noun is not None and verbish:
            adjacent = False
            continue
        lem = base_lemma(lemmas_of(low))
        if noun is None and verbish and measured:
            break  # "a pay rise of 5 percent backdated to April": a measure is not of 'backdated'
        if noun is None:
            noun = lem
            modifier = w[0].isupper() or _ADJECTIVE.search(low) is not None
            adjacent = True
            continue
        elif modifier and adjacent and w[0].islower() and not context:
            # "six mayoral candidates", "five Drava factories": the head noun is counted, the
            # modifier before it describes it
            context.add(noun)
            noun, modifier = lem, False
        else:
            context.add(lem)
        adjacent = False
        if len(context) >= width:
            break
    return noun, frozenset(context)


# "fell to 88 million francs from 120 million", "rose to 5% from 4": the second figure of a
# from/to pair is the same kind of amount as the first, whose unit it leaves out.
_PAIR_GAP = re.compile(r"^[\s,]*(?:(?:up|down)\s+)?(?:from|to|against|versus|vs\.?|compared\s+(?:with|to))\s+"
                       r"(?:(?:a|an|the)\s+)?$", re.I)


def _inherit_units(text: str, qs: list[Quantity]) -> list[Quantity]:
    out: list[Quantity] = []
    for q in qs:
        prev = out[-1] if out else None
        if prev is not None and q.unit is None and prev.unit is not None and prev.unit != "clock" \
                and _PAIR_GAP.match(text[prev.end:q.start]) and (q.noun is None or q.noun in _TIME_NOUNS):
            q = Quantity(text=q.text, value=q.value, low=q.low, high=q.high, qualifier=q.qualifier, unit=prev.unit,
                         noun=prev.noun, context=prev.context, start=q.start, end=q.end)
        out.append(q)
    return out


# "less than a day", "almost a year", "a full week": one unit of time, said without a number.
_ONE_UNIT = re.compile(r"(?<![\w-])(?P<a>a|an|one)\s+(?:full\s+|whole\s+|single\s+)?"
                       r"(?P<u>second|minute|hour|day|week|fortnight|month|year|decade)(?![\w-])", re.I)
_WHEN_AFTER = re.compile(r"\s+(?:ago|earlier|later|before|after|on|in\s+advance|from|old)\b", re.I)
_RATE_BEFORE = re.compile(r"(?:once|twice|times|per|every|each|than\s+once)\s*$", re.I)


def _single_units(text: str, skip_spans, taken: list[Quantity]) -> list[Quantity]:
    out = []
    for m in _ONE_UNIT.finditer(text):
        if any(q.start <= m.start() < q.end for q in taken) or any(s <= m.start() < e for s, e in skip_spans):
            continue
        if _RATE_BEFORE.search(text[max(0, m.start() - 15):m.start()]):
            continue
        dim, factor, _ = _UNITS[m.group("u").lower()]
        qual, start = "exact", m.start()
        qm = _QUAL_RE.search(text[max(0, m.start() - 40):m.start()])
        if qm:
            qual = next(k for k, _ in _QUALIFIERS if qm.group(k))
            start = max(0, m.start() - 40) + qm.start("q")
        elif _WHEN_AFTER.match(text, m.end()):
            continue  # "a year ago", "a day after the vote": when, not how long
        elif m.group("a").lower() != "one" and not re.search(r"(?:for|in|within|after|last|lasted|last\s+for)\s*$",
                                                             text[max(0, m.start() - 12):m.start()], re.I):
            continue  # "a day of talks": not a length of time unless a preposition or hedge says so
        end = m.end()
        half = _AND_A_HALF.match(text[end:])
        if half:  # "a year and a half"
            factor, end = factor * 1.5, end + half.end()
        low, high = _interval(factor, qual)
        out.append(Quantity(text=text[start:end], value=factor, low=low, high=high, qualifier=qual, unit=dim,
                            noun=None, context=frozenset(), start=start, end=end))
    return out


# "nearly half of respondents", "by about a fifth": shares said as fractions are percentages.
_FRACTIONS = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "fifth": 20.0, "tenth": 10.0,
              "three-quarters": 75.0, "three quarters": 75.0, "two-thirds": 200 / 3, "two thirds": 200 / 3}
_FRACTION = re.compile(r"(?<![\w-])(?:(?:a|one)\s+)?(?P<f>three[-\s]quarters|two[-\s]thirds|half|third|quarter|fifth|"
                       r"tenth)(?![\w-])(?=\s+of\b)", re.I)
_FRACTION_BY = re.compile(r"(?<![\w-])(?:by|to)\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+|some\s+)?"
                          r"(?P<q>(?:a|one)\s+)?(?P<f>three[-\s]quarters|two[-\s]thirds|half|third|quarter|fifth|tenth)"
                          r"(?![\w-])", re.I)


def _fractions(text: str, taken: list[Quantity]) -> list[Quantity]:
    out = []
    seen = set()
    for pat in (_FRACTION, _FRACTION_BY):
        for m in pat.finditer(text):
            f = m.group("f")
            if f.lower() == "half" or m.group(0).lower().startswith(("a ", "one ")) or pat is _FRACTION_BY \
                    or "-" in f or " " in f:
                pass
            else:
                continue  # "third of the", "quarter of": ordinals and periods, not shares
            s = m.start("f") if pat is _FRACTION_BY and not m.group("q") else m.start()
            if pat is _FRACTION_BY and m.group("q"):
                s = m.start("q")
            if pat is _FRACTION and m.start() > 0 and re.search(r"(?:first|second|final|last|latter|former)\s+$",
                                                                 text[max(0, m.start() - 10):m.start()], re.I):
                continue  # "the second half of the year"
            if any(q.start <= s < q.end for q in taken) or s in seen:
                continue
            seen.add(s)
            value = _FRACTIONS[re.sub(r"\s+", " ", f.lower())]
            qual, start = "exact", s
            qm = _QUAL_RE.search(text[max(0, s - 40):s])
            if qm:
                qual = next(k for k, _ in _QUALIFIERS if qm.group(k))
                start = max(0, s - 40) + qm.start("q")
            noun, context = _counted_thing(text[m.end():], 4)
            low, high = _interval(value, qual)
            out.append(Quantity(text=text[start:m.end()], value=value, low=low, high=high, qualifier=qual, unit="%",
                                noun=noun, context=context, start=start, end=m.end()))
    return out


_TIME_NOUNS = frozenset({"year", "month", "week", "quarter", "day", "period", "season", "earlier", "ago"})
