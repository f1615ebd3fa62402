"""Baselines: record today's findings, later report only new ones."""
from __future__ import annotations

import json
from pathlib import Path

from .errors import FactcheckError
from .findings import Finding
from .report.locations import fingerprint

BASELINE_SCHEMA = {
    "type": "object",
    "required": ["findings"],
    "properties": {
        "version": {"type": "integer", "minimum": 1},
        "findings": {"type": "array", "items": {
            "type": "object", "required": ["fingerprint"],
            "properties": {"fingerprint": {"type": "string", "minLength": 1}, "rule": {"type": "string"},
                           "a": {"type": "string"}, "b": {"type": "string"}}}},
    },
}


def write_baseline(path: Path, findings: list[Finding]) -> None:
    doc = {"version": 1, "findings": sorted(({"fingerprint": fingerprint(f), "rule": f.rule, "a": f.a.text,
                                               "b": f.b.text} for f in findings), key=lambda d: d["fingerprint"])}
    try:
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise FactcheckError(f"cannot write baseline: {exc.strerror}", str(path))


def read_baseline(path: Path) -> set[str]:
    from .structured import json_locator, load_json, schema_problem
    from .userfile import read_user_text

    src = str(path)
    text = read_user_text(path, "baseline").text
    doc = load_json(text, src)
    problem = schema_problem(doc, BASELINE_SCHEMA, src)
    if problem is not None:
        problem = schema_problem(doc, BASELINE_SCHEMA, src, json_locator(text, src))
        problem.message = f"not a factcheck baseline: {problem.message}"
        raise problem
    return {item["fingerprint"] for item in doc["findings"]}


def new_findings(findings: list[Finding], known: set[str]) -> list[Finding]:
    return [f for f in findings if fingerprint(f) not in known]
