"""Who a named person works, plays or stands for, read from the words around the name.

News ties a person to an organisation in a handful of fixed shapes ("Lena Holt, a spokeswoman for
Transvia", "Fiona Carrow of Tessaly Capital", "Kaito Brandt, a Vireo Aviation engineer", "Team
Velocita's Mette Lund", "Jonas Rehberg, who plays for Kestrel City"). The small parser tags few
invented names, so the shapes are read from capitals and linking words, not from entity labels.
Pure functions of a text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_PERSON = r"(?P<person>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+)"
_ORG = r"(?P<org>[A-Z][\w&'.-]*(?:\s+(?:of\s+|for\s+|and\s+|the\s+)*[A-Z][\w&.-]*)*)"
_DESC = r"(?:[a-z][\w-]*\s+){0,3}"
_LINK = r"(?:at|for|of|with|from)"
_ACTING = r"(?:speaking|playing|standing|working|writing|reporting|running)"
_WORKS = r"(?:works|worked|plays|played|writes|wrote|reports|reported|stands|stood|runs|ran|serves|served)"
_PARTY = r"(?P<org>Democrat|Republican|Independent|Labour|Conservative|Liberal|Socialist)"
SHAPES = (
    re.compile(_PERSON + r",\s+(?:a|an|the)\s+" + _DESC + _LINK + r"\s+(?:the\s+)?" + _DESC + _ORG),
    re.compile(_PERSON + r"\s+of\s+(?:the\s+)?" + _ORG),
    re.compile(_PERSON + r",\s+who\s+" + _WORKS + r"\s+for\s+(?:the\s+)?" + _DESC + _ORG),
    re.compile(_PERSON + r",\s+" + _ACTING + r"\s+for\s+(?:the\s+)?" + _DESC + _ORG),
    re.compile(_PERSON + r",\s+(?:a|an|the)\s+" + _ORG + r"\s+[a-z]+"),
    re.compile(_ORG + r"['’]s\s+" + _PERSON),
    re.compile(r"\b" + _PARTY + r"\s+(?:[a-z]+\s+)?" + _PERSON),
    re.compile(r"\b" + _PARTY + r"\s+(?:candidate|senator|councillor|representative|lawmaker|MP)\s+" + _PERSON),
)
_ORG_STOP = frozenset({"the", "of", "for", "and", "team", "party"})
# Words that are no organisation: a title or a place word read as a name ("Mayor", "North").
_NOT_ORG = frozenset({"mr", "mrs", "ms", "dr", "president", "minister", "mayor", "senator", "judge", "north", "south",
                      "east", "west", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})


@dataclass(frozen=True)
class Affiliation:
    person: tuple[str, ...]  # the name's words, lower case
    org: str                 # the organisation as written
    words: frozenset[str]    # its words, lower case, less articles and 'team' / 'party'
    start: int
    end: int


def affiliations(text: str) -> list[Affiliation]:
    """Every (person, organisation) tie the text states, in order of appearance."""
    out: dict[tuple, Affiliation] = {}
    for shape in SHAPES:
        for m in shape.finditer(text):
            org = m.group("org").rstrip(".'")
            words = frozenset(w for w in re.findall(r"[a-z0-9]+", org.lower()) if w not in _ORG_STOP)
            if not words or words & _NOT_ORG:
                continue
            person = tuple(m.group("person").lower().replace("-", " ").split())
            key = (person, words)
            if key not in out:
                out[key] = Affiliation(person, org, words, m.start("org"), m.start("org") + len(org))
    return sorted(out.values(), key=lambda x: x.start)


def same_person(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    """'Mette Lund' / 'Mette Lund'; a full name and its surname with the same first name."""
    return x[-1] == y[-1] and (set(x) <= set(y) or set(y) <= set(x))
