"""Where something is in a file: one record for claims, findings, rule problems and errors, so
every output (text, SARIF, GitHub annotations) points at the same span the same way."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    path: str | None
    line: int | None = None        # 1-based
    column: int | None = None      # 1-based
    end_line: int | None = None    # inclusive line of the last character
    end_column: int | None = None  # 1-based column just past the last character (SARIF's endColumn)

    def __str__(self) -> str:
        out = str(self.path or "")
        if self.line is not None:
            out += f":{self.line}"
            if self.column is not None:
                out += f":{self.column}"
        return out


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
