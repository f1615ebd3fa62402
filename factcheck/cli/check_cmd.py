"""`factcheck check`: claim files in CI, like a linter."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import FactcheckError
from .common import (Backend, BackendOpt, Color, ColorOpt, ConfigOpt, DisableOpt, EnableOpt, FailOn, ModelOpt, Relation, RelationOpt, ReportFormat,
                     RulesOpt, SeverityOpt, Stages, VerboseOpt, VerifierOpt, VetoMode, VetoOpt, info,
                     set_global, settings_from, top_k_option, min_similarity_option, DbOpt, NoDbOpt, QuietOpt)


def check(
    paths: List[str] = typer.Argument(..., metavar="PATH...", help="Claim files (.yaml/.json/.jsonl) or articles, "
                                      "directories, globs; - reads a claim file or article from standard input."),
    fmt: ReportFormat = typer.Option("text", "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report here instead of stdout."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="Exit 1 when a finding is at least this "
                                             "severe; never: always exit 0. [default: warning]"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings not in this baseline."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="Record current findings here "
                                                  "(and exit 0)."),
    rules: Optional[List[Path]] = RulesOpt,
    model: Optional[str] = ModelOpt,
    backend: Optional[Backend] = BackendOpt,
    top_k: Optional[int] = top_k_option(),
    min_similarity: Optional[float] = min_similarity_option(),
    enable: Optional[List[str]] = EnableOpt,
    disable: Optional[List[str]] = DisableOpt,
    severity: Optional[List[str]] = SeverityOpt,
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
    """Check every claim against the database and against every other claim in the run."""
    from ..db.ingest import gather_claims
    from ..userfile import check_writable
    from .report_cmd import run_report

    check_writable(output)
    check_writable(write_baseline, "baseline")
    set_global(color=color)
    from ..frames.worker import warm_up

    warm_up()  # spaCy loads in a worker process while this one reads config, rules and model
    stage = Stages(verbose)
    with stage("load config and rules"):
        settings = settings_from(rules, model, top_k, min_similarity, fail_on, enable, disable, severity, db,
                                 config, verbose, backend=backend, verifier=verifier, verifier_veto=verifier_veto)
    with stage("read claims"):
        claims = list(gather_claims(paths))
    if not claims:
        raise FactcheckError("no claims found in the given paths")
    from ..progress import wanted

    info(f"factcheck: checking {len(claims)} claim{'s' if len(claims) != 1 else ''} ...", verbose or not wanted(quiet))
    raise typer.Exit(run_report(settings=settings, fmt=fmt.value, output=output, quiet=quiet, verbose=verbose,
                                stage=stage, no_db=no_db, relation=relation, baseline=baseline,
                                write_baseline=write_baseline, claims=claims, title="factcheck check"))
