"""Text -> sentence spans -> clause spans. Offsets always index into the document text.

pysbd knows news abbreviations (U.S., U.K., Gen.) and quotes. Hard-wrapped lines are joined
first ("remains to\\nbe done"), replacing the newline by a space so offsets do not move.
"""
from __future__ import annotations

import re
import threading

_TERMINAL = tuple('.!?:;"”’)]')
_CLAUSE_SPLIT = re.compile(
    r"(?:;\s+"
    r"|,\s+(?:but|while|whereas)\s+"
    r"|,?\s+adding\s+that\s+"
    r"|\s+and\s+that\s+"
    r"|,?\s+(?:and|but)\s+(?=(?:there|it|he|she|they|we|this|those|these|its|his|her|their|several|many|much|the)\s+\S+\s+\S+))",
)
MIN_CLAUSE_WORDS = 4
# A line this long that ends mid-sentence is hard-wrapped prose, not a heading.
WRAP_MIN = 60
_FIELD = re.compile(r"^[A-Za-z][\w ]{0,20}:\s")


_LOCAL = threading.local()


def _segmenter():
    """One pysbd Segmenter per thread: segment() keeps the text it works on in the instance
    (self.original_text), so threads sharing one cut each other's sentences (the service's
    concurrent drafts came out with different claims)."""
    seg = getattr(_LOCAL, "segmenter", None)
    if seg is None:
        seg = _LOCAL.segmenter = _segmenter_class()(language="en", clean=False, char_span=True)
    return seg


_CLASS: list = []


def _segmenter_class():
    """pysbd's Segmenter, finding each sentence's span with str.find instead of a regex built
    from the sentence (the escaped sentence plus trailing whitespace, compiled per sentence:
    those compiles also evicted the rest of the process's regex cache, ~0.2 s of a warm
    1,000-word check against the archive). The same spans: the first occurrence, scanning
    without overlap from the start, that ends after the previous sentence, with the whitespace
    after it; identical to pysbd 0.3.4's on 25,947 texts (examples, tests/data, benchmark
    sentences, archive claims, whole drafts), in about half the time."""
    if not _CLASS:
        import pysbd
        from pysbd.utils import TextSpan

        class Segmenter(pysbd.Segmenter):
            def sentences_with_char_spans(self, sentences):
                if not all(sentences):  # an empty pattern matches everywhere: pysbd's own way
                    return super().sentences_with_char_spans(sentences)
                text = self.original_text
                spans, prior_end = [], 0
                for sent in sentences:
                    pos = 0
                    while True:
                        start = text.find(sent, pos)
                        if start < 0:
                            break
                        end = start + len(sent)
                        while end < len(text) and text[end].isspace():
                            end += 1
                        if end > prior_end:
                            spans.append(TextSpan(text[start:end], start, end))
                            prior_end = end
                            break
                        pos = end
                return spans

        _CLASS.append(Segmenter)
    return _CLASS[0]


def unwrap_lines(text: str) -> str:
    """Join lines that break inside a sentence; keep real paragraph and heading breaks."""
    chars = list(text)
    lines = text.split("\n")
    pos = 0
    for i, line in enumerate(lines[:-1]):
        pos += len(line)
        nxt = lines[i + 1].lstrip()
        stripped = line.rstrip()
        wrapped = len(stripped) >= WRAP_MIN and not _FIELD.match(nxt)
        if stripped and nxt and not stripped.endswith(_TERMINAL) and (nxt[0].islower() or nxt[0].isdigit() or wrapped):
            chars[pos] = " "
        pos += 1
    return "".join(chars)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    flat = unwrap_lines(text)
    spans: list[tuple[int, int]] = []
    offset = 0
    for para in flat.split("\n"):
        if para.strip():
            for s in _segmenter().segment(para):
                start, end = _trim(flat, offset + s.start, offset + s.end)
                if end > start:
                    spans.append((start, end))
        offset += len(para) + 1
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a sentence where it joins independent statements; parts too short stay joined."""
    sentence = text[start:end]
    cuts = [(m.start(), m.end()) for m in _CLAUSE_SPLIT.finditer(sentence) if not _inside_quote(sentence, m.start())]
    if not cuts:
        return [(start, end)]
    parts = []
    prev = 0
    for a, b in cuts:
        parts.append((prev, a, b))
        prev = b
    parts.append((prev, len(sentence), None))
    out: list[tuple[int, int]] = []
    cur_start = None
    for i, (a, b, _) in enumerate(parts):
        if cur_start is None:
            cur_start = a
        words = len(sentence[cur_start:b].split())
        rest_words = sum(len(sentence[p[0]:p[1]].split()) for p in parts[i + 1:])
        if words >= MIN_CLAUSE_WORDS and (rest_words >= MIN_CLAUSE_WORDS or i == len(parts) - 1):
            out.append(_trim(text, start + cur_start, start + b))
            cur_start = None
    if cur_start is not None:
        if out:
            out[-1] = (out[-1][0], _trim(text, start, end)[1])
        else:
            out.append(_trim(text, start, end))
    return out


def _inside_quote(sentence: str, pos: int) -> bool:
    before = sentence[:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1
