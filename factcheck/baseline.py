"""Baselines: record today's findings, later report only new ones."""
from __future__ import annotations

import json
from pathlib import Path

from .errors import FactcheckError
from .findings import Finding
from .report.locations import fingerprint


def write_baseline(path: Path, findings: list[Finding]) -> None:
    doc = {"version": 1, "findings": sorted(({"fingerprint": fingerprint(f), "rule": f.rule, "a": f.a.text,
                                               "b": f.b.text} for f in findings), key=lambda d: d["fingerprint"])}
    try:
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise FactcheckError(f"cannot write baseline: {exc.strerror}", str(path))


def read_baseline(path: Path) -> set[str]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return {item["fingerprint"] for item in doc["findings"]}
    except FileNotFoundError:
        raise FactcheckError("no such baseline file", str(path))
    except json.JSONDecodeError as exc:
        raise FactcheckError(f"invalid baseline JSON: {exc.msg}", str(path), exc.lineno, exc.colno)
    except (KeyError, TypeError):
        raise FactcheckError("not a factcheck baseline (expected {'findings': [{'fingerprint': ...}]})", str(path))


def new_findings(findings: list[Finding], known: set[str]) -> list[Finding]:
    return [f for f in findings if fingerprint(f) not in known]
