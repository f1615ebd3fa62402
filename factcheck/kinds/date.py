from __future__ import annotations

from ..claims import Claim
from .base import Evidence, Match, RuleKind, register, shared_content
from ..dates import CALENDAR_WORDS as _DATE_WORDS
from ..lexicon import base_lemma


@register
class DateMismatch(RuleKind):
    """The same event placed on dates that disagree in a part both claims state.

    Parts are compared only when both claims state them: "March 31" vs "March 30" conflicts,
    "March 31" vs "2022" does not.
    """

    name = "date"
    summary = "the same event on incompatible dates"
    default_min_similarity = 0.6
    schema = {
        "min_shared": {"type": "integer", "minimum": 1, "default": 2,
                       "description": "Content lemmas (besides the dates) both claims must share: the same event."},
        "parts": {"type": "array", "items": {"enum": ["year", "month", "day", "weekday"]},
                  "description": "Which date parts are compared (default all)."},
    }
    template = """\
  - id: my-date-rule
    kind: date
    description: The same event reported on different dates.
    severity: warning
    min_shared: 2
    examples:
      fire:
        - ["Russia annexed Crimea in 2014.", "Russia annexed Crimea in 2015."]
      quiet:
        - ["Russia annexed Crimea in 2014.", "Russia annexed Crimea in March 2014."]
"""

    def __init__(self, params):
        super().__init__(params)
        self.min_shared = params.get("min_shared", 2)
        self.parts = set(params.get("parts", ("year", "month", "day", "weekday")))

    def gate(self, claim: Claim) -> bool:
        return bool(claim.dates)

    def _near(self, terse: Claim, other: Claim, mention) -> bool:
        """Is this date about the same event? The words around it (not just anywhere in a long
        claim) must share content with the terser claim."""
        if len(other.tokens) <= 25:
            return True
        window = {base_lemma(t.lemmas) for t in other.tokens
                  if t.content and abs(t.start - mention.start) <= 80}
        mine = {base_lemma(t.lemmas) for t in terse.tokens if t.content}
        return len((window & mine) - _DATE_WORDS) >= self.min_shared

    def check(self, a: Claim, b: Claim) -> Match | None:
        if not a.dates or not b.dates:
            return None
        if len(shared_content(a, b, _DATE_WORDS)) < self.min_shared:
            return None
        # Look from the claim stating fewer dates: each of its dates must match some comparable
        # date on the other side ("reigned 1900-1946" vs "1869-1947, king 1900-1946" agree).
        sides = [(a, b, "a", "b"), (b, a, "b", "a")]
        if len(a.dates) != len(b.dates):
            sides = sides[:1] if len(a.dates) < len(b.dates) else sides[1:]
        for terse, other, ts, os_ in sides:
            for d in terse.dates:
                comparable = [o for o in other.dates if d.shares_granularity(o) and self._near(terse, other, o)]
                clashes = [o for o in comparable if [p for p in d.conflicts(o) if p in self.parts]]
                if comparable and clashes and len(clashes) < len(comparable):
                    comparable = clashes = _same_event_only(terse, d, other, comparable, clashes)
                if comparable and len(clashes) == len(comparable):
                    o = clashes[0]
                    diff = [p for p in d.conflicts(o) if p in self.parts]
                    ev = {ts: Evidence(ts, d.text, d.start, d.end), os_: Evidence(os_, o.text, o.start, o.end)}
                    return Match(f"'{ev['a'].text}' vs '{ev['b'].text}': the {' and '.join(diff)} "
                                 f"{'differs' if len(diff) == 1 else 'differ'}", [ev["a"], ev["b"]], 0.8)
        return None


def _anchor(claim: Claim, mention) -> str | None:
    """The verb (or noun) the parse hangs this date on ('died July 20, 1970' -> die), if any."""
    for t in claim.frame.times:
        if t.start <= mention.start < t.end or mention.start <= t.start < mention.end:
            return t.roles[0] if t.roles else None
    return None


def _same_event_only(terse: Claim, d, other: Claim, comparable: list, clashes: list) -> list:
    """A claim with several dates dates several events ('born September 29, 1904 ...; died July
    20, 1970'): the terser claim's date is compared with the dates of its own event only, when
    the parse ties it to a verb that dates on the other side hang on too. Returns the clashing
    dates when every comparable date of that event clashes, else none."""
    if len(other.dates) < 2:
        return []
    verb = _anchor(terse, d)
    if verb is None:
        return []
    mine = [o for o in comparable if _anchor(other, o) == verb]
    if not mine or any(o not in clashes for o in mine):
        return []
    return mine
