"""Command-line paths -> files: plain files, directories (recursively, by suffix) and globs."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .errors import FactcheckError


def expand_paths(paths: Iterable[str | Path], suffixes: tuple[str, ...], what: str = "file or directory"
                 ) -> list[Path]:
    """Files, directories (recursively, by suffix) and glob patterns, in a stable order."""
    import glob

    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if any(ch in str(raw) for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(str(raw), recursive=True))
            if not matches:
                raise FactcheckError("pattern matched no files", str(raw))
            out.extend(m for m in matches if m.is_file())
        elif p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in suffixes))
        elif p.exists():
            out.append(p)
        else:
            raise FactcheckError(f"no such {what}", str(raw))
    return out
