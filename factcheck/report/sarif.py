"""SARIF 2.1.0 for code-scanning dashboards: one result per finding, located at claim A, with
claim B as a related location."""
from __future__ import annotations

import json

from .. import __version__
from . import Report
from .locations import LEVELS, fingerprint


def _location(c, message: str | None = None, ident: int | None = None) -> dict:
    at = c.location
    region = {"startLine": at.line or 1, "startColumn": at.column or 1}
    if at.end_line:
        region["endLine"] = at.end_line
        if at.end_column:
            region["endColumn"] = at.end_column
    loc = {"physicalLocation": {"artifactLocation": {"uri": at.path}, "region": region}}
    if message:
        loc["message"] = {"text": message}
    if ident is not None:
        loc["id"] = ident
    return loc


def render(report: Report) -> str:
    findings = report.findings
    rule_list = sorted({r.id: r for r in report.rules}.values(), key=lambda r: r.id)
    index = {r.id: i for i, r in enumerate(rule_list)}
    results = []
    for f in findings:
        res = {
            "ruleId": f.rule,
            "level": LEVELS[f.severity],
            "message": {"text": f"{f.message}. Conflicts with: \"{f.b.text}\" ({f.b.source}"
                                f"{', ' + f.b.speaker if f.b.speaker else ''})"},
            "locations": [_location(f.a)],
            "relatedLocations": [_location(f.b, "conflicting claim", 1)],
            "partialFingerprints": {"factcheckFinding/v1": fingerprint(f)},
            "properties": {"confidence": f.confidence, "similarity": round(f.similarity, 4),
                           "relation": f.relation, "evidence": [e.text for e in f.evidence]},
        }
        if f.rule in index:
            res["ruleIndex"] = index[f.rule]
        results.append(res)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "factcheck", "version": __version__, "informationUri": "https://github.com/factcheck/factcheck",
                "rules": [{"id": r.id, "name": r.id, "shortDescription": {"text": r.description},
                           "defaultConfiguration": {"level": LEVELS[r.severity]},
                           "properties": {"kind": r.kind, "tags": list(r.tags)}} for r in rule_list],
            }},
            "results": results,
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
