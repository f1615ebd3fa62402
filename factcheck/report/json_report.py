"""Machine-readable findings. Schema: factcheck/schemas/findings.json (documented in docs/)."""
from __future__ import annotations

import json

from ..findings import Finding

SCHEMA_VERSION = 1


def render(findings: list[Finding], **meta) -> str:
    doc = {"version": SCHEMA_VERSION, **meta, "findings": [f.to_dict() for f in findings]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
