"""Where a claim lives, for outputs that point at files, and a finding's stable identity."""
from __future__ import annotations

import hashlib
import re

from ..findings import Finding


def claim_file(c) -> str:
    return c.file or c.source


def fingerprint(f: Finding) -> str:
    """Survives reordering and whitespace edits: rule + the two claim texts, normalised, unordered."""
    texts = sorted(re.sub(r"\s+", " ", c.text).strip().lower() for c in (f.a, f.b))
    return hashlib.sha1("\0".join([f.rule, *texts]).encode()).hexdigest()[:20]


LEVELS = {"error": "error", "warning": "warning", "info": "note"}
