"""The `factcheck` command. Heavy libraries are imported inside the commands that need them,
so `factcheck --help` and `factcheck rules validate` start fast."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import FactcheckError
from .common import (CompareFormat, DisableOpt, EnableOpt, FailOn, Format, ModelOpt, RulesOpt, RelationOpt, SeverityOpt,
                     Stages, VerboseOpt, emit, filter_relation, exit_code, info, open_store, resolve_settings)
from .check_cmd import check
from .db_cmd import app as db_app
from .rules_cmd import app as rules_app

app = typer.Typer(name="factcheck", no_args_is_help=True, add_completion=True,
                  help="Find and explain contradictions between news claims.",
                  context_settings={"help_option_names": ["-h", "--help"]}, pretty_exceptions_enable=False)
app.add_typer(rules_app, name="rules")
app.add_typer(db_app, name="db")
app.command()(check)


@app.command()
def compare(
    article_a: Path = typer.Argument(..., help="First article (text or Markdown)."),
    article_b: Path = typer.Argument(..., help="Second article."),
    fmt: CompareFormat = typer.Option(CompareFormat.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report here instead of stdout."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on",
                                             help="Exit 1 when a finding is at least this severe [default: warning]."),
    rules: Optional[List[Path]] = RulesOpt,
    model: Optional[str] = ModelOpt,
    top_k: Optional[int] = typer.Option(None, "--top-k", min=1, help="Neighbours per claim considered [default: 5]."),
    min_similarity: Optional[float] = typer.Option(None, "--min-similarity", min=0.0, max=1.0,
                                                   help="Similarity floor for candidate pairs [default: 0.35]."),
    enable: Optional[List[str]] = EnableOpt,
    disable: Optional[List[str]] = DisableOpt,
    severity: Optional[List[str]] = SeverityOpt,
    min_confidence: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0, help="Hide weaker findings."),
    db: Optional[str] = typer.Option(None, "--db", help="Claims database to check against: a directory or "
                                     "milvus://HOST:PORT/COLLECTION [default: claims_db/ when it holds a database]."),
    no_db: bool = typer.Option(False, "--no-db", help="Do not consult the claims database."),
    relation: Optional[List[str]] = RelationOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress messages."),
    verbose: bool = VerboseOpt,
) -> None:
    """Compare two articles and report where they contradict each other."""
    from ..checker import Checker
    from ..textio import read_document

    stage = Stages(verbose)
    with stage("read articles"):
        doc_a, doc_b = read_document(article_a), read_document(article_b)
    with stage("load rules and config"):
        settings = resolve_settings(rules, model, top_k, min_similarity, fail_on, enable, disable, severity)
        store = open_store(db or settings.db, no_db, explicit=db is not None)
    fail_on = settings.fail_on
    checker = Checker(rules=settings.rules, model=settings.model, top_k=settings.top_k,
                      min_similarity=settings.min_similarity)
    info("factcheck: loading model and comparing ...", quiet or verbose or not sys.stderr.isatty())
    with stage("load embedding model"):
        checker.encoder  # noqa: B018
    with stage("claims, embeddings, candidates, judging"):
        result = checker.compare_documents(doc_a, doc_b, store=store)
    findings = filter_relation([f for f in result.findings if f.confidence >= min_confidence], relation)
    if fmt == CompareFormat.html:
        from ..report import html

        text = html.render_comparison(doc_a, doc_b, findings)
    elif fmt == CompareFormat.json:
        from ..report import json_report

        text = json_report.render(findings, sources=[str(article_a), str(article_b)],
                                  claims={"a": len(result.claims_a), "b": len(result.claims_b)})
    else:
        from ..report import text as text_report
        from ..report.style import use_color

        text = text_report.render(findings, color=output is None and use_color(),
                                  summary_extra=f" in {len(result.claims_a)} x {len(result.claims_b)} claims")
    emit(text, output)
    if verbose:
        typer.echo(f"factcheck: {len(result.claims_a)} + {len(result.claims_b)} claims, {len(findings)} findings",
                   err=True)
    raise typer.Exit(exit_code(findings, fail_on))


@app.command()
def extract(
    article: Path = typer.Argument(..., help="Article to split into claims."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Claim file to write (YAML)."),
    fmt: str = typer.Option("yaml", "--format", "-f", help="yaml or json."),
) -> None:
    """Split an article into claims (speaker, span, text) a person can review and edit."""
    from ..claimfile import dump_claims
    from ..claims import extract_claims
    from ..textio import read_document

    claims = extract_claims(read_document(article))
    emit(dump_claims(claims, fmt), output)


@app.command("eval")
def eval_(
    data: List[Path] = typer.Argument(..., help="Labelled pairs: JSONL premise/hypothesis/label, SNLI/MNLI JSONL, "
                                                "or SICK's tab-separated text."),
    fmt: Format = typer.Option(Format.text, "--format", "-f"),
    errors: int = typer.Option(0, "--errors", min=0, help="List the N worst false positives and negatives."),
    rules: Optional[List[Path]] = RulesOpt,
    model: Optional[str] = ModelOpt,
    min_similarity: Optional[float] = typer.Option(None, "--min-similarity", min=0.0, max=1.0),
    enable: Optional[List[str]] = EnableOpt,
    disable: Optional[List[str]] = DisableOpt,
) -> None:
    """Precision, recall and F1 of contradiction-vs-rest on labelled pairs, per rule."""
    import json

    from ..checker import Checker
    from ..evaluate import evaluate, load_pairs, render_text

    settings = resolve_settings(rules, model, None, min_similarity, None, enable, disable, None)
    checker = Checker(rules=settings.rules, model=settings.model, min_similarity=settings.min_similarity)
    results = {}
    for path in data:
        results[str(path)] = evaluate(load_pairs(path), checker, progress=sys.stderr.isatty())
    if fmt == Format.json:
        docs = {k: v.to_dict(errors) for k, v in results.items()}
        typer.echo(json.dumps(next(iter(docs.values())) if len(docs) == 1 else docs, ensure_ascii=False, indent=2))
    else:
        for name, res in results.items():
            typer.echo(render_text(name, res, errors))


@app.command()
def schema(what: str = typer.Argument(..., help="claims or rules")) -> None:
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


def main(argv: list[str] | None = None) -> int:
    """Run one factcheck command and return its exit code; never calls sys.exit.

    Tests call this in-process (as yamllint's tests call cli.run), so the model loads once per
    test run instead of once per command. User errors become one line on stderr and exit 2.
    """
    try:
        rc = app(args=argv, prog_name="factcheck", standalone_mode=False)
        return rc if isinstance(rc, int) else 0
    except FactcheckError as exc:
        typer.echo(f"factcheck: error: {exc}", err=True)
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.echo("factcheck: aborted", err=True)
        return 130
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # Usage errors from typer's click (vendored or not): print its one-line message, exit 2.
        show = getattr(exc, "show", None)
        if callable(show) and hasattr(exc, "exit_code"):
            show()
            return 2
        raise


def run() -> None:
    """Console entry point."""
    sys.exit(main())
