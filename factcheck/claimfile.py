"""Claim files (YAML / JSON / JSONL) that teams keep in git: reading with positions, writing.

Every claim remembers its file, line and column so CI output can point at it. JSON is read with
the YAML safe loader (JSON is YAML) to get positions; JSONL line by line.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from .claims import Claim
from .errors import FactcheckError

CLAIM_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


@lru_cache(maxsize=1)
def claims_schema() -> dict:
    from importlib.resources import files

    return json.loads(files("factcheck").joinpath("schemas/claims.json").read_text(encoding="utf-8"))


def is_claim_file(path: Path) -> bool:
    return path.suffix.lower() in CLAIM_SUFFIXES


def load_claim_file(path: str | Path) -> list[Claim]:
    from .userfile import read_user_text

    p = Path(path)
    src = str(path)
    text = read_user_text(p, "claim file").text
    return load_claim_text(text, src, jsonl=p.suffix.lower() == ".jsonl")


def looks_like_claims(text: str) -> bool:
    """Standard input given to `check -`: a claim file (YAML/JSON with claims) or an article?"""
    import yaml

    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, IndexError):
        return False
    return (isinstance(data, dict) and "claims" in data) or (isinstance(data, list) and bool(data)
                                                             and all(isinstance(x, dict) for x in data))


def load_claim_text(text: str, src: str, jsonl: bool = False) -> list[Claim]:
    if not text.strip():
        raise FactcheckError("claim file is empty", src)
    if jsonl:
        return _load_jsonl(text, src)
    from .yamlpos import load_yaml

    doc = load_yaml(text, src)
    if doc.duplicates:
        path_, (line, col) = doc.duplicates[0]
        raise FactcheckError(f"duplicate key '{path_[-1]}'", src, line, col)
    doc.data = _dates_to_text(doc.data)
    items, base = (doc.data["claims"], ("claims",)) if isinstance(doc.data, dict) and "claims" in doc.data \
        else (doc.data, ())
    _validate(doc.data, src, lambda sub: doc.where(sub))
    claims = []
    for i, item in enumerate(items):
        line, col = doc.where(base + (i,))
        _check_date(item, src, lambda sub, i=i: doc.where(base + (i,) + sub))
        c = _claim(item, src, line, col)
        c.end_line, c.end_column = doc.end(base + (i, "text"))
        claims.append(c)
    _check_unique(claims)
    return claims


_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")


def _check_date(item: dict, src: str, where) -> None:
    """A quoted '2022-02-31' passes the schema (dates are text); no calendar has it."""
    import datetime as dt

    value = item.get("date")
    m = _ISO_DAY.match(value) if isinstance(value, str) else None
    if m:
        try:
            dt.date(*map(int, m.groups()))
        except ValueError as exc:
            raise FactcheckError(f"date: impossible date '{value}' ({exc})", src, *where(("date",))) from None


def _dates_to_text(value):
    """YAML reads 2022-03-30 as a date; claim files keep dates as ISO text."""
    import datetime as dt

    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _dates_to_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_text(v) for v in value]
    return value


def _load_jsonl(text: str, src: str) -> list[Claim]:
    from .structured import json_locator, load_json

    claims = []
    for n, line in enumerate(text.split("\n"), 1):  # only \n ends a JSONL row (not U+2028 inside a string)
        if not line.strip():
            continue
        item = load_json(line, src, line=n)
        _validate([item], src, lambda sub, n=n, line=line: json_locator(line, src, n)(tuple(sub)[1:]), skip=1)
        _check_date(item, src, lambda sub, n=n, line=line: json_locator(line, src, n)(sub))
        c = _claim(item, src, n, 1)
        c.end_line, c.end_column = n, len(line) + 1
        claims.append(c)
    _check_unique(claims)
    return claims


def _validate(data, src: str, where, skip: int = 0) -> None:
    import jsonschema

    from .structured import check_schema

    validator = jsonschema.Draft202012Validator(claims_schema())
    if validator.is_valid(data):
        return
    # oneOf hides the useful message: re-validate against the branch that fits the shape.
    branch = claims_schema()["oneOf"][0 if isinstance(data, dict) else 1]
    check_schema(data, {**branch, "$defs": claims_schema()["$defs"]}, src, where, skip=skip)


def _claim(item: dict, src: str, line: int, col: int) -> Claim:
    ignore = {i["rule"]: i["reason"] for i in item.get("ignore", [])}
    c = Claim(text=item["text"], source=item.get("source") or src, speaker=item.get("speaker"),
              date=str(item["date"]) if item.get("date") else None, id=item["id"], line=line, column=col,
              tags=tuple(item.get("tags", ())), ignore=ignore, file=src)
    return c


def _check_unique(claims: list[Claim]) -> None:
    seen: dict[str, Claim] = {}
    for c in claims:
        if c.id in seen:
            raise FactcheckError(f"duplicate claim id '{c.id}' (first at line {seen[c.id].line})", c.file, c.line,
                                 c.column)
        seen[c.id] = c


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
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    import yaml

    return ("# Claims extracted by factcheck; edit freely (ids are stable hashes of source and text;\n"
            "# a repeated sentence gets its occurrence number: ...-2).\n") + \
        yaml.safe_dump({"claims": records}, sort_keys=False, allow_unicode=True, width=100)
