"""GitHub Actions workflow commands: annotations on the claim's line in pull requests."""
from __future__ import annotations

from . import Report
from .locations import claim_file

_CMD = {"error": "error", "warning": "warning", "info": "notice"}


def _esc_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _esc_prop(s: str) -> str:
    return _esc_data(s).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for f in report.findings:
        at = f.location
        end = (f",endLine={at.end_line}" if at.end_line else "") + \
            (f",endColumn={at.end_column}" if at.end_line == at.line and at.end_column else "")
        props = f"file={_esc_prop(str(at.path))},line={at.line or 1},col={at.column or 1}{end},title={_esc_prop(f.rule)}"
        msg = f"{f.message} — conflicts with {claim_file(f.b)}:{f.b.line or 1}: {f.b.text}"
        lines.append(f"::{_CMD[f.severity]} {props}::{_esc_data(msg)}")
    return "".join(line + "\n" for line in lines)
