"""Who said it: split 'X said that Y' into speaker X and content Y.

Regular expressions cover the attribution shapes of wire copy: leading ("X said ..."), trailing
("..., X said."), inverted ("..., said X."), "according to X", "X told reporters". Pronoun speakers
are resolved by the caller to the last named speaker.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_VERBS = (r"(?:said|says|say|told\s+(?:reporters|journalists|the\s+\w+|\w+)|tells\s+(?:reporters|journalists|\w+)"
          r"|added|adds|noted|warned|stated|announced|claimed|insisted|wrote|tweeted|reported|argued"
          r"|confirmed|explained|estimated)")
_SPEAKER = r"(?P<sp>(?:[A-Z][\w’'.\-]*|the|a|an)(?:[ ](?!said\b|says\b|told\b|tells\b)[\w’'.\-]+){0,9}?|[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I)"
_TAIL = r"(?P<tail>(?:\s+(?:on|in|at|via|from|to|during|after|before|late|earlier|through|without|by)\b[^.!?]*)?)"
_CLOSE_Q = r"[”\"]"

_SEP = r"(?:[,!?]" + _CLOSE_Q + r"?|" + _CLOSE_Q + r")\s+"
_EXTRA = r"(?:,?\s+adding\s+that\s+(?P<extra>[^.!?]+?))?"
_TRAILING = re.compile(r"^(?P<content>.+?[^\s,])" + _SEP + _SPEAKER + r"\s+" + _VERBS
                       + r"(?P<tail>(?:\s+[A-Z]\w*)?(?:\s+(?:radio|television|TV|news|in|on|at|via|from|to|during|after|before|late|earlier|through|without|by)\b[^.!?“”\",]*)?)(?:,(?!\s*adding\b)[^.!?]*)?" + _EXTRA + r"\s*[.!?]?$", re.S)
_ACCORDING_TRAIL = re.compile(r"^(?P<content>.+?[^\s,]),\s+according\s+to\s+(?P<sp>[^,.]{3,100})(?:,[^.]*)?\s*[.!?]?$", re.S)
_INVERTED = re.compile(r"^(?P<content>.+?[^\s,])" + _SEP + r"(?:said|says|according\s+to)\s+"
                       r"(?P<sp>[^,.!?]{3,120}?)" + r"\s*[.!?]?$", re.S)
_ACCORDING_LEAD = re.compile(r"^According\s+to\s+(?P<sp>[^,]{3,100}),\s*(?P<content>.+)$", re.S)
_LEADING = re.compile(r"^(?P<adv>(?:[A-Z][^,]{0,40},\s+))?" + _SPEAKER + r"(?:,\s+[^,]{3,60},)?\s+" + _VERBS
                      + r"(?:,\s+(?:though|however|also),)?"
                      + r"(?:\s+(?:on|in|at|late|earlier)\s+[A-Z]?\w+(?:\s+\w+)?)?,?\s+(?:that\s+)?(?P<content>.+)$", re.S)

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})


@dataclass(frozen=True)
class Attribution:
    speaker: str | None
    content_start: int  # relative to the sentence
    content_end: int
    extra: tuple[int, int] | None = None  # ", adding that ..." : a second statement by the same speaker


def attribute(sentence: str) -> Attribution:
    n = len(sentence)
    for pat in (_ACCORDING_LEAD, _ACCORDING_TRAIL, _TRAILING, _INVERTED):
        m = pat.match(sentence)
        if m and _plausible(m.group("sp"), m.group("content"), 4 if pat is not _ACCORDING_LEAD else 3):
            s, e = _strip_quotes(sentence, m.start("content"), m.end("content"))
            extra = None
            if "extra" in m.groupdict() and m.group("extra"):
                extra = _strip_quotes(sentence, m.start("extra"), m.end("extra"))
            return Attribution(_clean(m.group("sp")), s, e, extra)
    m = _LEADING.match(sentence)
    if m and _plausible(m.group("sp"), m.group("content")):
        s, e = _strip_quotes(sentence, m.start("content"), n)
        return Attribution(_clean(m.group("sp")), s, e)
    s, e = _strip_quotes(sentence, 0, n)
    return Attribution(None, s, e)


def _plausible(speaker: str, content: str, min_content_words: int = 3) -> bool:
    words = speaker.split()
    if not words or len(words) > 10 or len(content.split()) < min_content_words:
        return False
    low = speaker.lower()
    if words[0].lower() in {"the", "a", "an"} and len(words) == 1:
        return False
    # A speaker is a name, a title or an institution, not a clause with a verb in it.
    return not re.search(r"\b(is|are|was|were|has|have|had|will|would|that|which)\b", low)


def _strip_quotes(sentence: str, s: int, e: int) -> tuple[int, int]:
    while s < e and sentence[s] in " “\"‘'":
        s += 1
    while e > s and sentence[e - 1] in " ”\"’',":
        e -= 1
    return s, e


def _clean(speaker: str) -> str:
    speaker = re.sub(r"\s+", " ", speaker).strip(" ,.")
    return re.sub(r"(?:\s+(?:also|again|later|earlier|then|now|still))+$", "", speaker)
