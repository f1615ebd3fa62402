"""`factcheck check`: claim files in CI, like a linter."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import FactcheckError
from .common import (DisableOpt, EnableOpt, FailOn, ModelOpt, RelationOpt, RulesOpt, SeverityOpt, Stages, VerboseOpt,
                     emit, exit_code, filter_relation, info, open_store, resolve_settings)


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    html = "html"


def check(
    paths: List[str] = typer.Argument(..., help="Claim files (.yaml/.json/.jsonl) or articles, directories, globs."),
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f"),
    output: Optional[Path] = typer.Option(None, "--output", "-o"),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="[default: warning]"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings not in this baseline."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="Record current findings here."),
    rules: Optional[List[Path]] = RulesOpt,
    model: Optional[str] = ModelOpt,
    top_k: Optional[int] = typer.Option(None, "--top-k", min=1),
    min_similarity: Optional[float] = typer.Option(None, "--min-similarity", min=0.0, max=1.0),
    enable: Optional[List[str]] = EnableOpt,
    disable: Optional[List[str]] = DisableOpt,
    severity: Optional[List[str]] = SeverityOpt,
    db: Optional[str] = typer.Option(None, "--db", help="Claims database: a directory or "
                                     "milvus://HOST:PORT/COLLECTION [default: claims_db/ if present]."),
    no_db: bool = typer.Option(False, "--no-db"),
    relation: Optional[List[str]] = RelationOpt,
    quiet: bool = typer.Option(False, "--quiet", "-q"),
    verbose: bool = VerboseOpt,
) -> None:
    """Check every claim against the database and against every other claim in the run."""
    from ..baseline import new_findings, read_baseline, write_baseline as save_baseline
    from ..checker import Checker
    from ..db.ingest import gather_claims

    stage = Stages(verbose)
    with stage("read claims"):
        claims = list(gather_claims(paths))
    if not claims:
        raise FactcheckError("no claims found in the given paths")
    known = read_baseline(baseline) if baseline else None
    with stage("load rules and config"):
        settings = resolve_settings(rules, model, top_k, min_similarity, fail_on, enable, disable, severity)
        store = open_store(db or settings.db, no_db, explicit=db is not None)
    checker = Checker(rules=settings.rules, model=settings.model, top_k=settings.top_k,
                      min_similarity=settings.min_similarity)
    show_progress = not quiet and sys.stderr.isatty() and len(claims) >= 200
    info(f"factcheck: checking {len(claims)} claims ...", quiet or not sys.stderr.isatty())
    with stage("load embedding model"):
        checker.encoder  # noqa: B018
    with stage("embeddings, candidates, judging"):
        findings = checker.check_claims(claims, store=store, progress=show_progress)
    if write_baseline:
        save_baseline(write_baseline, findings)
        info(f"factcheck: wrote {len(findings)} findings to baseline {write_baseline}", quiet)
    if known is not None:
        findings = new_findings(findings, known)
    findings = filter_relation(findings, relation)
    emit(render(fmt.value, findings, checker.rules, output, claims=len(claims)), output)
    raise typer.Exit(0 if write_baseline else exit_code(findings, settings.fail_on))


def render(fmt: str, findings, rules, output, claims: int) -> str:
    if fmt == "json":
        from ..report import json_report

        return json_report.render(findings, claims=claims)
    if fmt == "sarif":
        from ..report import sarif

        return sarif.render(findings, rules=rules)
    if fmt == "junit":
        from ..report import junit

        return junit.render(findings)
    if fmt == "github":
        from ..report import github

        return github.render(findings)
    if fmt == "html":
        from ..report import html

        return html.render_findings(findings, title="factcheck check")
    from ..report import text as text_report
    from ..report.style import use_color

    return text_report.render(findings, color=output is None and use_color(), summary_extra=f" in {claims} claims")
