"""Articles: user text -> a Document claims are cut from (repaired, Markdown blanked).

Reading and decoding the file is `userfile.py`, shared with every other loader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import FactcheckError
from .repair import RepairedText, repair
from .userfile import decode_bytes  # noqa: F401  (articles and every other user file decode alike)

MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Document:
    """An article ready for claim extraction.

    `text` is what claims are cut from (repaired, Markdown markup blanked out with spaces so
    offsets line up); `repaired.to_original` maps its offsets back to `original`.
    """

    source: str
    text: str
    original: str
    repaired: RepairedText
    date: str | None = None
    encoding: str = "utf-8"

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.repaired.to_original(start), self.repaired.to_original(end)


_SURROGATE = re.compile("[\ud800-\udfff]")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_DATE_LINE = re.compile(r"^(?:date|published)\s*:\s*(\S.*?)\s*$", re.I | re.M)
_MD_BLANK = [
    re.compile(r"^\s{0,3}#{1,6}\s"),            # headings
    re.compile(r"^\s{0,3}>\s?"),               # block quotes
    re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s"),  # list markers
]
_MD_INLINE = re.compile(r"(\*\*|__|`+|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\(([^)\n]*)\)")


def blank_markdown(text: str) -> str:
    """Replace Markdown markup by spaces of the same length, so offsets stay true."""
    text = _FRONT_MATTER.sub(lambda m: " " * (len(m.group()) - 1) + "\n", text)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if re.match(r"^\s{0,3}(?:[-*_]\s*){3,}$", line):
            lines[i] = " " * len(line)
            continue
        for pat in _MD_BLANK:
            m = pat.match(line)
            if m:
                line = " " * m.end() + line[m.end():]
        line = _MD_LINK.sub(lambda m: " " + m.group(1) + " " * (len(m.group()) - len(m.group(1)) - 1), line)
        lines[i] = _MD_INLINE.sub(lambda m: " " * len(m.group()), line)
    return "\n".join(lines)


def _find_date(text: str) -> str | None:
    m = _FRONT_MATTER.match(text)
    head = m.group(1) if m else text[:400]
    d = _DATE_LINE.search(head)
    return d.group(1).strip("'\"") if d else None


def document_from_text(text: str, source: str = "<text>", markdown: bool | None = None,
                       date: str | None = None, encoding: str = "utf-8") -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Lone surrogates (from an API caller; files are decoded strictly) cannot be hashed, stored or
    # printed: one U+FFFD each keeps every offset where it was.
    text = _SURROGATE.sub("\ufffd", text)
    fixed = repair(text)
    body = fixed.text
    if markdown is None:
        markdown = source.lower().endswith((".md", ".markdown")) or bool(_FRONT_MATTER.match(body))
    if markdown:
        body = blank_markdown(body)
    if not body.strip():
        raise FactcheckError("file has no text", source)
    return Document(source=source, text=body, original=text, repaired=fixed,
                    date=date or _find_date(fixed.text), encoding=encoding)


STDIN = "-"
STDIN_NAME = "<stdin>"


def read_stdin() -> bytes:
    """Standard input as bytes (decoded like a file), for the conventional `-` argument."""
    import sys

    buf = getattr(sys.stdin, "buffer", None)
    data = buf.read() if buf is not None else sys.stdin.read().encode("utf-8")
    if len(data) > MAX_BYTES:
        raise FactcheckError(f"input is too large ({len(data)} bytes; limit {MAX_BYTES})", STDIN_NAME)
    return data


def read_document(path: str | Path) -> Document:
    name = str(path)
    if name == STDIN:
        text, enc = decode_bytes(read_stdin(), STDIN_NAME)
        return document_from_text(text, source=STDIN_NAME, encoding=enc)
    from .userfile import read_user_text

    got = read_user_text(path, "file", limit=MAX_BYTES)
    return document_from_text(got.text, source=got.path, encoding=got.encoding)
