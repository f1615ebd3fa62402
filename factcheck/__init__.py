"""factcheck: find and explain contradictions between news claims.

The public API is small on purpose: Checker, and the records it returns (Claim, Finding, Rule).
Heavy libraries (torch, sentence-transformers, faiss) load only when a Checker first encodes.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["Checker", "Claim", "Finding", "Rule", "FactcheckError", "__version__"]


def __getattr__(name: str):
    if name == "Checker":
        from .checker import Checker
        return Checker
    if name == "Claim":
        from .claims import Claim
        return Claim
    if name == "Finding":
        from .findings import Finding
        return Finding
    if name == "Rule":
        from .ruleset import Rule
        return Rule
    if name == "FactcheckError":
        from .errors import FactcheckError
        return FactcheckError
    raise AttributeError(name)
