"""Machine-readable findings. Schema: factcheck/schemas/findings.json (documented in docs/)."""
from __future__ import annotations

import json

from ..findings import Finding
from . import Report

SCHEMA_VERSION = 1


def document(findings: list[Finding], **meta) -> dict:
    """The report as a dict: the CLI prints it, the service returns it, so both stay identical."""
    return {"version": SCHEMA_VERSION, **meta, "findings": [f.to_dict() for f in findings]}


def render(report: Report) -> str:
    meta = {**({"sources": list(report.sources)} if report.sources else {}),
            **({"claims": report.claims} if report.claims is not None else {})}
    return json.dumps(document(list(report.findings), **meta), ensure_ascii=False, indent=2) + "\n"
