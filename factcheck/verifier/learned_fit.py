"""Fitting the learned combiner (factcheck.verifier.learned) on dev files, honestly.

The regression is fitted with every dev file weighing the same (a 600-pair SICK sample must not
drown 120 news pairs). Its decision bars (when a silent pair becomes a finding, when a rule
finding is vetoed, per rule kind, which frame vetoes block additions, the similarity floor) are
chosen on out-of-fold probabilities (5 folds within each file), so they are not set on pairs
the regression has already seen; the final regression is then fitted on all dev pairs.
"""
from __future__ import annotations

from .calibration import climb, file_seed, model_said_no
from .learned import Combiner, feature_names, fit_regression, longer_by, model_score

FOLDS = 5
SEED = 13
LONG_GRID = (0, 5, 8, 10, 15, 20, 30)  # how many words longer the premise must be for the other bar (0: one bar)
KEEP_GRID = (0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)


def _rows(files):
    """(file index, pair index, features) of every scored pair."""
    return [(fi, n, feats) for fi, s in enumerate(files) for n, feats in enumerate(s.features or []) if feats]


def fit_learned(files, sim_grid, subsets, blocked_by, macro, rounds: int = 3):
    """(Combiner, min_similarity, frame vetoes, objective) or None when dev is too thin to learn from.
    macro(preds) -> comparable objective (macro F1 with the strict constraint), as fit() uses it."""
    import numpy as np

    rows = _rows(files)
    gold = np.array([files[fi].gold[n] for fi, n, _ in rows], dtype=bool)
    if len(rows) < 100 or gold.sum() < 20 or (~gold).sum() < 20:
        return None
    per_file = np.bincount([fi for fi, _, _ in rows], minlength=len(files)).astype("float64")
    weight = np.array([len(rows) / (len(files) * per_file[fi]) for fi, _, _ in rows])
    kinds = [files[fi].kind[n] if files[fi].kind else None for fi, n, _ in rows]
    feats = [r for _, _, r in rows]
    fired = np.array([bool(r.get("rule")) for r in feats])
    # A regression of its own for rule pairs when dev has enough of them both ways.
    split = fired.sum() >= 40 and (gold[fired]).sum() >= 10 and (~gold[fired]).sum() >= 10
    groups = [~fired, fired] if split else [np.ones(len(rows), dtype=bool)]
    names = [feature_names([feats[i] for i in np.flatnonzero(g)], [kinds[i] for i in np.flatnonzero(g)])
             for g in groups]
    if split:  # silent pairs: nothing rule-specific to read
        names[0] = [n for n in names[0] if not n.startswith("kind:") and n not in ("rule", "rule_confidence")]
    fold = np.zeros(len(rows), dtype=int)
    for fi in range(len(files)):  # each file dealt by a seed of its own name: file order changes nothing
        idx = np.flatnonzero([r[0] == fi for r in rows])
        fold[idx] = np.random.default_rng(file_seed(files[fi].name, SEED)).permutation(len(idx)) % FOLDS
    oof = np.zeros(len(rows))
    for g, nm in zip(groups, names):
        for k in range(FOLDS):
            train, test = np.flatnonzero(g & (fold != k)), np.flatnonzero(g & (fold == k))
            if not len(test):
                continue
            model = fit_regression([feats[i] for i in train], gold[train], weight[train], nm)
            oof[test] = [model.probability(feats[i]) for i in test]

    # Per file, arrays over all its pairs (unscored pairs: probability NaN, never changed).
    probs = [np.full(len(s.gold), np.nan) for s in files]
    for (fi, n, _), p in zip(rows, oof):
        probs[fi][n] = p
    rules = [np.asarray(s.rule, dtype=bool) for s in files]
    nos = [model_said_no(s) for s in files]
    sims = [np.asarray(s.similarity) for s in files]
    kind_of = [np.array([k or "" for k in (s.kind or [None] * len(s.gold))]) for s in files]
    rule_kinds = sorted({k[5:] for nm in names for k in nm if k.startswith("kind:")})
    mscore = [np.array([model_score(fe) if fe else 0.0 for fe in (s.features or [None] * len(s.gold))]) for s in files]
    long_of = [np.array([longer_by(fe) if fe else 0.0 for fe in (s.features or [None] * len(s.gold))]) for s in files]

    def preds(p):
        out = []
        for pr, r, sm, kd, bl, ln, ms, no in zip(probs, rules, sims, kind_of, blocked_by[tuple(p["fv"])], long_of,
                                                 mscore, nos):
            scored = ~np.isnan(pr)
            q = np.where(scored, pr, 0.0)
            keep = np.full(len(q), p["keep"])
            for kind, t in p["kinds"].items():
                keep[kd == kind] = t
            kept = r & ~(scored & (q < keep) & no)
            long = (ln >= p["long"] - 0.5) & (p["long"] > 0)
            value = np.where(long & p["by_score"], ms, q)
            bar = np.where(long, p["add_long"], p["add"])
            out.append(kept | (~r & scored & (sm >= p["sim"]) & ~bl & (value >= bar)))
        return out

    def score(p):
        f1, fps = macro(preds(p))
        return (round(f1, 6), -fps, -p["keep"], -sum(p["kinds"].values()), -p["long"], p["add"], -p["sim"])

    add_grid = sorted({round(float(x), 4) for x in np.concatenate([np.linspace(0.05, 0.95, 19),
                                                                   np.quantile(oof, np.linspace(0.5, 0.995, 100))])})
    p = {"add": 0.5, "keep": 0.0, "kinds": {}, "fv": list(subsets[-1]), "sim": sim_grid[0], "long": 0,
         "add_long": 0.5, "by_score": False}
    seen = np.concatenate([m[~np.isnan(pr)] for m, pr in zip(mscore, probs)])
    score_grid = sorted({round(float(x), 4) for x in np.concatenate([np.linspace(0.5, 0.95, 10),
                                                                     np.quantile(seen, np.linspace(0.3, 0.999, 120))])})
    cur = (score(p), p)
    for _ in range(rounds):
        before = cur[0]
        for name, values in (("add", add_grid), ("keep", KEEP_GRID), ("sim", sim_grid), ("fv", subsets)):
            cur = climb(cur, ({**p, name: list(v) if name == "fv" else v} for v in values), score)
            p = cur[1]
        # where long premises start, what decides there and its bar, together
        cur = climb(cur, ({**p, "long": long, "add_long": v, "by_score": by_score} for long in LONG_GRID[1:]
                          for by_score, values in ((False, add_grid), (True, score_grid)) for v in values), score)
        for kind in rule_kinds:
            p = cur[1]
            cur = climb(cur, ({**p, "kinds": {**p["kinds"], kind: v}} for v in KEEP_GRID), score)
        p = cur[1]
        if cur[0] == before:
            break
    models = [fit_regression([feats[i] for i in np.flatnonzero(g)], gold[g], weight[g], nm)
              for g, nm in zip(groups, names)]
    final = models[0]
    final = Combiner(final.names, final.mean, final.scale, final.weights, final.bias, add_at=float(p["add"]),
                     keep_at=float(p["keep"]),
                     kind_keep={k: float(v) for k, v in sorted(p["kinds"].items()) if v != p["keep"]},
                     both_orders=any(x is not None for s in files for x in s.backward),
                     rule_model=models[1] if split else None, long_words=int(p["long"]),
                     add_at_long=float(p["add_long"]) if p["long"] else 0.5,
                     long_by_score=bool(p["by_score"]) if p["long"] else False)
    return final, float(p["sim"]), list(p["fv"]), cur[0]
