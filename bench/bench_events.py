"""Two reports of one event, with planted conflicts: how many does `compare` find, and what else
does it report?

    python bench/bench_events.py tests/data/dev          # the tuning pair
    python bench/bench_events.py tests/data/heldout      # the held-out pair: report only

A planted conflict (event_conflicts.yaml: verbatim snippets `a` of event_a.md and `b` of
event_b.md) is found when a finding joins a claim overlapping `a` with one overlapping `b`. Any
finding that matches no planted conflict is spurious. Runs the real pipeline (model, parser,
rules), without the claims database.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9£$€]+", text.lower()))


def overlaps(claim_text: str, snippet: str) -> bool:
    if snippet in claim_text or claim_text in snippet:
        return True
    cw, sw = _words(claim_text), _words(snippet)
    return bool(cw and sw) and len(cw & sw) >= 0.6 * min(len(cw), len(sw))


def score(folder: Path, checker=None) -> dict:
    import yaml

    from factcheck.checker import Checker

    checker = checker or Checker()
    planted = yaml.safe_load((folder / "event_conflicts.yaml").read_text(encoding="utf-8"))["conflicts"]
    comp = checker.compare_files(folder / "event_a.md", folder / "event_b.md")
    found = [False] * len(planted)
    spurious = []
    for f in comp.findings:
        hit = False
        for i, c in enumerate(planted):
            if (overlaps(f.a.text, c["a"]) and overlaps(f.b.text, c["b"])) or \
                    (overlaps(f.b.text, c["a"]) and overlaps(f.a.text, c["b"])):
                found[i] = hit = True
        if not hit:
            spurious.append({"rule": f.rule, "message": f.message, "a": f.a.text, "b": f.b.text})
    return {"planted": len(planted), "found": sum(found), "spurious": len(spurious),
            "missed": [c["kind"] + ": " + c["a"][:60] for c, ok in zip(planted, found) if not ok],
            "spurious_findings": spurious, "findings": len(comp.findings)}


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["tests/data/dev"]:
        print(json.dumps({"set": arg, **score(Path(arg))}, indent=1))
