"""Rule kinds. Every module in this package registers its kinds on import; adding a kind means
adding one module here (and nothing else: the YAML schema is built from the class)."""
from __future__ import annotations

import importlib
import pkgutil

from .base import KINDS, Evidence, Match, RuleKind, register

for _mod in pkgutil.iter_modules(__path__):
    if _mod.name != "base":
        importlib.import_module(f"{__name__}.{_mod.name}")

__all__ = ["KINDS", "Evidence", "Match", "RuleKind", "register"]
