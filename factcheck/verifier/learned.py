"""A small learned combiner: one logistic regression over what a pair offers, fitted on dev pairs.

Fixed thresholds on the model's score alone could not use what the rest of the pipeline knows:
with the int8 DeBERTa-v3-xsmall we measured, scores bunch near 1 and mean different things on a
one-line caption pair (SICK), a newswire paragraph against a sentence (RTE) and two news claims.
The combiner reads, per pair: the model's score in both orders (as logits, so 0.99 and 0.999
differ), the rules' verdict and kind (so each kind earns its own trust), the claim frames'
verdict, the similarity, and a few plain word facts (lengths, how much of each claim the other
covers, a negation or a number only one side has). Everything is stored as numbers in
calibration.json (means, scales, weights): no pickles, and the same function computes the
features at calibration time and in every run, so dev figures are what a run does.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..claims import Claim
from ..lexicon import NEGATION_CUES, base_lemma

CLIP = 1e-4           # model scores clipped to [CLIP, 1 - CLIP] before the logit: |logit| <= 9.2
MIN_KIND_FINDINGS = 5  # a rule kind gets a weight of its own with at least this many dev findings
RIDGE = 1.0           # L2 penalty (standardised features): small dev files must not buy extreme weights


def _logit(p: float) -> float:
    p = min(1.0 - CLIP, max(CLIP, p))
    return math.log(p / (1.0 - p))


def _content(c: Claim) -> set[str]:
    return {base_lemma(t.lemmas) for t in c.tokens if t.content}


def _numbers(c: Claim) -> set[str]:
    return {t.lower for t in c.tokens if t.lower[:1].isdigit()}


def _negations(c: Claim) -> int:
    return sum(1 for t in c.tokens if t.is_cue or t.lower in NEGATION_CUES)


def pair_features(a: Claim, b: Claim, similarity: float, rule_kind: str | None, rule_confidence: float,
                  forward: float, backward: float | None, verdict: str | None, reasons: tuple = (),
                  passage: bool = False) -> dict:
    """The combiner's inputs for one scored pair, by name (a feature not named is 0)."""
    f, r = _logit(forward), _logit(forward if backward is None else backward)
    ca, cb = _content(a), _content(b)
    na, nb = _numbers(a), _numbers(b)
    words_a = sum(1 for t in a.tokens if t.is_word)
    words_b = sum(1 for t in b.tokens if t.is_word)
    len_a, len_b = math.log1p(words_a), math.log1p(words_b)
    lo, hi = min(f, r), max(f, r)
    cover_b = len(cb & ca) / len(cb) if cb else 1.0
    cover_a = len(ca & cb) / len(ca) if ca else 1.0
    out = {"logit_min": lo, "logit_max": hi, "logit_gap": hi - lo, "similarity": similarity,
           "len_a": len_a, "len_b": len_b, "len_ratio": len_a - len_b, "cover_a": cover_a, "cover_b": cover_b,
           "logit_x_len": (lo + hi) / 2 * len_a, "logit_x_cover": (lo + hi) / 2 * cover_b,
           "negation_one_side": float((_negations(a) > 0) != (_negations(b) > 0)),
           "numbers_differ": float(bool(na) and bool(nb) and na != nb),
           "rule": float(rule_kind is not None), "rule_confidence": rule_confidence if rule_kind else 0.0}
    if passage:  # a premise of several sentences (its readings per the calibration's `passage`)
        out["passage"] = 1.0
    if rule_kind is not None:
        out[f"kind:{rule_kind}"] = 1.0
    if verdict is not None:
        out[f"frames:{verdict}"] = 1.0
        for reason in reasons if verdict == "veto" else ():
            out[f"frames:veto:{reason}"] = 1.0
    return out


def longer_by(feats: dict) -> float:
    """How many words longer the premise is than the hypothesis, back from the features."""
    return math.expm1(feats.get("len_a", 0.0)) - math.expm1(feats.get("len_b", 0.0))


def model_score(feats: dict) -> float:
    """The model's score, mean of both orders, back from the features' logits."""
    return sum(1.0 / (1.0 + math.exp(-feats[k])) for k in ("logit_min", "logit_max")) / 2


@dataclass
class Combiner:
    """The fitted regression and its decision bars, as calibration.json's `learned` holds them."""
    names: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float
    add_at: float = 0.5                 # a silent pair becomes a verifier finding at or above this
    keep_at: float = 0.0                # a rule finding below this is vetoed (0: never)
    kind_keep: dict = field(default_factory=dict)  # per rule kind, its own keep bar
    both_orders: bool = True            # fitted on scores of both reading orders: runs must score both too
    # Pairs a rule fired on get a regression of their own: whether to trust a rule's finding is
    # another question than whether a pair the rules passed over is a contradiction.
    rule_model: "Combiner | None" = None
    long_words: int = 0                 # pairs whose premise is this many words longer (0: none) are ...
    add_at_long: float = 0.5            # ... added at this bar instead (a paragraph against a sentence)
    long_by_score: bool = False         # ... which the model's own score (mean of both orders) must clear

    def is_long(self, feats: dict) -> bool:
        return bool(self.long_words) and longer_by(feats) >= self.long_words - 0.5

    def adding(self, feats: dict, p: float) -> tuple[bool, str, float, float]:
        """(added, what was compared, its value, the bar) for a pair the rules passed over."""
        if self.is_long(feats):
            if self.long_by_score:
                v = model_score(feats)
                return v >= self.add_at_long, "the model's score (long premise)", v, self.add_at_long
            return p >= self.add_at_long, "P(contradiction) (long premise)", p, self.add_at_long
        return p >= self.add_at, "P(contradiction)", p, self.add_at

    def probability(self, feats: dict) -> float:
        if self.rule_model is not None and feats.get("rule"):
            return self.rule_model.probability(feats)
        z = self.bias
        for name, m, s, w in zip(self.names, self.mean, self.scale, self.weights):
            z += w * (feats.get(name, 0.0) - m) / s
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def bars_text(self) -> str:
        """Its adding bar(s) in words, the one wording `verifier calibrate` and `-v` share."""
        text = f"adds at P >= {self.add_at:.3g}"
        if self.long_words:
            text += (f" (premise {self.long_words}+ words longer: {'score' if self.long_by_score else 'P'} >= "
                     f"{self.add_at_long:.3g})")
        return text

    def keep_bar(self, kind: str) -> float:
        return float(self.kind_keep.get(kind, self.keep_at))

    def to_dict(self) -> dict:
        return {"names": self.names, "mean": [round(x, 6) for x in self.mean],
                "scale": [round(x, 6) for x in self.scale], "weights": [round(x, 6) for x in self.weights],
                "bias": round(self.bias, 6), "add_at": self.add_at, "keep_at": self.keep_at,
                "kind_keep": dict(sorted(self.kind_keep.items())), "both_orders": self.both_orders,
                "long_words": self.long_words, "add_at_long": self.add_at_long, "long_by_score": self.long_by_score,
                "rule_model": self.rule_model.to_dict() if self.rule_model is not None else None}

    def strongest(self, feats: dict, n: int = 3) -> list[str]:
        """The features that pushed this pair's probability most, for an explanation."""
        model = self.rule_model if self.rule_model is not None and feats.get("rule") else self
        parts = [(w * (feats.get(name, 0.0) - m) / s, name) for name, m, s, w in
                 zip(model.names, model.mean, model.scale, model.weights)]
        return [name for v, name in sorted(parts, key=lambda x: -abs(x[0]))[:n] if abs(v) > 0.05]


def combiner_from(data: dict, where: str) -> Combiner:
    """calibration.json's `learned`, checked: a hand-edited file fails with one line, never a traceback."""
    from ..errors import FactcheckError

    try:
        names = [str(x) for x in data["names"]]
        lists = [[float(x) for x in data[k]] for k in ("mean", "scale", "weights")]
        rule = data.get("rule_model")
        comb = Combiner(names, *lists, bias=float(data["bias"]), add_at=float(data.get("add_at", 0.5)),
                        keep_at=float(data.get("keep_at", 0.0)),
                        kind_keep={str(k): float(v) for k, v in dict(data.get("kind_keep", {})).items()},
                        both_orders=bool(data.get("both_orders", True)),
                        rule_model=combiner_from(rule, where) if rule is not None else None,
                        long_words=int(data.get("long_words", 0)), add_at_long=float(data.get("add_at_long", 0.5)),
                        long_by_score=bool(data.get("long_by_score", False)))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise FactcheckError(f"'learned' must hold names, mean, scale, weights and bias ({exc})", where)
    if not all(len(x) == len(names) for x in lists) or any(s <= 0 for s in comb.scale):
        raise FactcheckError("'learned': names, mean, scale and weights must have one entry each, scales > 0", where)
    bars = [comb.add_at, comb.add_at_long, comb.keep_at, *comb.kind_keep.values()]
    if not all(0.0 <= x <= 1.0 for x in bars) or not all(math.isfinite(x) for xs in lists for x in xs):
        raise FactcheckError("'learned': add_at, keep_at and kind_keep must be numbers from 0 to 1", where)
    return comb


def fit_regression(rows: list[dict], gold, weight, names: list[str] | None = None, ridge: float = RIDGE):
    """Weighted L2 logistic regression by Newton's method on standardised features (a few
    thousand rows, a few dozen features: exact in a handful of steps, no dependency)."""
    import numpy as np

    names = names if names is not None else sorted({k for r in rows for k in r})
    x = np.array([[r.get(n, 0.0) for n in names] for r in rows], dtype="float64").reshape(len(rows), len(names))
    y = np.asarray(gold, dtype="float64")
    w = np.asarray(weight, dtype="float64")
    mean = (w[:, None] * x).sum(0) / w.sum()
    scale = np.sqrt((w[:, None] * (x - mean) ** 2).sum(0) / w.sum())
    scale = np.where(scale > 1e-9, scale, 1.0)
    z = np.hstack([np.ones((len(rows), 1)), (x - mean) / scale])
    beta = np.zeros(z.shape[1])
    pen = np.full(z.shape[1], ridge)
    pen[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -30, 30)))
        grad = z.T @ (w * (p - y)) + pen * beta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(pen + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return Combiner(list(names), [float(v) for v in mean], [float(v) for v in scale],
                    [float(v) for v in beta[1:]], float(beta[0]))


def feature_names(rows: list[dict], kinds: list[str | None]) -> list[str]:
    """Every feature seen, except rule kinds too rare on dev to earn their own weight."""
    from collections import Counter

    common = {k for k, n in Counter(k for k in kinds if k).items() if n >= MIN_KIND_FINDINGS}
    return sorted({k for r in rows for k in r if not k.startswith("kind:") or k[5:] in common})
