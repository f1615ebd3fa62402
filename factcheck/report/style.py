"""Colour only where a person is looking: `--color auto` means a terminal, unless NO_COLOR is set
(no-color.org); FORCE_COLOR forces it (force-color.org); `always` and `never` decide outright."""
from __future__ import annotations

import os
import sys

_CODES = {"error": "1;31", "warning": "1;33", "info": "1;36", "dim": "2", "bold": "1"}


def use_color(stream=None, mode: str = "auto") -> bool:
    if mode in ("always", "never"):
        return mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_CODES[style]}m{text}\x1b[0m" if color and style in _CODES else text
