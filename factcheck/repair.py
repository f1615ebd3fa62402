"""Mojibake repair that keeps character offsets traceable to the original text.

ftfy does the real work. It is run token by token (whitespace-separated runs) so that each
repaired token maps back to its place in the original, and claims can report offsets into the
text the user actually has on disk.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

_RUN = re.compile(r"\S+|\s+")
# A UTF-8 closing quote (E2 80 9D) read as cp1252 loses its last byte: "â€" is left behind.
_LOST_CLOSE = re.compile(r"â€(?=\s|$)")
# ftfy then reads "â€" + space as E2 80 A0 and turns it into a dagger that swallowed the space.
_DAGGER_CLOSE = re.compile(r"(?<=\S)†(?=\S)")
_DAGGER_END = re.compile(r"(?<=\S)†(?=\s|$)")
_SUSPECT = re.compile(r"[âÃÂ€†\x80-\x9f\ufffd]")


@dataclass
class RepairedText:
    """Repaired text plus a map from its offsets back to the original's."""

    text: str
    original: str
    # Sorted breakpoints (repaired_start, original_start, repaired_len, original_len).
    _pieces: list[tuple[int, int, int, int]] = field(default_factory=list)
    changed: bool = False

    def to_original(self, offset: int) -> int:
        if not self._pieces:
            return offset
        starts = [p[0] for p in self._pieces]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        r0, o0, rlen, olen = self._pieces[i]
        delta = offset - r0
        if rlen == olen:
            return o0 + delta
        if delta >= rlen:
            return o0 + olen + (delta - rlen)
        return o0 + _map_inside(self.text[r0:r0 + rlen], self.original[o0:o0 + olen], delta)


def _map_inside(fixed: str, orig: str, delta: int) -> int:
    sm = SequenceMatcher(None, fixed, orig, autojunk=False)
    for tag, i1, i2, j1, _j2 in sm.get_opcodes():
        if i1 <= delta < i2 or (delta == i2 and tag == "equal" and i2 == len(fixed)):
            return j1 + (delta - i1 if tag == "equal" else 0)
    return len(orig)


def _fix_token(token: str) -> str:
    import ftfy

    token = _LOST_CLOSE.sub("”", token)
    fixed = ftfy.fix_text(token, uncurl_quotes=False, normalization="NFC")
    fixed = _DAGGER_CLOSE.sub("” ", fixed)
    return _DAGGER_END.sub("”", fixed)


def repair(text: str) -> RepairedText:
    """Fix mojibake; tokens without suspicious characters are left untouched (and fast)."""
    if not _SUSPECT.search(text):
        return RepairedText(text=text, original=text)
    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    rpos = 0
    changed = False
    for m in _RUN.finditer(text):
        tok = m.group()
        fixed = _fix_token(tok) if (not tok.isspace() and _SUSPECT.search(tok)) else tok
        changed |= fixed != tok
        pieces.append((rpos, m.start(), len(fixed), len(tok)))
        out.append(fixed)
        rpos += len(fixed)
    return RepairedText(text="".join(out), original=text, _pieces=pieces, changed=changed)
