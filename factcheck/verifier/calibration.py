"""Thresholds and the combination with the rules, fitted on labelled dev pairs.

Stored as calibration.json beside the model (plain JSON, validated on load). Fitting is a grid
search over a few numbers, scored by macro F1 over the dev files given, so one large file cannot
drown out a small one from another domain.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path

from ..config import VETO_MODES  # one list for calibration.json, --verifier-veto and the config schema
from ..errors import FactcheckError
from .alignment import FRAME_VETOES

FILE = "calibration.json"
AGGREGATES = ("forward", "mean", "max", "min")
COMBINERS = ("auto", "learned", "thresholds")
# How a passage premise (several sentences) is read: as a whole (truncated at the model's length),
# by its sentence nearest the hypothesis alone, or by the higher of the two in each reading order.
PASSAGES = ("whole", "nearest", "max")


def passage_readings(how: str, whole: tuple, part: tuple | None) -> tuple:
    """(forward, backward) of one pair under `passage` = how; part None: a one-sentence premise."""
    if part is None or how == "whole":
        return whole
    if how == "nearest":
        return part
    return tuple(None if w is None else max(w, q) for w, q in zip(whole, part))


@dataclass
class Calibration:
    aggregate: str = "mean"          # how the two reading orders combine into one score
    passage: str = "whole"           # how a premise of several sentences is read (PASSAGES)
    threshold: float = 0.9           # rules silent: a verifier finding at or above this score
    min_similarity: float = 0.0      # ... and at or above this similarity (the run's floor applies too)
    aligned_min_similarity: float = 0.0  # the floor instead when the frames align the pair (shared name, confirm)
    veto_threshold: float = 0.05     # a rule finding scored at or below this is vetoed
    veto: str = "demote"             # what a veto does to the rule finding: demote (to info), drop, off
    kind_veto: dict = field(default_factory=dict)   # per rule kind, its own veto threshold (0: never vetoed)
    confirm_protects: bool = True    # frames that confirm a rule finding shield it from the veto
    confirm_threshold: float = 0.5   # the bar for a verifier finding when claim frames confirm the pair
    unaligned_threshold: float = 0.9  # ... when the frames find no shared name to anchor the pair on
    frame_vetoes: list = field(default_factory=lambda: list(FRAME_VETOES))  # frame vetoes that block additions
    alone_threshold: float = 0.5     # the verifier alone (eval's middle column)
    severity: str = "warning"        # of verifier findings
    fitted_on: list = field(default_factory=list)
    dev: dict = field(default_factory=dict)  # figures on the dev files at the fitted values
    # The learned combiner (factcheck.verifier.learned): when set, it decides instead of the
    # thresholds above (threshold, *_threshold, kind_veto, confirm_protects); frame_vetoes,
    # min_similarity, veto (the mode) and alone_threshold still apply.
    learned: dict = field(default_factory=dict)
    choice: dict = field(default_factory=dict)  # calibrate --combiner auto: the out-of-fold figures it chose by

    @cached_property
    def combiner(self):
        from .learned import combiner_from

        return combiner_from(self.learned, FILE) if self.learned else None

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

    def bar(self, verdict: str | None) -> float:
        """The score a silent pair needs, by the frames' verdict (None: no frames read)."""
        if verdict == "confirm":
            return self.confirm_threshold
        if verdict == "neutral":
            return self.unaligned_threshold
        return self.threshold

    def floor(self, verdict: str | None) -> float:
        """The similarity a silent pair needs: frames that anchor it on a shared name (or confirm
        a conflict) vouch for its being about one thing, which similarity only guesses at."""
        return self.aligned_min_similarity if verdict in ("aligned", "confirm") else self.min_similarity

    @property
    def lowest_floor(self) -> float:
        return min(self.min_similarity, self.aligned_min_similarity)

    @property
    def lowest_bar(self) -> float:
        return min(self.threshold, self.confirm_threshold, self.unaligned_threshold)

    def veto_at(self, kind: str) -> float:
        return float(self.kind_veto.get(kind, self.veto_threshold))

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"


def climb(cur: tuple, candidates, score) -> tuple:
    """One coordinate of a greedy search: (score, params) of the best of `cur` and the candidate
    params, ties keeping `cur`, so a search only moves for a real gain."""
    for q in candidates:
        k = score(q)
        if k > cur[0]:
            cur = (k, q)
    return cur

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
    check_choice("passage", cal.passage, PASSAGES, where)
    check_choice("veto", cal.veto, VETO_MODES, where)
    check_choice("severity", cal.severity, ("info", "warning", "error"), where)
    for kind, value in cal.kind_veto.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            raise FactcheckError(f"'kind_veto' of '{kind}' must be a number from 0 to 1", where)
    for name in cal.frame_vetoes:
        if not isinstance(name, str):
            raise FactcheckError("'frame_vetoes' must be a list of names", where)
        check_choice("frame_vetoes", name, FRAME_VETOES, where)
    if cal.learned:
        from .learned import combiner_from

        cal.__dict__["combiner"] = combiner_from(cal.learned, where)
    return cal


def check_choice(key: str, value: str, choices: tuple, where: str | None = None) -> None:
    if value not in choices:
        raise FactcheckError(f"'{key}' must be one of {', '.join(choices)}, got '{value}'", where)


# -- fitting ----------------------------------------------------------------------------------
MARGIN_WEIGHT = 5.0  # learned combiner: a dev file's F1 under the better single stage costs this much per point
CONFIRM_FLOOR = 0.3  # frames are read only for silent pairs scored at least this high (and rule pairs)
# A veto is the model saying "no": a rule finding is demoted or dropped only where the model reads
# no contradiction in at least one of the orders it read (that score below SAYS_NO), whatever a
# fitted bar says. Scores of this kind of model bunch near 1, so a fit on dev learns that 0.7 or
# even 0.99 is "low" for a rule's kind and overrules findings the model itself calls
# contradictions both ways: the seed example's withdrawal/repositioning finding (A->B 0.88, B->A
# 0.55) was demoted so, and a true news_dev2 conflict at 0.993/0.993. On dev (the learned fit
# before this bar), the vetoes with a "no" in one order were 10 false alarms removed, 0 true
# findings lost; those without were 9 false alarms removed and 1 true finding lost, all on SICK
# and RTE (none on news). A rule finding is explained by its words; overruling it takes the
# model's own "no", not a relatively low "yes".
SAYS_NO = 0.5


def says_no(forward: float, backward: float | None) -> bool:
    return min(forward, forward if backward is None else backward) < SAYS_NO


def model_said_no(sig: "Signals"):
    """Per pair, says_no() (False where unscored)."""
    import numpy as np

    f = np.array([np.inf if x is None else x for x in sig.forward], dtype="float64")
    b = np.array([np.nan if x is None else x for x in sig.backward], dtype="float64")
    return np.fmin(f, np.where(np.isnan(b), f, b)) < SAYS_NO


@dataclass
class Signals:
    """What the combination sees of each labelled pair of one dev file, as arrays."""
    name: str
    gold: list[bool]
    similarity: list[float]
    rule: list[bool]          # a rule fired (before any veto)
    forward: list[float | None]   # None: below the similarity floor, never scored
    backward: list[float | None]
    verdict: list[str | None] = field(default_factory=list)   # frames: veto | confirm | neutral | None (not read)
    reasons: list[tuple] = field(default_factory=list)        # the frame vetoes that hold
    kind: list[str | None] = field(default_factory=list)      # the rule finding's kind (None: no rule fired)
    features: list[dict | None] = field(default_factory=list)  # the learned combiner's inputs (None: not scored)


def predictions(sig: Signals, cal: Calibration):
    """(alone, combined) boolean arrays for one file under one calibration; the same decisions
    as combine() makes pair by pair."""
    import numpy as np

    if cal.combiner is not None:
        return _learned_predictions(sig, cal)
    agg = _aggregate(sig, cal.aggregate)
    scored = ~np.isnan(agg)
    a = np.where(scored, agg, 0.0)
    sim = np.asarray(sig.similarity)
    rule = np.asarray(sig.rule, dtype=bool)
    confirm, veto_reasons, neutral = _frames(sig)
    blocked = _blocked(veto_reasons, cal.frame_vetoes)
    alone = scored & (a >= cal.alone_threshold)
    at = np.array([cal.veto_at(k) if k else 0.0 for k in (sig.kind or [None] * len(sig.gold))])
    shield = confirm if cal.confirm_protects else np.zeros_like(rule)
    vetoed = rule & scored & (a <= at) & model_said_no(sig) & ~shield if cal.veto != "off" else np.zeros_like(rule)
    bar = np.where(confirm, cal.confirm_threshold, np.where(neutral, cal.unaligned_threshold, cal.threshold))
    floor = np.where(neutral, cal.min_similarity, cal.aligned_min_similarity)
    added = ~rule & scored & (sim >= floor) & ~blocked & (a >= bar)
    return alone, (rule & ~vetoed) | added


def _learned_predictions(sig: Signals, cal: Calibration):
    import numpy as np

    comb = cal.combiner
    agg = _aggregate(sig, cal.aggregate)
    alone = ~np.isnan(agg) & (np.where(np.isnan(agg), 0.0, agg) >= cal.alone_threshold)
    _, veto_reasons, _ = _frames(sig)
    blocked = _blocked(veto_reasons, cal.frame_vetoes)
    out = np.zeros(len(sig.gold), dtype=bool)
    feats = sig.features or [None] * len(sig.gold)
    no = model_said_no(sig)
    for n, (r, fe) in enumerate(zip(sig.rule, feats)):
        if fe is None:
            out[n] = r
            continue
        p = comb.probability(fe)
        if r:
            out[n] = cal.veto == "off" or p >= comb.keep_bar(sig.kind[n]) or not no[n]
        else:
            out[n] = sig.similarity[n] >= cal.min_similarity and not blocked[n] and comb.adding(fe, p)[0]
    return alone, out


def _frames(sig: Signals):
    import numpy as np

    n = len(sig.gold)
    verdict = sig.verdict or [None] * n
    reasons = sig.reasons or [()] * n
    confirm = np.array([v == "confirm" for v in verdict], dtype=bool)
    neutral = np.array([v == "neutral" for v in verdict], dtype=bool)
    return confirm, [tuple(r) if v == "veto" else () for v, r in zip(verdict, reasons)], neutral


def _blocked(reasons: list[tuple], chosen) -> "object":
    import numpy as np

    chosen = set(chosen)
    return np.array([bool(chosen.intersection(r)) for r in reasons], dtype=bool)


def _aggregate(sig: Signals, how: str):
    import numpy as np

    f = np.array([np.nan if x is None else x for x in sig.forward], dtype="float64")
    b = np.array([np.nan if x is None else x for x in sig.backward], dtype="float64")
    b = np.where(np.isnan(b), f, b)
    return {"forward": f, "mean": (f + b) / 2, "max": np.maximum(f, b), "min": np.minimum(f, b)}[how]


def _aggregate_all(files: list[Signals], how: str) -> list:
    return [_aggregate(s, how) for s in files]


def counts(pred, gold) -> dict:
    import numpy as np

    pred, gold = np.asarray(pred, dtype=bool), np.asarray(gold, dtype=bool)
    tp, fp = int((pred & gold).sum()), int((pred & ~gold).sum())
    fn = int((~pred & gold).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "tp": tp, "fp": fp, "fn": fn}


def _f1_fp(pred, gold) -> tuple[float, int]:
    """counts()'s F1 (rounded alike) and false alarms, without the dict: the searches call it
    tens of thousands of times."""
    import numpy as np

    tp = int(np.count_nonzero(pred & gold))
    fp = int(np.count_nonzero(pred)) - tp
    fn = int(np.count_nonzero(gold)) - tp
    return (round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0), fp


def _subsets(names):
    from itertools import combinations

    return [list(c) for k in range(len(names) + 1) for c in combinations(names, k)]


def fit(files: list[Signals], base: Calibration | None = None, floor: float = 0.0, rounds: int = 3,
        strict: frozenset[str] = frozenset(), combiner: str = "auto") -> Calibration:
    """The calibration on the dev files: "thresholds" (search_thresholds), "learned" (the learned
    combiner, factcheck.verifier.learned_fit, on the thresholds' choice of aggregate and verifier-
    alone bar) or "auto", whichever of the two does better out of fold (choose_combiner).
    strict: names of files on which the combination may raise no more false alarms than the rules
    alone (a constraint, not a trade: a newsroom's desk pays for every false alarm)."""
    check_choice("combiner", combiner, COMBINERS)
    if not files or not any(any(s.gold) for s in files):
        raise FactcheckError("calibration needs labelled dev pairs with at least one contradiction")
    unknown = set(strict) - {s.name for s in files}
    if unknown:
        raise FactcheckError(f"--strict names no dev file: {', '.join(sorted(unknown))}")
    base = base or Calibration()
    fitted = _fit(files, base, floor, rounds, strict, learned=combiner != "thresholds")
    choice: dict = {}
    if combiner == "auto" and fitted.learned is not None:
        combiner, choice = choose_combiner(files, base, floor, rounds, strict, fitted.baseline)
    cal = fitted.learned if combiner == "learned" and fitted.learned is not None else fitted.thresholds
    cal.choice = choice
    cal.dev = dev_figures(files, cal)
    return cal


@dataclass
class _Fitted:
    thresholds: Calibration
    learned: Calibration | None   # None: not asked for, or dev too thin to learn from
    baseline: list                # per file, the better single stage's F1 (the objective's bar)


class Objective:
    """The one objective both combiners are fitted by and compared on: macro F1 over the dev
    files (one large file must not drown a small one from another domain), minus every false
    alarm over the rules' own on a strict file (each outweighs all F1), minus MARGIN_WEIGHT times
    each file's shortfall under the better single stage (what the issue asks of a combination:
    on no file worse than the rules alone or the verifier alone). (value, false alarms)."""

    def __init__(self, files: list[Signals], strict, baseline: list | None = None) -> None:
        import numpy as np

        self.golds = [np.asarray(s.gold, dtype=bool) for s in files]
        self.strict = [s.name in strict for s in files]
        self.rule_fps = [int((np.asarray(s.rule, dtype=bool) & ~g).sum()) for s, g in zip(files, self.golds)]
        self.baseline = baseline

    def __call__(self, preds, constrained: bool = True) -> tuple[float, int]:
        f1s, fps, over, short = [], 0, 0, []
        for n, (pred, gold) in enumerate(zip(preds, self.golds)):
            f1, fp = _f1_fp(pred, gold)
            f1s.append(f1)
            fps += fp
            if constrained and self.strict[n]:
                over += max(0, fp - self.rule_fps[n])
            if constrained and self.baseline is not None:
                short.append(min(0.0, f1 - self.baseline[n]))
        return sum(f1s) / len(f1s) - over + (MARGIN_WEIGHT * sum(short) / len(short) if short else 0.0), fps


AUTO_FOLDS = 3  # choose_combiner: each dev pair is judged by combiners fitted on the other two thirds
AUTO_SEED = 13


def subset(sig: Signals, idx) -> Signals:
    """The pairs `idx` of one dev file, every per-pair list cut alike."""
    from dataclasses import replace

    cut = {f.name: [getattr(sig, f.name)[i] for i in idx] for f in fields(Signals)
           if f.name != "name" and getattr(sig, f.name)}
    return replace(sig, **cut)


def file_seed(name: str, base: int) -> int:
    """A fold seed from the dev file's name, so a file is dealt into folds alike whatever order
    the dev files come in (and whichever other files come with it)."""
    import zlib

    return base * 1_000_003 + zlib.crc32(name.encode("utf-8"))


def folds(sig: Signals, k: int, seed: int):
    """Fold number of each pair: contradictions and the rest each dealt round-robin in a seeded
    order, so every fold keeps the file's share of both."""
    import numpy as np

    gold = np.asarray(sig.gold, dtype=bool)
    out = np.zeros(len(gold), dtype=int)
    rng = np.random.default_rng(seed)
    for mask in (gold, ~gold):
        idx = np.flatnonzero(mask)
        out[rng.permutation(idx)] = np.arange(len(idx)) % k
    return out


def choose_combiner(files: list[Signals], base: Calibration, floor: float, rounds: int, strict,
                    baseline: list) -> tuple[str, dict]:
    """("learned" or "thresholds", the figures it was chosen by): both combiners fitted on
    (AUTO_FOLDS-1)/AUTO_FOLDS of every dev file and judged on the rest, so every dev pair is
    judged once by each, out of fold, by the same Objective. Comparing one's out-of-fold score
    with the other's in-sample one (as an earlier version did) favours whichever was scored on
    the pairs it was fitted to. Ties, and dev too thin to learn from in any fold, keep the
    thresholds: fewer numbers, and each one readable."""
    import numpy as np

    dealt = [folds(s, AUTO_FOLDS, file_seed(s.name, AUTO_SEED)) for s in files]
    oof = {"thresholds": [np.zeros(len(s.gold), dtype=bool) for s in files],
           "learned": [np.zeros(len(s.gold), dtype=bool) for s in files]}
    learnable = True
    for k in range(AUTO_FOLDS):
        train = [subset(s, np.flatnonzero(d != k)) for s, d in zip(files, dealt)]
        if not any(any(s.gold) for s in train):
            learnable = False
            break
        got = _fit(train, base, floor, rounds, strict, learned=True)
        learnable = learnable and got.learned is not None
        for name, cal in (("thresholds", got.thresholds), ("learned", got.learned)):
            if cal is None:
                continue
            for n, (s, d) in enumerate(zip(files, dealt)):
                idx = np.flatnonzero(d == k)
                oof[name][n][idx] = predictions(subset(s, idx), cal)[1]
    objective = Objective(files, strict, baseline)  # baseline: all of dev's better single stage, for both
    scores = {name: objective(preds) for name, preds in oof.items()}
    pick = "learned" if learnable and scores["learned"] > scores["thresholds"] else "thresholds"
    return pick, {"by": f"out of fold ({AUTO_FOLDS} folds), one objective", "picked": pick,
                  **{name: {"objective": round(v, 4), "false_alarms": fp,
                            "f1": {s.name: counts(p, s.gold)["f1"] for s, p in zip(files, oof[name])}}
                     for name, (v, fp) in scores.items() if name == "thresholds" or learnable}}


def _fit(files: list[Signals], base: Calibration, floor: float, rounds: int, strict, learned: bool) -> _Fitted:
    """Search, by the Objective (ties: fewer false alarms): per aggregate of the two reading
    orders, the verifier-alone threshold; then the combination: the veto threshold, similarity
    floor and adding threshold together, then each of those, the frames' confirm threshold and
    the set of frame vetoes in turn (coordinate ascent), a few rounds. learned: the learned
    combiner too, on the aggregate and verifier-alone bar chosen here."""
    import numpy as np

    golds = [np.asarray(s.gold, dtype=bool) for s in files]
    sims = [np.asarray(s.similarity) for s in files]
    rules = [np.asarray(s.rule, dtype=bool) for s in files]
    nos = [model_said_no(s) for s in files]
    frames = [_frames(s) for s in files]
    confirms = [c for c, _, _ in frames]
    neutrals = [n for _, _, n in frames]
    fixed = np.concatenate([np.linspace(0.05, 0.95, 19), np.linspace(0.955, 0.995, 9)])
    seen = np.array([x for s in files for x in s.forward if x is not None], dtype="float64")
    # Scores of a confident model bunch up near 1: thresholds also at the scores' own quantiles.
    quant = np.quantile(seen, np.linspace(0.3, 0.999, 120)) if len(seen) else np.array([])
    grid = sorted({round(float(x), 4) for x in np.concatenate([fixed, quant])})
    confirm_grid = [t for t in grid if t >= CONFIRM_FLOOR]
    veto_grid = [0.0] if base.veto == "off" else [0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, SAYS_NO]
    sim_grid = sorted({round(max(floor, x), 3) for x in (0.0, 0.4, 0.45, 0.5, 0.52, 0.54, 0.56, 0.58, 0.6, 0.62, 0.65, 0.7, 0.75, 0.8)})
    subsets = _subsets(FRAME_VETOES)
    blocked_by = {tuple(sub): [_blocked(r, sub) for _, r, _ in frames] for sub in subsets}
    all_kinds = sorted({k for s in files for k in (s.kind or []) if k})
    kind_of = [np.array([k or "" for k in (s.kind or [None] * len(s.gold))]) for s in files]

    def veto_bar(p) -> list:
        """Per pair, the veto threshold of its rule finding's kind."""
        out = []
        for kinds in kind_of:
            bar = np.full(len(kinds), p["veto"])
            for kind, t in p["kinds"].items():
                bar[kinds == kind] = t
            out.append(bar)
        return out


    def veto_and_kinds(p, cur, score):
        """The common veto threshold, then each rule kind's own (models read some kinds of
        contradiction, numbers say, far worse than others)."""
        cur = climb(cur, ({**p, "veto": t} for t in veto_grid), score)
        for kind in all_kinds:
            p = cur[1]
            cur = climb(cur, ({**p, "kinds": {**p["kinds"], kind: t}} for t in veto_grid), score)
        p = cur[1]
        return climb(cur, ({**p, "shield": shield} for shield in (True, False)), score)

    one_way = all(x is None for s in files for x in s.backward)
    hows = ("forward",) if one_way else AGGREGATES
    plain = Objective(files, strict)
    alone = {}  # per aggregate: (macro F1, false alarms, threshold) of the verifier alone at its best
    for how in hows:
        aggs = [_aggregate(s, how) for s in files]
        scored = [~np.isnan(a) for a in aggs]
        vals = [np.where(m, a, 0.0) for a, m in zip(aggs, scored)]
        alone[how] = max(((*plain([m & (v >= t) for m, v in zip(scored, vals)], False), t) for t in grid),
                         key=lambda x: (x[0], -x[1], x[2]))
    # The bar the combination must clear on every file: the better of the rules alone and the verifier
    # alone at its best aggregate, the same whichever aggregate the combination then reads (a bar
    # per aggregate would reward the one whose verifier alone does worst).
    top = max(hows, key=lambda h: (alone[h][0], -alone[h][1]))
    top_preds = [~np.isnan(a) & (np.nan_to_num(a) >= alone[top][2]) for a in _aggregate_all(files, top)]
    macro = Objective(files, strict, [max(counts(r, g)["f1"], counts(a, g)["f1"])
                                      for r, g, a in zip(rules, golds, top_preds)])
    best = None
    for how in hows:
        aggs = [_aggregate(s, how) for s in files]
        scored = [~np.isnan(a) for a in aggs]
        vals = [np.where(m, a, 0.0) for a, m in zip(aggs, scored)]
        alone_best = alone[how]

        def score(p, scored=scored, vals=vals) -> tuple:
            blocked = blocked_by[tuple(p["fv"])]
            preds = []
            for r, m, v, s, c, bl, vb, nt, no in zip(rules, scored, vals, sims, confirms, blocked, veto_bar(p), neutrals,
                                                      nos):
                kept = r & ~(m & (v <= vb) & no & ~(c & p["shield"]))
                bar = np.where(c, p["tc"], np.where(nt, p["tu"], p["t"]))
                low = np.where(nt, p["sim"], p["sa"])
                preds.append(kept | (~r & m & (s >= low) & ~bl & (v >= bar)))
            f1, fps = macro(preds)
            return (round(f1, 6), -fps, -p["veto"], -sum(p["kinds"].values()), p["tu"], p["t"], p["tc"], p["sim"],
                    p["sa"], len(p["fv"]))

        # Joint search of the floor and one bar for all verdicts, all frame vetoes on, no model veto.
        p = {"veto": 0.0, "sim": sim_grid[0], "t": grid[-1], "tc": grid[-1], "tu": grid[-1], "fv": list(FRAME_VETOES), "kinds": {},
             "shield": True}
        cur = None
        for fs in sim_grid:  # the vetoes come next, in the rounds
            for t in grid:
                q = {**p, "sim": fs, "sa": fs, "t": t, "tc": t, "tu": t}
                k = score(q)
                if cur is None or k > cur[0]:
                    cur = (k, q)
        p = cur[1]
        for _ in range(rounds):
            before = cur[0]
            cur = veto_and_kinds(p, cur, score)
            p = cur[1]
            for name, values in (("tu", grid + [1.0]), ("tc", confirm_grid), ("fv", subsets), ("t", grid),
                                 ("sim", sim_grid), ("sa", sim_grid)):
                cur = climb(cur, ({**p, name: value} for value in values), score)
                p = cur[1]
            if cur[0] == before:
                break
        key = (cur[0][0], cur[0][1], alone_best[0])
        if best is None or key > best[0]:
            best = (key, how, alone_best[2], p)
    _, how, t_alone, p = best
    objective = macro
    cal = Calibration(**{**asdict(base), "aggregate": how, "alone_threshold": float(t_alone),
                         "veto_threshold": float(p["veto"]), "threshold": float(p["t"]),
                         "confirm_threshold": float(p["tc"]), "unaligned_threshold": float(p["tu"]),
                         "min_similarity": float(p["sim"]), "aligned_min_similarity": float(p["sa"]),
                         "frame_vetoes": list(p["fv"]),
                         "kind_veto": {k: float(v) for k, v in sorted(p["kinds"].items()) if v != p["veto"]},
                         "confirm_protects": bool(p["shield"]),
                         "fitted_on": [s.name for s in files]})
    fitted = _Fitted(cal, None, objective.baseline)
    if learned and any(s.features for s in files):
        from .learned_fit import fit_learned

        got = fit_learned(files, sim_grid, subsets, blocked_by, objective, rounds=rounds)
        if got is not None:
            comb, sim, fv, _ = got
            fitted.learned = replace(cal, learned=comb.to_dict(), min_similarity=sim, aligned_min_similarity=sim,
                                     frame_vetoes=fv)
    return fitted


def passage_objective(files: list[Signals], cal: Calibration, strict=frozenset()) -> float:
    """The combination's macro F1 over the dev files, less every false alarm over the rules' on a
    strict file: what `calibrate` compares ways of reading passage premises by (in sample, each
    way fitted alike; no single-stage bar, since the verifier alone changes with the reading)."""
    value, _ = Objective(files, strict)([predictions(s, cal)[1] for s in files])
    return value


def dev_figures(files: list[Signals], cal: Calibration) -> dict:
    import numpy as np

    out = {}
    for s in files:
        alone, combined = predictions(s, cal)
        out[s.name] = {"rules": counts(np.asarray(s.rule, dtype=bool), s.gold), "verifier": counts(alone, s.gold),
                       "combined": counts(combined, s.gold)}
    return out
