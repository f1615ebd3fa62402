"""Claim files (YAML/JSON/JSONL) that people keep in git: writing them."""
from __future__ import annotations

import json

from .claims import Claim


def claim_record(c: Claim) -> dict:
    rec = {"id": c.id, "text": c.text}
    for key in ("source", "speaker", "date"):
        val = getattr(c, key)
        if val:
            rec[key] = val
    if c.line:
        rec["line"] = c.line
    return rec


def dump_claims(claims: list[Claim], fmt: str = "yaml") -> str:
    records = [claim_record(c) for c in claims]
    if fmt == "json":
        return json.dumps({"claims": records}, ensure_ascii=False, indent=2) + "\n"
    import yaml

    return "# Claims extracted by factcheck; edit freely (ids are stable hashes of source and text).\n" + \
        yaml.safe_dump({"claims": records}, sort_keys=False, allow_unicode=True, width=100)
