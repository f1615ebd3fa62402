"""Rule files that validated clean, remembered on disk, so a cold command skips re-validating them.

A cold `compare` spent ~0.2 s of its ~1.6 s reading the bundled rules: YAML with positions
(~0.05 s), importing jsonschema (~0.1 s) and validating 79 rules (~0.05 s) (bench/bench_compare.py,
cProfile). None of that can change while neither the file nor the code that validates it
changes, so a file with no problems is stored as plain JSON (the parsed items and their lines),
keyed by its bytes and a digest of the validating code; the rule objects are still built afresh
from it. JSON only: nothing is unpickled. A file with any problem is never stored, so every
problem is still found and located by the full path. An unreadable, corrupt or read-only cache
is a miss, never an error. FACTCHECK_RULE_CACHE: a directory, or `off`; default <cache>/rules.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from .usercache import location, source_digest

MAX_FILES = 64  # one per version of a rule file; a user editing rules makes a few a day
# What decides whether a rule file is valid and what its items mean, besides the file itself.
_SOURCES = ("ruleset.py", "yamlpos.py", "config.py", "dates.py", "structured.py", "userfile.py")


@lru_cache(maxsize=1)
def code_digest() -> str:
    root = Path(__file__).resolve().parent
    return source_digest([*(root / rel for rel in _SOURCES), *sorted((root / "kinds").glob("*.py"))])


def cache_dir() -> Path | None:
    return location("FACTCHECK_RULE_CACHE", "rules")


def _path(text_digest: str) -> Path | None:
    root = cache_dir()
    return None if root is None else root / f"{text_digest[:32]}-{code_digest()}.json"


def lookup(text_digest: str) -> list[tuple[dict, int]] | None:
    """The (item, line) of each rule of a clean file with these bytes, or None."""
    path = _path(text_digest)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("digest") != text_digest:
            return None
        return [(dict(r["item"]), int(r["line"])) for r in data["rules"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def store(text_digest: str, rules: list[tuple[dict, int]]) -> None:
    path = _path(text_digest)
    if path is None:
        return
    payload = {"digest": text_digest, "rules": [{"item": item, "line": line} for item, line in rules]}
    try:
        text = json.dumps(payload, ensure_ascii=False)
        if json.loads(text) != payload:  # YAML types JSON cannot keep (dates, int keys): not cacheable
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        _prune(path.parent)
    except (OSError, TypeError, ValueError):
        return


def _prune(root: Path) -> None:
    files = sorted(root.glob("*.json"), key=lambda p: p.stat().st_mtime)
    for old in files[:-MAX_FILES]:
        try:
            old.unlink()
        except OSError:
            pass
