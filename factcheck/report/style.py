"""Colour only where a person is looking: a TTY, and never when NO_COLOR is set."""
from __future__ import annotations

import os
import sys

_CODES = {"error": "1;31", "warning": "1;33", "info": "1;36", "dim": "2", "bold": "1"}


def use_color(stream=None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") is not None or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_CODES[style]}m{text}\x1b[0m" if color and style in _CODES else text
