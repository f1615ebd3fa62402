"""What compare and check share after reading their input: settings, claims DB, model (and the
optional verifier), the one pipeline (Checker._run), filters, the formatter registry, output and the exit code."""
from __future__ import annotations

from pathlib import Path

import typer

from .common import GLOBAL, Stages, emit, exit_code, filter_relation, info, make_checker, open_store, report_verifier


def run_report(*, settings, fmt: str, output: Path | None, quiet: bool, verbose: bool, stage: Stages,
               no_db: bool, relation, min_confidence: float = 0.0, documents=None, claims=None,
               baseline: Path | None = None, write_baseline: Path | None = None, title: str) -> int:
    """documents=(doc_a, doc_b) for compare, claims=[...] for check. Returns the exit code."""
    from ..baseline import new_findings, read_baseline, write_baseline as save_baseline
    from ..progress import display
    from ..report import Report, render
    from ..report.style import use_color

    known = read_baseline(baseline) if baseline else None
    with stage("open claims database"):
        store = open_store(settings, no_db)
    checker = make_checker(settings, stage)  # the verifier (when asked for) loads here, before the model
    from ..progress import wanted

    info("factcheck: loading model ...", verbose or not wanted(quiet))  # a terminal only, like the progress
    with stage("load embedding model"):
        checker.encoder  # noqa: B018
    with display(quiet) as progress:
        if documents is not None:
            result = checker.compare_documents(*documents, store=store, stage=stage, progress=progress)
            findings, counts = result.findings, {"a": len(result.claims_a), "b": len(result.claims_b)}
            sources = tuple(d.source for d in documents)
        else:
            findings, counts, sources = checker.check_claims(claims, store=store, stage=stage,
                                                             progress=progress), len(claims), ()
    if write_baseline:
        save_baseline(write_baseline, findings)
        info(f"factcheck: wrote {len(findings)} finding{'s' if len(findings) != 1 else ''} to baseline "
             f"{write_baseline}", quiet)
    if known is not None:
        findings = new_findings(findings, known)
    findings = filter_relation([f for f in findings if f.confidence >= min_confidence], relation)
    color = use_color(mode=GLOBAL["color"]) if output is None or GLOBAL["color"] == "always" else False
    report = Report(findings=tuple(findings), rules=tuple(checker.rules), sources=sources, claims=counts,
                    documents=tuple(documents or ()), title=title, color=color)
    with stage("render"):
        text = render(fmt, report)
    emit(text, output)
    if verbose:
        typer.echo(f"factcheck: {report.summary.strip().removeprefix('in ')}, {len(findings)} finding{'s' if len(findings) != 1 else ''}",
                   err=True)
    report_verifier(checker, verbose)
    return 0 if write_baseline else exit_code(findings, settings.fail_on)
