"""The `factcheck` command. Heavy libraries are imported inside the commands that need them,
so `factcheck --help` and `factcheck rules validate` start fast."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import FactcheckError
from .common import (GLOBAL, Backend, BackendOpt, Color, ColorOpt, ConfigOpt, DisableOpt, EnableOpt, ExtractFormat, FailOn, Format,
                     ModelOpt, Relation, ReportFormat, RulesOpt, RelationOpt, SeverityOpt, Stages, VerboseOpt,
                     VerifierOpt, VetoMode, VetoOpt, emit, finite, make_checker, report_verifier, set_global,
                     settings_from, top_k_option, min_similarity_option, DbOpt, NoDbOpt, QuietOpt)
from .check_cmd import check
from .db_cmd import app as db_app
from .model_cmd import app as model_app
from .rules_cmd import app as rules_app
from .verifier_cmd import app as verifier_app
from .serve_cmd import serve

# rich_markup_mode=None: help is plain text, so "[default: warning]" and "[a|b]" are shown, not eaten as markup.
app = typer.Typer(name="factcheck", no_args_is_help=True, add_completion=True, rich_markup_mode=None,
                  help="Find and explain contradictions between news claims.",
                  context_settings={"help_option_names": ["-h", "--help"]}, pretty_exceptions_enable=False)
app.add_typer(rules_app, name="rules")
app.add_typer(db_app, name="db")
app.add_typer(model_app, name="model")
app.add_typer(verifier_app, name="verifier")
app.command()(check)
app.command()(serve)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"factcheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit."),
          config: Optional[Path] = ConfigOpt, color: Optional[Color] = ColorOpt,
          debug: bool = typer.Option(False, "--debug", help="On an internal error, print the full traceback "
                                     "(also env FACTCHECK_DEBUG=1).")) -> None:
    """Find and explain contradictions between news claims."""
    set_global(config=config, color=color)


@app.command()
def compare(
    article_a: str = typer.Argument(..., metavar="ARTICLE_A", help="First article (text or Markdown); - reads "
                                    "standard input."),
    article_b: str = typer.Argument(..., metavar="ARTICLE_B", help="Second article; - reads standard input."),
    fmt: ReportFormat = typer.Option("text", "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report here instead of stdout."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="Exit 1 when a finding is at least this "
                                             "severe; never: always exit 0. [default: warning]"),
    rules: Optional[List[Path]] = RulesOpt,
    model: Optional[str] = ModelOpt,
    backend: Optional[Backend] = BackendOpt,
    top_k: Optional[int] = top_k_option(),
    min_similarity: Optional[float] = min_similarity_option(),
    enable: Optional[List[str]] = EnableOpt,
    disable: Optional[List[str]] = DisableOpt,
    severity: Optional[List[str]] = SeverityOpt,
    min_confidence: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0, callback=finite,
                                         help="Hide weaker findings."),
    db: Optional[str] = DbOpt,
    no_db: bool = NoDbOpt,
    relation: Optional[List[Relation]] = RelationOpt,
    config: Optional[Path] = ConfigOpt,
    color: Optional[Color] = ColorOpt,
    quiet: bool = QuietOpt,
    verbose: bool = VerboseOpt,
    verifier: Optional[Path] = VerifierOpt,
    verifier_veto: Optional[VetoMode] = VetoOpt,
) -> None:
    """Compare two articles and report where they contradict each other."""
    from ..textio import STDIN, read_document
    from .report_cmd import run_report

    from ..userfile import check_writable

    if article_a == STDIN and article_b == STDIN:
        raise FactcheckError("only one article can be read from standard input ('-')")
    check_writable(output)
    set_global(color=color)
    from ..frames.worker import warm_up

    warm_up()  # spaCy loads in a worker process while this one reads config, rules and model
    stage = Stages(verbose)
    with stage("load config and rules"):
        settings = settings_from(rules, model, top_k, min_similarity, fail_on, enable, disable, severity, db,
                                 config, verbose, backend=backend, verifier=verifier, verifier_veto=verifier_veto)
    with stage("read articles"):
        docs = (read_document(article_a), read_document(article_b))
    raise typer.Exit(run_report(settings=settings, fmt=fmt.value, output=output, quiet=quiet, verbose=verbose,
                                stage=stage, no_db=no_db, relation=relation, min_confidence=min_confidence,
                                documents=docs, title="factcheck compare"))


@app.command()
def extract(
    article: str = typer.Argument(..., metavar="ARTICLE", help="Article to split into claims; - reads standard "
                                  "input."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Claim file to write instead of stdout."),
    fmt: ExtractFormat = typer.Option("yaml", "--format", "-f", help="Claim file format."),
    config: Optional[Path] = ConfigOpt,
) -> None:
    """Split an article into claims (speaker, span, text) a person can review and edit."""
    from ..claimfile import dump_claims
    from ..claims import extract_claims
    from ..textio import read_document

    from ..userfile import check_writable

    settings_from(config=config, with_rules=False)  # a broken config is an error here too
    check_writable(output)
    claims = extract_claims(read_document(article))
    emit(dump_claims(claims, fmt.value), output)


@app.command("eval")
def eval_(
    data: List[Path] = typer.Argument(..., help="Labelled pairs: JSONL premise/hypothesis/label, SNLI/MNLI JSONL, "
                                                "or SICK's tab-separated text."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    errors: int = typer.Option(0, "--errors", min=0, help="List the N worst false positives and negatives."),
    rules: Optional[List[Path]] = RulesOpt,
    model: Optional[str] = ModelOpt,
    backend: Optional[Backend] = BackendOpt,
    min_similarity: Optional[float] = min_similarity_option("judged"),
    enable: Optional[List[str]] = EnableOpt,
    disable: Optional[List[str]] = DisableOpt,
    severity: Optional[List[str]] = SeverityOpt,
    config: Optional[Path] = ConfigOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress display."),
    verbose: bool = VerboseOpt,
    verifier: Optional[Path] = VerifierOpt,
    verifier_veto: Optional[VetoMode] = VetoOpt,
) -> None:
    """Precision, recall and F1 of contradiction-vs-rest on labelled pairs, per rule.

    With --verifier: rules alone, the verifier alone and the combination, side by side."""
    import json

    from ..evaluate import evaluate, evaluate_with_verifier, load_pairs, render_side_by_side, render_text
    from ..progress import display

    stage = Stages(verbose)
    with stage("load config and rules"):
        settings = settings_from(rules, model, None, min_similarity, None, enable, disable, severity, None, config,
                                 verbose, backend=backend, verifier=verifier, verifier_veto=verifier_veto)
    with stage("read pairs"):  # every file checked before the model loads
        sets = [(str(path), load_pairs(path)) for path in data]
    checker = make_checker(settings, stage)
    with stage("load embedding model"):
        checker.encoder  # noqa: B018
    if checker.verifier is not None:
        with display(quiet) as progress:
            trio = {}
            for name, pairs in sets:
                with stage(f"evaluate {name}"):
                    trio[name] = evaluate_with_verifier(pairs, checker, progress=progress)
        report_verifier(checker, verbose)
        if fmt == Format.json:
            docs = {k: {col: r.to_dict(errors) for col, r in v.items()} for k, v in trio.items()}
            typer.echo(json.dumps(next(iter(docs.values())) if len(docs) == 1 else docs, ensure_ascii=False, indent=2))
        else:
            line = checker.verifier.describe().split(";")[0]
            for name, res in trio.items():
                typer.echo(render_side_by_side(name, res, line))
                if errors:
                    typer.echo(render_text(f"{name} (combined)", res["combined"], errors))
        return
    results = {}
    with display(quiet) as progress:
        for name, pairs in sets:
            with stage(f"evaluate {name}"):
                results[name] = evaluate(pairs, checker, progress=progress)
    if fmt == Format.json:
        docs = {k: v.to_dict(errors) for k, v in results.items()}
        typer.echo(json.dumps(next(iter(docs.values())) if len(docs) == 1 else docs, ensure_ascii=False, indent=2))
    else:
        for name, res in results.items():
            typer.echo(render_text(name, res, errors))


@app.command()
def schema(what: str = typer.Argument(..., help="claims, rules or findings.")) -> None:
    """Print a JSON Schema: 'claims' (claim files), 'rules' (rule files) or 'findings' (JSON reports)."""
    import json

    if what == "findings":
        from importlib.resources import files

        typer.echo(files("factcheck").joinpath("schemas/findings.json").read_text(encoding="utf-8").rstrip())
    elif what == "claims":
        from ..claimfile import claims_schema

        typer.echo(json.dumps(claims_schema(), indent=2))
    elif what == "rules":
        from ..ruleset import file_schema

        typer.echo(json.dumps(file_schema(), indent=2))
    else:
        raise FactcheckError(f"unknown schema '{what}'; choose 'claims', 'rules' or 'findings'")


_COMMAND = None


def command():
    """The click command tree, built once, with conventional help text."""
    global _COMMAND
    if _COMMAND is None:
        from .helptext import tidy

        _COMMAND = tidy(typer.main.get_command(app))
    return _COMMAND


def _debug_requested(argv: list[str]) -> tuple[list[str], bool]:
    """--debug is global: accepted anywhere before a bare '--', and taken out before typer parses."""
    import os

    on = os.environ.get("FACTCHECK_DEBUG", "").strip().lower() not in ("", "0", "false", "no")
    end = argv.index("--") if "--" in argv else len(argv)
    if "--debug" in argv[:end]:
        on = True
        argv = [a for a in argv[:end] if a != "--debug"] + argv[end:]
    return argv, on


def main(argv: list[str] | None = None) -> int:
    """Run one factcheck command and return its exit code; never calls sys.exit.

    Tests call this in-process (as yamllint's tests call cli.run), so the model loads once per
    test run instead of once per command. User errors become one line on stderr and exit 2; any
    other exception is a bug, reported in one line with exit 3 (so CI never reads it as findings)
    and in full only under --debug.
    """
    from ..memory import limit_malloc_arenas

    limit_malloc_arenas()
    argv, debug = _debug_requested(list(sys.argv[1:] if argv is None else argv))
    GLOBAL.update(config=None, color="auto")
    try:
        rc = command()(args=argv, prog_name="factcheck", standalone_mode=False)
        return rc if isinstance(rc, int) else 0
    except FactcheckError as exc:
        typer.echo(f"factcheck: error: {_one_line(str(exc))}", err=True)
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.echo("factcheck: aborted", err=True)
        return 130
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `factcheck db export | head`: the reader left; not a bug, nothing to say
        try:
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):  # in-process capture has no real descriptor
            pass
        return 141
    except Exception as exc:  # noqa: BLE001  (the one place every escaped error is turned into an answer)
        # Usage errors from typer's click (vendored or not): print its one-line message, exit 2.
        show = getattr(exc, "show", None)
        if callable(show) and hasattr(exc, "exit_code") and type(exc).__module__.split(".")[0] in ("click", "typer"):
            if type(exc).__name__ == "NoArgsIsHelpError" or not hasattr(exc, "format_message"):
                show()  # the help text itself
            else:
                hint = ""
                ctx = getattr(exc, "ctx", None)
                if ctx is not None:
                    hint = f" (see '{ctx.command_path} --help')"
                typer.echo(f"factcheck: error: {_one_line(exc.format_message())}{hint}", err=True)
            return exc.exit_code if exc.exit_code not in (0, 1) else 2
        return _internal_error(exc, debug)


def _one_line(text: str) -> str:
    return " ".join(text.split("\n")).strip()


def _internal_error(exc: BaseException, debug: bool) -> int:
    import traceback

    if debug:
        sys.stderr.write("".join(traceback.format_exception(exc)))
    what = _one_line(f"{type(exc).__name__}: {exc}")
    if len(what) > 300:
        what = what[:297] + "..."
    hint = "" if debug else "; please report it with --debug output"
    typer.echo(f"factcheck: internal error: {what}{hint}", err=True)
    return 3


def run() -> None:
    """Console entry point."""
    sys.exit(main())
