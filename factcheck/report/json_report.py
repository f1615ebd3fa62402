"""Machine-readable findings. Schema: factcheck/schemas/findings.json (documented in docs/)."""
from __future__ import annotations

import json

from . import Report

SCHEMA_VERSION = 1


def render(report: Report) -> str:
    meta = {**({"sources": list(report.sources)} if report.sources else {}),
            **({"claims": report.claims} if report.claims is not None else {})}
    doc = {"version": SCHEMA_VERSION, **meta, "findings": [f.to_dict() for f in report.findings]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
