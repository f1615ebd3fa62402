"""What the caches in the user cache directory share: where a cache lives, and the digest of the
code its entries depend on (frames/cache.py for claim frames, rulecache.py for rule files).

Each cache takes one environment variable: a path, or `off` (also 0, no, false) to disable it;
blank is unset. Keys include a digest of the source files that produce an entry, so any code
change reads afresh, with no version number to forget.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable


def location(env: str, default_name: str) -> Path | None:
    """$env as a path, None when it says off, else <user cache>/default_name."""
    value = os.environ.get(env, "").strip()  # blank is unset, not a file named "  "
    if value.lower() in ("off", "0", "no", "false"):
        return None
    if value:
        return Path(value).expanduser()
    from .encoders.manifest import cache_root

    return cache_root() / default_name


def source_digest(files: Iterable[Path], seed: str = "") -> str:
    """16 hex digits over the bytes of `files` (a missing one counts by its name)."""
    h = hashlib.sha256(seed.encode())
    for path in files:
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(path.name.encode())
    return h.hexdigest()[:16]
