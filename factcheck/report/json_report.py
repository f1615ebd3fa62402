"""Machine-readable findings. Schema: factcheck/schemas/findings.json (documented in docs/)."""
from __future__ import annotations

import json

from ..findings import Finding

SCHEMA_VERSION = 1


def document(findings: list[Finding], **meta) -> dict:
    """The report as a dict: the CLI prints it, the service returns it, so both stay identical."""
    return {"version": SCHEMA_VERSION, **meta, "findings": [f.to_dict() for f in findings]}


def render(findings: list[Finding], **meta) -> str:
    return json.dumps(document(findings, **meta), ensure_ascii=False, indent=2) + "\n"
