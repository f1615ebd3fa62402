"""`factcheck verifier`: fit a bring-your-own NLI model's thresholds on labelled dev pairs."""
from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import List, Optional

import typer

from .common import (Backend, BackendOpt, ConfigOpt, DisableOpt, EnableOpt, ModelOpt, RulesOpt, SeverityOpt, VetoMode,
                     emit, info, settings_from, min_similarity_option, QuietOpt)

app = typer.Typer(no_args_is_help=True, help="The optional learned verifier: calibrate it on dev pairs.")


@app.command()
def calibrate(
    directory: Path = typer.Argument(..., help="Verifier model directory (ONNX or CrossEncoder layout)."),
    dev: List[Path] = typer.Argument(..., help="Labelled dev pairs, any format 'factcheck eval' reads. "
                                               "Never a test split."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of DIR/calibration.json."),
    veto: VetoMode = typer.Option(VetoMode.demote, "--veto", help="What a confident 'no' does to a rule finding."),
    strict: Optional[List[Path]] = typer.Option(None, "--strict", metavar="DEV_FILE",
                                                help="A dev file (one of DEV) on which the combination may raise no "
                                                     "more false alarms than the rules alone (repeatable)."),
    one_way: bool = typer.Option(False, "--one-way", help="Score premise -> hypothesis only (half the model time, "
                                 "here and in every later run); default: both orders unless config.json says "
                                 "symmetric."),
    combiner: str = typer.Option("auto", "--combiner", metavar="auto|learned|thresholds",
                                 help="How rules, model and frames combine: a learned combiner fitted on DEV, "
                                      "fitted thresholds, or whichever does better on DEV (auto)."),
    passage: Optional[List[str]] = typer.Option(None, "--passage", metavar="whole|nearest|max",
                                                help="How a premise of several sentences is read: whole, by its "
                                                     "sentence nearest the hypothesis, or the higher of the two "
                                                     "(repeatable; default: each tried, the best on DEV kept)."),
    rules: Optional[List[Path]] = RulesOpt,
    model: Optional[str] = ModelOpt,
    backend: Optional[Backend] = BackendOpt,
    min_similarity: Optional[float] = min_similarity_option("judged"),
    enable: Optional[List[str]] = EnableOpt,
    disable: Optional[List[str]] = DisableOpt,
    severity: Optional[List[str]] = SeverityOpt,
    config: Optional[Path] = ConfigOpt,
    quiet: bool = QuietOpt,
) -> None:
    """Fit the verifier's thresholds and its combination with the rules; write calibration.json."""
    from ..checker import Checker
    from ..errors import FactcheckError
    from ..evaluate import judge_pairs, load_pairs
    from ..progress import display
    from ..userfile import check_writable
    from ..verifier import CALIBRATION_FILE, Calibration, Verifier
    from ..verifier import signals
    from dataclasses import replace

    from ..verifier.calibration import COMBINERS, PASSAGES, check_choice, fit, passage_objective

    settings = settings_from(rules, model, None, min_similarity, None, enable, disable, severity, None, config,
                             backend=backend)
    check_choice("--combiner", combiner, COMBINERS)
    for how in passage or ():
        check_choice("--passage", how, PASSAGES)
    loaded = [(str(p), load_pairs(p)) for p in dev]  # every file read and checked before any work
    names = {Path(p).name for p in dev}
    for p in strict or []:
        if Path(p).name not in names:
            raise FactcheckError(f"--strict {p}: not one of the dev files given")
    target = output or directory / CALIBRATION_FILE
    check_writable(output, "calibration file")
    verifier = Verifier(directory, calibration=Calibration(veto=veto.value, aggregate="forward" if one_way else "mean"))
    checker = Checker(rules=settings.rules, model=settings.model, min_similarity=settings.min_similarity, parser=settings.parser,
                      backend=settings.backend, verifier=verifier)
    judged = []
    with display(quiet) as progress:
        for name, pairs in loaded:
            info(f"factcheck: scoring {len(pairs)} pairs of {name} ...", quiet)
            with ExitStack() as stack:
                verifier.progress = _readings(progress, stack)
                judged.append((Path(name).name, judge_pairs(pairs, checker, progress=progress,
                                                            both_ways=not (one_way or verifier.backend.symmetric),
                                                            passages=set(passage or PASSAGES) != {"whole"})))
    verifier.progress = None
    strict_names = frozenset(Path(p).name for p in strict or [])
    # Passage premises (several sentences) were read whole and by their sentence nearest the
    # hypothesis: fit once per way of reading them and keep the one the combination does best with.
    has_parts = any(sc is not None and sc.part is not None for _, j in judged for sc in j.scores)
    fits = []
    for how in (passage or (PASSAGES if has_parts else ("whole",))):
        files = [signals(name, j, checker.frames_hook, checker.attach_frames, passage=how) for name, j in judged]
        cal = fit(files, base=replace(verifier.calibration, passage=how), floor=settings.min_similarity,
                  strict=strict_names, combiner=combiner)
        fits.append((passage_objective(files, cal, strict_names), how, cal))
        info(f"factcheck: passage premises read {how}: dev objective {fits[-1][0]:.4f}", quiet)
    best = max(fits, key=lambda x: x[0])  # ties: the earlier (whole first)
    cal = best[2]
    if len(fits) > 1:
        cal.choice = {**cal.choice, "passage": {how: round(v, 4) for v, how, _ in fits}}
    emit(cal.to_json(), target)
    info(f"factcheck: wrote {target} ({verifier.stats.describe()})", quiet)
    typer.echo(render(cal))


def _readings(progress, stack: ExitStack):
    """The verifier's (done, total) callback as one task of the shared progress display; the task
    opens on the first call, when the number of uncached readings is known."""
    state = {"advance": None, "done": 0}

    def update(done: int, total: int) -> None:
        if state["advance"] is None:
            state["advance"] = stack.enter_context(progress.task("verifier", total, unit="readings"))
        state["advance"](done - state["done"])
        state["done"] = done

    return update


def render(cal) -> str:
    comb = cal.combiner
    if comb is not None:
        kinds = ", ".join(f"{k} < {v:.3g}" for k, v in sorted(comb.kind_keep.items()))
        head = (f"learned combiner over {len(comb.names)} features (model scores both orders, rule kind, frames, "
                f"similarity, wording): {comb.bars_text()}"
                + f", similarity >= {cal.min_similarity:.2f}; frame "
                f"vetoes: {', '.join(cal.frame_vetoes) or 'none'}; rule findings vetoed ({cal.veto}) at P < "
                f"{comb.keep_at:.3g}" + (f" ({kinds})" if kinds else "") +
                f"; verifier alone ({cal.aggregate}) at >= {cal.alone_threshold:.3g}")
        return "\n".join([head] + _dev_table(cal))
    kinds = ", ".join(f"{k} <= {v:.3g}" for k, v in sorted(cal.kind_veto.items()))
    out = [f"aggregate {cal.aggregate}; verifier alone at >= {cal.alone_threshold:.3g}; combined: adds at >= "
           f"{cal.threshold:.3g} (frames align on a name), >= {cal.unaligned_threshold:.3g} (no shared name), "
           f">= {cal.confirm_threshold:.3g} (frames confirm), similarity >= {cal.min_similarity:.2f} "
           f"(aligned: >= {cal.aligned_min_similarity:.2f}); frame vetoes: "
           f"{', '.join(cal.frame_vetoes) or 'none'}; rule findings vetoed ({cal.veto}) at <= {cal.veto_threshold:.3g}"
           + (f" ({kinds})" if kinds else "") + ("" if cal.confirm_protects else ", frames do not shield them"),
           ] + _dev_table(cal)
    return "\n".join(out)


def _choice_line(cal) -> list[str]:
    """--combiner auto: what each combiner scored out of fold, the figures the choice rests on."""
    c = cal.choice or {}
    if not c:
        return []
    figs = "; ".join(f"{name} {c[name]['objective']:.3f} ({c[name]['false_alarms']} false alarms)"
                     for name in ("learned", "thresholds") if name in c)
    return [f"auto picked {c.get('picked')}: {c.get('by', '')}: {figs}"]


def _dev_table(cal) -> list[str]:
    out = _choice_line(cal) + [f"  {'dev file':<28} {'':<9} {'P':>6} {'R':>6} {'F1':>6} {'fp':>5}"]
    for name, cols in cal.dev.items():
        for col, c in cols.items():
            out.append(f"  {name[:28]:<28} {col:<9} {c['precision']:>6.3f} {c['recall']:>6.3f} {c['f1']:>6.3f} "
                       f"{c['fp']:>5}")
    return out
