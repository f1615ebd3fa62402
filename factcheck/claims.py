"""Claim records and article -> claims extraction.

A claim is the smallest statement worth checking: one clause, its speaker kept apart, its span
pointing into the original file. Linguistic features are computed once, lazily, and shared by
every rule.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property

from .attribution import PRONOUNS, attribute
from .dates import DateMention, find_dates
from .lexicon import Token, tokenize, base_lemma
from .quantities import Quantity, find_quantities
from .segment import clause_spans, sentence_spans
from .location import Location, position
from .textio import Document

MIN_WORDS = 3


@dataclass
class Claim:
    text: str
    source: str = "<text>"
    start: int = 0
    end: int = 0
    speaker: str | None = None
    date: str | None = None
    id: str = ""
    line: int | None = None
    column: int | None = None
    tags: tuple[str, ...] = ()
    ignore: dict[str, str] = field(default_factory=dict)
    file: str | None = None  # the file the claim is kept in (claim file or article); None for bare text
    end_line: int | None = None
    end_column: int | None = None

    def __post_init__(self) -> None:
        self.text = re.sub(r"\s+", " ", self.text).strip()
        if not self.id:
            self.id = claim_id(self.source, self.text)

    @property
    def location(self) -> Location:
        return Location(self.file or self.source, self.line, self.column, self.end_line, self.end_column)

    @cached_property
    def tokens(self) -> list[Token]:
        return tokenize(self.text)

    @cached_property
    def dates(self) -> list[DateMention]:
        return find_dates(self.text)

    @cached_property
    def quantities(self) -> list[Quantity]:
        return find_quantities(self.text, skip_spans=[(d.start, d.end) for d in self.dates])

    @cached_property
    def frame(self):
        """Structured reading (factcheck.frames): parsed on first use, or attached in a batch
        by the checker before judging, or loaded from the claims database."""
        from .frames import frame_of

        return frame_of(self)

    @cached_property
    def all_lemmas(self) -> frozenset[str]:
        """Every lemma of every token: lets rules skip terms a claim cannot contain."""
        return frozenset(lem for t in self.tokens for lem in t.lemmas)

    @cached_property
    def content_keys(self) -> frozenset[str]:
        """One lemma per content word (the shortest): the vocabulary of 'what it is about'."""
        return frozenset(base_lemma(t.lemmas) for t in self.tokens if t.content)

    @cached_property
    def has_negation(self) -> bool:
        return any(t.negated for t in self.tokens)

    def memo(self, key, compute):
        """Per-claim cache for rule-level features (a claim meets many partners and rules)."""
        cache = self.__dict__.setdefault("_memo", {})
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "source": self.source, "start": self.start, "end": self.end,
                "speaker": self.speaker, "date": self.date, "line": self.line}


def claim_id(source: str, text: str) -> str:
    """Stable id: the same words from the same source always get the same id."""
    norm = re.sub(r"\s+", " ", text).strip().lower()
    return hashlib.sha1(f"{source}\x00{norm}".encode()).hexdigest()[:16]


def extract_claims(doc: Document) -> list[Claim]:
    """Claims in reading order. A sentence repeated in one article (live blogs repeat their lede)
    gets its occurrence number in the id ("…-2"), so every id is unique and stays stable."""
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    last_named: str | None = None
    prev_speaker: str | None = None
    text = doc.text
    for s_start, s_end in sentence_spans(text):
        sentence = text[s_start:s_end]
        attr = attribute(sentence)
        speaker = attr.speaker
        if speaker is None and prev_speaker and re.search(r"[“\"]", sentence):
            # Wire convention: an unattributed quote continues the previous speaker's words.
            speaker = prev_speaker
        if speaker and speaker.lower() in PRONOUNS:
            speaker = last_named or speaker
        elif speaker:
            last_named = speaker
        prev_speaker = speaker
        pieces = clause_spans(text, s_start + attr.content_start, s_start + attr.content_end)
        if attr.extra:
            pieces.append((s_start + attr.extra[0], s_start + attr.extra[1]))
        for c_start, c_end in pieces:
            c_start, c_end = _strip_edges(text, c_start, c_end)
            body = text[c_start:c_end]
            if len(re.findall(r"[A-Za-z]+", body)) < MIN_WORDS:
                continue
            o_start, o_end = doc.original_span(c_start, c_end)
            line, column = position(doc.original, o_start)
            end_line, end_column = position(doc.original, o_end)
            base = claim_id(doc.source, body)
            seen[base] = seen.get(base, 0) + 1
            cid = base if seen[base] == 1 else f"{base}-{seen[base]}"
            claims.append(Claim(text=body, source=doc.source, start=o_start, end=o_end, speaker=speaker,
                                date=doc.date, id=cid, line=line, column=column, file=doc.source,
                                end_line=end_line, end_column=end_column))
    return claims


def _strip_edges(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in "“\"‘,;"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in "”\"’,;"):
        e -= 1
    return s, e
