"""Findings -> text for people or machines. One module per format, each with one
`render(report: Report) -> str`; FORMATS is the only list of them (the CLI's choices come from it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

# format name -> module in this package
FORMATS: dict[str, str] = {"text": "text", "json": "json_report", "sarif": "sarif", "junit": "junit",
                           "github": "github", "html": "html"}


@dataclass(frozen=True)
class Report:
    """Everything a formatter may show; each format uses what it needs."""

    findings: tuple = ()
    rules: tuple = ()                 # the rules that ran (SARIF lists them)
    sources: tuple[str, ...] = ()     # compare: the two articles
    claims: Any = None                # compare: {"a": n, "b": m}; check: n
    documents: tuple = ()             # compare: the two Documents (the HTML report shows them)
    title: str = "factcheck"
    color: bool = False
    meta: dict = field(default_factory=dict)

    @property
    def summary(self) -> str:
        if isinstance(self.claims, dict) and set(self.claims) == {"a", "b"}:
            return f" in {self.claims['a']} x {self.claims['b']} claims"
        if isinstance(self.claims, int):
            return f" in {self.claims} claim{'s' if self.claims != 1 else ''}"
        return ""


def render(fmt: str, report: Report) -> str:
    if fmt not in FORMATS:
        from ..errors import FactcheckError

        raise FactcheckError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    return import_module(f".{FORMATS[fmt]}", __name__).render(report)
