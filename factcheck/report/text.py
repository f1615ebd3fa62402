"""Readable findings for a terminal (coloured) or a pipe (plain)."""
from __future__ import annotations

import textwrap

from . import Report
from .style import paint


def _claim_line(label: str, c, width: int) -> str:
    kept = c.file or c.source
    where = str(c.location) if c.line else f"{kept}:{c.start}-{c.end}"
    if c.source != kept:
        where += f" (source {c.source})"
    if c.date:
        where += f" {c.date}"
    who = f" [{c.speaker}]" if c.speaker else ""
    head = f"  {label} {where}{who}"
    body = textwrap.fill(c.text, width=width, initial_indent="      ", subsequent_indent="      ")
    return head + "\n" + body


def render(report: Report, width: int = 100) -> str:
    findings, color = report.findings, report.color
    out = []
    for n, f in enumerate(findings, 1):
        sev = paint(f.severity.upper(), f.severity, color)
        out.append(f"{n}. {sev} {paint(f.rule, 'bold', color)}  confidence {f.confidence:.2f}  "
                   f"similarity {f.similarity:.2f}  {f.relation}")
        out.append(f"  {f.message}")
        words = ", ".join(f"{e.side.upper()}: '{e.text}'" for e in f.evidence)
        if words:
            out.append(paint(f"  evidence: {words}", "dim", color))
        if f.related_rules:
            out.append(paint(f"  also: {', '.join(f.related_rules)}", "dim", color))
        out.append(_claim_line("A", f.a, width))
        out.append(_claim_line("B", f.b, width))
        out.append("")
    counts = {}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    detail = ", ".join(f"{v} {k}{'s' if v != 1 else ''}" for k, v in sorted(counts.items()))
    total = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    out.append(total + (f" ({detail})" if detail else "") + report.summary)
    return "\n".join(out) + "\n"
