"""Reading articles from disk: bytes -> trustworthy str, or a clear error.

Every failure here is the user's input, so it becomes a FactcheckError naming the file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import FactcheckError
from .repair import RepairedText, repair

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


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """Decode UTF-8 first (the common case), then let charset-normalizer judge legacy encodings."""
    if not data.strip():
        raise FactcheckError("file is empty", source)
    if b"\x00" in data[:8192] and not (data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff")):
        raise FactcheckError("looks like a binary file, not text", source)
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise FactcheckError(f"cannot decode as {enc}: {exc.reason} at byte {exc.start}", source)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise FactcheckError("cannot determine the text encoding (not UTF-8 or a known legacy encoding)", source)
    text = str(best)
    if _control_ratio(text) > 0.05:
        raise FactcheckError("looks like a binary file, not text", source)
    return text, best.encoding


def _control_ratio(text: str) -> float:
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / max(1, len(text))


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
    p = Path(path)
    if not p.exists():
        raise FactcheckError("no such file", name)
    if p.is_dir():
        raise FactcheckError("is a directory, expected a text file", name)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise FactcheckError(f"file is too large ({size} bytes; limit {MAX_BYTES})", name)
        data = p.read_bytes()
    except OSError as exc:
        raise FactcheckError(f"cannot read file: {exc.strerror}", name)
    text, enc = decode_bytes(data, name)
    return document_from_text(text, source=name, encoding=enc)
