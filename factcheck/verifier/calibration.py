"""Thresholds and the combination with the rules, fitted on labelled dev pairs.

Stored as calibration.json beside the model (plain JSON, validated on load). Fitting is a grid
search over a few numbers, scored by macro F1 over the dev files given, so one large file cannot
drown out a small one from another domain.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from ..config import VETO_MODES  # one list for calibration.json, --verifier-veto and the config schema
from ..errors import FactcheckError

FILE = "calibration.json"
AGGREGATES = ("forward", "mean", "max", "min")


@dataclass
class Calibration:
    aggregate: str = "mean"          # how the two reading orders combine into one score
    threshold: float = 0.9           # rules silent: a verifier finding at or above this score
    min_similarity: float = 0.0      # ... and at or above this similarity (the run's floor applies too)
    veto_threshold: float = 0.05     # a rule finding scored at or below this is vetoed
    veto: str = "demote"             # what a veto does to the rule finding: demote (to info), drop, off
    confirm_threshold: float = 0.5   # the bar for a verifier finding when claim frames confirm the pair
    alone_threshold: float = 0.5     # the verifier alone (eval's middle column)
    severity: str = "warning"        # of verifier findings
    fitted_on: list = field(default_factory=list)
    dev: dict = field(default_factory=dict)  # figures on the dev files at the fitted values

    @property
    def fitted(self) -> bool:
        return bool(self.fitted_on)

    def aggregate_scores(self, forward: float, backward: float | None) -> float:
        if backward is None or self.aggregate == "forward":
            return forward
        if self.aggregate == "max":
            return max(forward, backward)
        if self.aggregate == "min":
            return min(forward, backward)
        return (forward + backward) / 2

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"


def load_calibration(path: Path) -> Calibration:
    where = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FactcheckError(f"cannot read calibration: {exc.strerror}", where)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FactcheckError(f"invalid JSON: {getattr(exc, 'msg', exc)}", where, getattr(exc, "lineno", None),
                             getattr(exc, "colno", None))
    if not isinstance(data, dict):
        raise FactcheckError("calibration must be a JSON object", where)
    known = {f.name: f for f in fields(Calibration)}
    cal = Calibration()
    for key, value in data.items():
        if key not in known:
            raise FactcheckError(f"unknown calibration key '{key}'", where)
        default = getattr(cal, key)
        if isinstance(default, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise FactcheckError(f"'{key}' must be a number from 0 to 1", where)
            value = float(value)
        elif not isinstance(value, type(default)):
            raise FactcheckError(f"'{key}' must be a {type(default).__name__}", where)
        setattr(cal, key, value)
    check_choice("aggregate", cal.aggregate, AGGREGATES, where)
    check_choice("veto", cal.veto, VETO_MODES, where)
    check_choice("severity", cal.severity, ("info", "warning", "error"), where)
    return cal


def check_choice(key: str, value: str, choices: tuple, where: str | None = None) -> None:
    if value not in choices:
        raise FactcheckError(f"'{key}' must be one of {', '.join(choices)}, got '{value}'", where)


# -- fitting ----------------------------------------------------------------------------------
@dataclass
class Signals:
    """What the combination sees of each labelled pair of one dev file, as arrays."""
    name: str
    gold: list[bool]
    similarity: list[float]
    rule: list[bool]          # a rule fired (before any veto)
    forward: list[float | None]   # None: below the similarity floor, never scored
    backward: list[float | None]


def predictions(sig: Signals, cal: Calibration):
    """(alone, combined) boolean arrays for one file under one calibration."""
    import numpy as np

    agg = _aggregate(sig, cal.aggregate)
    scored = ~np.isnan(agg)
    a = np.where(scored, agg, 0.0)
    sim = np.asarray(sig.similarity)
    rule = np.asarray(sig.rule)
    alone = scored & (a >= cal.alone_threshold)
    vetoed = rule & scored & (a <= cal.veto_threshold) if cal.veto != "off" else np.zeros_like(rule)
    added = ~rule & scored & (sim >= cal.min_similarity) & (a >= cal.threshold)
    return alone, (rule & ~vetoed) | added


def _aggregate(sig: Signals, how: str):
    import numpy as np

    f = np.array([np.nan if x is None else x for x in sig.forward], dtype="float64")
    b = np.array([np.nan if x is None else x for x in sig.backward], dtype="float64")
    b = np.where(np.isnan(b), f, b)
    return {"forward": f, "mean": (f + b) / 2, "max": np.maximum(f, b), "min": np.minimum(f, b)}[how]


def counts(pred, gold) -> dict:
    import numpy as np

    pred, gold = np.asarray(pred, dtype=bool), np.asarray(gold, dtype=bool)
    tp, fp = int((pred & gold).sum()), int((pred & ~gold).sum())
    fn = int((~pred & gold).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "tp": tp, "fp": fp, "fn": fn}


def fit(files: list[Signals], base: Calibration | None = None, floor: float = 0.0) -> Calibration:
    """Grid search, by macro F1 over the files: per aggregate, the verifier-alone threshold, then
    the combination's veto threshold, similarity floor and adding threshold together (ties: fewer
    false alarms, then the milder veto and the higher bar)."""
    import numpy as np

    if not files or not any(any(s.gold) for s in files):
        raise FactcheckError("calibration needs labelled dev pairs with at least one contradiction")
    base = base or Calibration()
    golds = [np.asarray(s.gold, dtype=bool) for s in files]
    sims = [np.asarray(s.similarity) for s in files]
    rules = [np.asarray(s.rule, dtype=bool) for s in files]
    fixed = np.concatenate([np.linspace(0.05, 0.95, 19), np.linspace(0.955, 0.995, 9)])
    seen = np.array([x for s in files for x in s.forward if x is not None], dtype="float64")
    # Scores of a confident model bunch up near 1: thresholds also at the scores' own quantiles.
    quant = np.quantile(seen, np.linspace(0.3, 0.999, 120)) if len(seen) else np.array([])
    grid = sorted({round(float(x), 4) for x in np.concatenate([fixed, quant])})
    veto_grid = [0.0] if base.veto == "off" else [0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5]
    sim_grid = sorted({round(max(floor, x), 3) for x in (0.0, 0.4, 0.5, 0.6, 0.7)})

    def macro(preds) -> tuple[float, int]:
        f1s, fps = [], 0
        for pred, gold in zip(preds, golds):
            c = counts(pred, gold)
            f1s.append(c["f1"])
            fps += c["fp"]
        return float(np.mean(f1s)), fps

    best = None
    one_way = all(x is None for s in files for x in s.backward)
    for how in (("forward",) if one_way else AGGREGATES):
        aggs = [_aggregate(s, how) for s in files]
        scored = [~np.isnan(a) for a in aggs]
        vals = [np.where(m, a, 0.0) for a, m in zip(aggs, scored)]
        alone_best = max(((*macro([m & (v >= t) for m, v in zip(scored, vals)]), t) for t in grid),
                         key=lambda x: (x[0], -x[1], x[2]))
        # Veto and additions are searched jointly: F1 does not split over the pairs they touch.
        for t_veto in veto_grid:
            kept = [r & ~(m & (v <= t_veto)) for r, m, v in zip(rules, scored, vals)]
            for fs in sim_grid:
                open_ = [~r & m & (s >= fs) for r, m, s in zip(rules, scored, sims)]
                for t in grid:
                    f1, fps = macro([k | (o & (v >= t)) for k, o, v in zip(kept, open_, vals)])
                    key = (round(f1, 6), -fps, alone_best[0], -t_veto, t, fs)
                    if best is None or key > best[0]:
                        best = (key, how, alone_best[2], t_veto, t, fs)
    _, how, t_alone, t_veto, t_add, f_sim = best
    cal = Calibration(**{**asdict(base), "aggregate": how, "alone_threshold": float(t_alone),
                         "veto_threshold": float(t_veto), "threshold": float(t_add), "min_similarity": float(f_sim),
                         "fitted_on": [s.name for s in files]})
    if t_veto == 0.0 and cal.veto != "off":
        cal.veto_threshold = 0.0  # the veto did not help on dev: it never fires (score <= 0 only)
    cal.dev = dev_figures(files, cal)
    return cal


def dev_figures(files: list[Signals], cal: Calibration) -> dict:
    import numpy as np

    out = {}
    for s in files:
        alone, combined = predictions(s, cal)
        out[s.name] = {"rules": counts(np.asarray(s.rule, dtype=bool), s.gold), "verifier": counts(alone, s.gold),
                       "combined": counts(combined, s.gold)}
    return out
