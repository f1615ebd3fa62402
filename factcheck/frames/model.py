"""Frame records: who did what to whom, where, when and how much, as plain data.

Frames are built once per claim by the reader and stored with archived claims, so every field is
JSON-able (`to_dict` / `from_dict`); offsets index the claim's text, like rule evidence.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Mention:
    """A filler of a slot: a participant, place, time or direction, with its span."""
    text: str
    key: str                      # normalised for comparison (lower case, no articles)
    start: int
    end: int
    label: str = ""               # PERSON, ORG, GPE, ... or "" for a common noun phrase
    roles: tuple[str, ...] = ()   # title words: "finance minister", "chief executive"
    party: str | None = None      # party or affiliation: "social democrats"

    @property
    def named(self) -> bool:
        return self.label in NAMED_LABELS


NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "WORK_OF_ART", "EVENT", "PRODUCT"})


@dataclass(frozen=True)
class Predicate:
    """A main verb (or an event noun under 'ordered a recount') and what the claim asserts of it.

    polarity: True asserted, False denied ("refused to sign", "did not sign"), None neither
    ("wants to sign", "did not deny that ..."). `marker` is the word that set it, for explanations.
    """
    lemma: str
    start: int
    end: int
    polarity: bool | None = True
    agent: Mention | None = None
    patient: Mention | None = None
    passive: bool = False
    marker: str | None = None
    marker_start: int = -1
    marker_end: int = -1
    source: str | None = None     # "factive" / "denial" / "evidence": how an embedded clause is held
    recipient: Mention | None = None  # "traded Bellamy to the Kings": who the patient goes to


@dataclass(frozen=True)
class Quantifier:
    """'all', 'every', 'none', 'only one of', 'four of the seven' over a noun."""
    word: str
    kind: str                     # all | none | some | only | count
    noun: str                     # lemma of the quantified noun
    start: int
    end: int
    count: float | None = None    # four (of the seven)
    of: float | None = None       # (four of the) seven


@dataclass(frozen=True)
class Scope:
    """A word that makes a claim about a part ("17 others", "some of the staff", "also"), with the
    clause it limits: `clause_start`..`clause_end` spans the verb it hangs on and that verb's
    words, less any coordinated clause ("Three died and 17 others were injured": 'others' limits
    only the injuries), so a scope word only vetoes a match that lies in its own clause."""
    key: str                      # "other", "part", "co-defendant", ...
    start: int
    end: int
    clause_start: int
    clause_end: int


@dataclass(frozen=True)
class Frame:
    predicates: tuple[Predicate, ...] = ()
    entities: tuple[Mention, ...] = ()
    places: tuple[Mention, ...] = ()
    times: tuple[Mention, ...] = ()
    directions: tuple[Mention, ...] = ()
    quantifiers: tuple[Quantifier, ...] = ()
    subject: str | None = None            # head lemma of the main clause's subject noun
    subject_names: tuple[str, ...] = ()   # names inside that subject: "shares in Carrow Pharma"
    double_negated: tuple[int, ...] = ()  # starts of words under two negations ("not without merit")
    scopes: tuple[Scope, ...] = ()        # "other", "part", "some of": a claim about a part, with the clause each limits
    parser: str = ""

    @property
    def scope_markers(self) -> tuple[str, ...]:
        """The scope words' keys, whatever clause they limit."""
        return tuple(sorted({x.key for x in self.scopes}))

    def main(self) -> Predicate | None:
        return self.predicates[0] if self.predicates else None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Frame":
        def mention(m):
            return None if m is None else Mention(**{**m, "roles": tuple(m.get("roles", ()))})

        preds = tuple(Predicate(**{**p, "agent": mention(p.get("agent")), "patient": mention(p.get("patient")),
                                   "recipient": mention(p.get("recipient"))})
                      for p in d.get("predicates", ()))
        return cls(predicates=preds,
                   entities=tuple(mention(m) for m in d.get("entities", ())),
                   places=tuple(mention(m) for m in d.get("places", ())),
                   times=tuple(mention(m) for m in d.get("times", ())),
                   directions=tuple(mention(m) for m in d.get("directions", ())),
                   quantifiers=tuple(Quantifier(**q) for q in d.get("quantifiers", ())),
                   subject=d.get("subject"), subject_names=tuple(d.get("subject_names", ())), double_negated=tuple(d.get("double_negated", ())),
                   scopes=tuple(Scope(**x) for x in d.get("scopes", ())), parser=d.get("parser", ""))


EMPTY = Frame()
# Bump when Frame's fields or their meaning change: stored frames of another version are re-parsed.
FRAME_VERSION = 4
