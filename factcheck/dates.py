"""Dates in claims: explicit calendar dates, years and weekdays, with the parts each one states.

Only what the text states is kept (a weekday is not turned into a calendar date), so two mentions
are compared on the parts they both state.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_MONTH_NAMES = "january february march april may june july august september october november december".split()
MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
# Full names only ("Jan" and "Sun" are also names of people and papers): words that are never the
# name of a subject, a place or a thing.
CALENDAR_WORDS = frozenset(_MONTH_NAMES) | frozenset(WEEKDAYS)

_MONTH_ALT = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
_MON = r"(?P<mon>" + _MONTH_ALT + r")\.?"
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_DAY_END = r"(?P<day_end>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_TO = r"\s*(?:[–—-]|\s(?:to|through|until|till)\s)\s*"
# A span of days in one month ("August 9 to 11", "9-11 July", "between 9 and 11 July"): one
# stated period, not two bounds, so it is compared by its month and year (and its days). A
# second month after it ("9 August to 11 September") is a longer period, left to the bounds.
_RANGES = [
    re.compile(r"\b" + _MON + r"\s+" + _DAY + _TO + _DAY_END + r"\b(?!\s*(?:" + _MONTH_ALT + r")\b)"
               + r"(?:,?\s+" + _YEAR + r")?\b"),
    re.compile(r"\b(?:(?<=between\s)" + _DAY + r"\s+and\s+|" + _DAY.replace("day>", "day2>") + _TO + r")"
               + _DAY_END + r"\s+" + _MON + r"(?:,?\s+" + _YEAR + r")?\b"),
]
_PATTERNS = [
    *_RANGES,
    re.compile(r"\b(?P<iso>(?P<year>1[89]\d\d|20\d\d)-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01]))\b"),
    re.compile(r"\b" + _MON + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?\b"),
    re.compile(r"\b" + _DAY + r"\s+" + _MON + r"(?:,?\s+" + _YEAR + r")?\b"),
    re.compile(r"\b(?:in|since|until|till|by|of|from|during|before|after|for|to|through|early|late|mid-?)\s+"
               + _MON + r"(?:\s+" + _YEAR + r")?\b"),
    re.compile(r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
    re.compile(r"(?:\b(?:in|since|until|by|of|from|during|before|after|year)\s+|’|')" + _YEAR + r"\b"),
    re.compile(r"\b" + _YEAR + r"\b(?!\s*(?:%|percent|people|troops|[a-z]+s\b))"),
]


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    day_end: int | None = None  # a span of days: day .. day_end
    relative: bool = False  # "after 1999", "between 1998 and 2002", "c. 1962": a bound, not a date

    def conflicts(self, other: "DateMention") -> list[str]:
        """The parts both mentions state and disagree on (empty: compatible)."""
        diff = []
        for part in ("year", "month", "weekday"):
            a, b = getattr(self, part), getattr(other, part)
            if a is not None and b is not None and a != b:
                diff.append(part)
        if self.day is not None and other.day is not None and not _days_agree(self, other):
            diff.append("day")
        # A weekday against a month-day pair cannot be compared without a year; parts are independent.
        return diff

    def shares_granularity(self, other: "DateMention") -> bool:
        if self.relative or other.relative:
            return False
        return any(getattr(self, p) is not None and getattr(other, p) is not None
                   for p in ("year", "month", "day", "weekday"))


def _days_agree(a: DateMention, b: DateMention) -> bool:
    """Two spans state the same days; a single day agrees with a span that holds it."""
    if (a.day_end is None) == (b.day_end is None):
        return (a.day, a.day_end) == (b.day, b.day_end)
    span, day = (a, b) if a.day_end is not None else (b, a)
    return span.day <= day.day <= span.day_end


_BOUND_BEFORE = re.compile(r"(?:\b(?:after|before|since|until|till|by|between|through|up\s+to|from|to|and|"
                          r"circa|c\.|ca\.|earlier\s+than|later\s+than|no\s+later\s+than)|[–—-])\s*$", re.I)
_BOUND_AFTER = re.compile(r"^\s*(?:[–—-]|to\b|and\b|onwards|or\s+(?:later|earlier|before|after))", re.I)


def _is_relative(text: str, start: int, end: int) -> bool:
    before = _BOUND_BEFORE.search(text[max(0, start - 20):start])
    if before and before.group(0).strip().lower() == "to" and not re.search(
            r"(?:\bfrom\b|\bbetween\b|\d|" + _MON + r")\W*\w*\W*to\s*$", text[max(0, start - 40):start], re.I):
        before = None  # "moved the launch to August": a date, not the end of a range
    if before and before.group(0).strip().lower() == "and" and not re.search(
            r"\bbetween\b", text[max(0, start - 40):start], re.I):
        before = None  # "born 1983 and died 1953": two dates, not the end of a range
    after = _BOUND_AFTER.match(text[end:end + 15])
    if after and after.group(0).strip().lower() == "and" and not re.search(
            r"\bbetween\s+\S*\s*$", text[max(0, start - 30):start], re.I):
        after = None
    # "the 2010s", "the 1900's": a decade; "the 2000 Olympics", "the 2014 season": a year naming
    # another event, not the date of this one
    if (text[end - 1:end].isdigit() and re.match(r"'?s\b", text[end:end + 3])) or (re.search(r"\bthe\s+$", text[max(0, start - 5):start], re.I)
                                                 and re.match(r"\s+[A-Za-z]", text[end:end + 3])):
        return True
    return bool(before or after)


def find_dates(text: str) -> list[DateMention]:
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pat in _PATTERNS:
        for m in pat.finditer(text):
            gd = m.groupdict()
            if gd.get("day2"):
                gd["day"] = gd["day2"]
            s, e = m.span()
            if gd.get("mon") and not gd.get("day") and not gd.get("iso"):
                s = m.start("mon")
            if gd.get("year") and not gd.get("mon") and not gd.get("iso"):
                s = m.start("year")
            if any(a < e and s < b for a, b in taken):
                continue
            if gd.get("mon") == "May" and not gd.get("day") and not gd.get("year") and m.group(0)[:1] == "M":
                continue  # the modal verb
            month = None
            if gd.get("mon"):
                month = int(gd["mon"]) if gd["mon"].isdigit() else MONTHS[gd["mon"].lower().rstrip(".")]
            span = bool(gd.get("day_end"))
            if span and int(gd["day_end"]) <= int(gd["day"]):
                continue  # "May 3 - 1 ..." is no span of days
            found.append(DateMention(
                text=text[s:e], start=s, end=e, relative=False if span else _is_relative(text, s, e),
                day_end=int(gd["day_end"]) if span else None,
                year=int(gd["year"]) if gd.get("year") else None,
                month=month,
                day=int(gd["day"]) if gd.get("day") else None,
                weekday=WEEKDAYS[gd["wd"].lower()] if gd.get("wd") else None,
            ))
            taken.append((s, e))
    return sorted(found, key=lambda d: d.start)
