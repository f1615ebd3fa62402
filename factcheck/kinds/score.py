"""Score mismatch: one match or one vote told with two results ('beat Tannock 3-1' / 'edged
Tannock 3-2', 'the court ruled 5-4' / 'by six votes to three')."""
from __future__ import annotations

import re

from ..claims import Claim
from .base import Evidence, Match, RuleKind, register, shared_content

# "3-1", "3–1", "2 - 0", "by 58 votes to 41": two small tallies. Not years ("2022-23"), spans
# of a unit ("3-4 metres", "5-10 years"), nor tallies inside longer numbers.
_SCORE = re.compile(r"(?<![\d.,:/-])(?P<x>\d{1,3})\s?[-–—]\s?(?P<y>\d{1,3})(?![\d,:/-]|\.\d)(?!\s*(?:%|percent|per\s|"
                    r"metres|meters|km|miles|kg|years?|months?|weeks?|days?|hours?|minutes?|seasons?|times|"
                    r"million|billion|thousand|am|pm|a\.m|p\.m))", re.I)
_VOTES = re.compile(r"\bby\s+(?P<x>\d{1,3})\s+votes?\s+to\s+(?P<y>\d{1,3})\b", re.I)
# Words any two reports of a result share; the same contest needs shared words besides these.
_SCORE_WORDS = frozenset({"win", "beat", "lose", "draw", "score", "victory", "defeat", "game", "match", "final",
                          "vote", "goal", "point"})


# A score at a stage of the game is not its result: 'were 1-0 up at half-time' / 'went on to
# lose 2-1' (dev3 nd3-214).
_INTERIM = re.compile(r"half[- ]?time|at\s+the\s+(?:break|interval)|first\s+half|\b(?:led|leading|trailed|trailing|"
                      r"ahead|behind|up|down)\b|with\s+\w+\s+minutes|after\s+\w+\s+minutes|went\s+on|"
                      r"first\s+leg", re.I)


def _interim(text: str, start: int, end: int) -> bool:
    return bool(_INTERIM.search(text[max(0, start - 20):start]) or _INTERIM.search(text[end:end + 25]))


def scores(claim: Claim) -> list[tuple[int, int, int, int]]:
    """Each score as (low, high, start, end): compared unordered, since 'beat X 3-1' and 'lost
    1-3 to Y' tell one result."""
    def find() -> list[tuple[int, int, int, int]]:
        out = []
        for pat in (_VOTES, _SCORE):
            for m in pat.finditer(claim.text):
                if any(s <= m.start() < e for _, _, s, e in out):
                    continue
                x, y = int(m.group("x")), int(m.group("y"))
                out.append((min(x, y), max(x, y), m.start(), m.end()))
        return out
    return claim.memo("scores", find)


@register
class ScoreMismatch(RuleKind):
    """The same contest with two different results.

    Every score of the terser claim must clash with every score of the other: 'led 2-0 at the
    break and won 3-1' holds both halves of a story told as '3-1'."""

    name = "score"
    summary = "the same contest or vote with different results"
    default_min_similarity = 0.6
    schema = {
        "min_shared": {"type": "integer", "minimum": 1, "default": 2,
                       "description": "Content lemmas (besides the scores) both claims must share: the same contest."},
    }
    template = """\
  - id: my-score-rule
    kind: score
    description: One match told with two results.
    severity: warning
    examples:
      fire:
        - ["Kelso Rangers beat Tannock 3-1 on Saturday.", "Kelso Rangers edged Tannock 3-2 on Saturday."]
      quiet:
        - ["Kelso Rangers beat Tannock 3-1 on Saturday.", "Kelso Rangers won 3-1 against Tannock."]
"""

    def __init__(self, params):
        super().__init__(params)
        self.min_shared = params.get("min_shared", 2)

    def gate(self, claim: Claim) -> bool:
        return bool(scores(claim))

    def check(self, a: Claim, b: Claim) -> Match | None:
        sa, sb = scores(a), scores(b)
        if not sa or not sb or len(shared_content(a, b, _SCORE_WORDS)) < self.min_shared:
            return None
        if any((x[0], x[1]) == (y[0], y[1]) for x in sa for y in sb):
            return None  # one result both tell; the other score is another part of the story
        sa = [x for x in sa if not _interim(a.text, x[2], x[3])]
        sb = [y for y in sb if not _interim(b.text, y[2], y[3])]
        if len(sa) != 1 or len(sb) != 1:
            return None  # several results on a side: half-time and full time, two legs
        (_, _, s1, e1), (_, _, s2, e2) = sa[0], sb[0]
        ta, tb = a.text[s1:e1], b.text[s2:e2]
        return Match(f"result: '{ta}' vs '{tb}'", [Evidence("a", ta, s1, e1), Evidence("b", tb, s2, e2)], 0.8)
