"""Numbers in claims, as value intervals with the thing they count.

"more than 4 million refugees" -> [4e6, inf) refugees. Intervals make qualifier logic simple:
two statements about the same thing conflict only when their intervals cannot overlap.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .lexicon import STOPWORDS, lemmas_of

_WORDNUM = (r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
            r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred"
            r"|a\s+hundred|a\s+thousand|a\s+million|dozen|a\s+dozen|half\s+a\s+million)")
_SCALE = r"(?:hundred|thousand|million|billion|trillion|bn|mn|m|k)"
_NUM = re.compile(
    r"(?:(?P<cur>[$€£])\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|" + _WORDNUM + r"(?:[\s-]+" + _WORDNUM + r")*)"
    r"(?:\s?(?P<scale>" + _SCALE + r")\b)?"
    r"(?:\s?(?P<pct>%|percent|per\s+cent|percentage\s+points?))?",
    re.I,
)
_SCALES = {"hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6,
           "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_QUALIFIERS = [
    ("more", r"(?:more|greater|higher)\s+than|over|above|exceeding|upwards\s+of|in\s+excess\s+of|at\s+least|no\s+fewer\s+than|no\s+less\s+than"),
    ("less", r"(?:less|fewer|lower)\s+than|under|below|at\s+most|up\s+to|no\s+more\s+than"),
    ("nearly", r"nearly|almost|close\s+to|just\s+under|approaching"),
    ("about", r"about|around|roughly|some|approximately|an\s+estimated|estimated|circa|c\.|more\s+or\s+less|~"),
]
_QUAL_RE = re.compile(r"(?:^|\s)(?P<q>" + "|".join(f"(?P<{k}>{v})" for k, v in _QUALIFIERS) + r")\s*$", re.I)
APPROX = 0.15
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?\s?m\b\.?|h\b|GMT|UTC)?|\b\d{1,2}\s*[ap]\.?m\b\.?"
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
        lo = max(self.low, other.low)
        hi = min(self.high, other.high)
        return lo <= hi * (1 + slack) + 1e-9


def _word_value(text: str) -> float | None:
    from text_to_num import text2num

    t = re.sub(r"[\s-]+", " ", text.lower()).strip()
    if t in ("dozen", "a dozen"):
        return 12.0
    if t == "half a million":
        return 5e5
    t = re.sub(r"^a ", "one ", t)
    try:
        return float(text2num(t, "en"))
    except ValueError:
        return None


def _interval(value: float, qualifier: str) -> tuple[float, float]:
    if qualifier == "more":
        return value, math.inf
    if qualifier == "less":
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
        unit = "%" if m.group("pct") else (m.group("cur") or None)
        noun, context = _counted_thing(text[end:], tokens_after)
        low, high = _interval(value, qual)
        out.append(Quantity(text=text[start:end].strip(), value=value, low=low, high=high, qualifier=qual,
                            unit=unit, noun=noun, context=context, start=start, end=end))
    return out


# Time and cause phrases say when or why, not what is counted.
_CONTEXT_STOP = {"since", "after", "before", "during", "until", "when", "as", "because", "following", "amid",
                 "despite", "while", "over", "last", "this", "next", "according", "and", "or", "but"}
_AUX = {"have", "has", "had", "are", "were", "was", "is", "be", "been", "to", "will", "would", "who", "that"}


def _counted_thing(after: str, width: int) -> tuple[str | None, frozenset[str]]:
    """The counted noun and the nouns that describe it. Verbs are left out ("refugees have fled"
    and "refugees have left" count the same people); objects stay ("without electricity")."""
    words = re.findall(r"[A-Za-z][A-Za-z\-]*|[,.;:!?]", after[:120])
    noun = None
    context: set[str] = set()
    prev = ""
    for w in words[:width + 4]:
        if not w[0].isalpha():
            break
        low = w.lower()
        if low in _CONTEXT_STOP and noun is not None:
            break
        verbish = prev in _AUX or low.endswith(("ing", "ed"))
        prev = low
        if low in STOPWORDS and low not in {"without"}:
            if noun is None and low not in {"of", "more", "such", "other", "new"}:
                break
            continue
        if noun is not None and verbish:
            continue
        lem = min(lemmas_of(low), key=len)
        if noun is None:
            noun = lem
        else:
            context.add(lem)
        if len(context) >= width:
            break
    return noun, frozenset(context)
