"""Command-line paths -> files: plain files, directories (recursively, by suffix) and globs."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .errors import FactcheckError


def expand_paths(paths: Iterable[str | Path], suffixes: tuple[str, ...], what: str = "file or directory"
                 ) -> list[Path]:
    """Files, directories (recursively, by suffix) and glob patterns, in a stable order."""
    import glob
    import os

    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if any(ch in str(raw) for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(str(raw), recursive=True))
            if not matches:
                raise FactcheckError("pattern matched no files", str(raw))
            out.extend(m for m in matches if m.is_file())
        elif os.path.isdir(p):  # never raises (a permission problem surfaces when the file is read)
            found = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in suffixes)
            if not found:
                raise FactcheckError(f"directory holds no {'/'.join(suffixes)} files", str(raw))
            out.extend(found)
        elif os.path.lexists(p):  # a dangling link or loop is passed on, so the reader can say which
            out.append(p)
        else:
            raise FactcheckError(f"no such {what}", str(raw))
    return out
