"""Detection quality on labelled sentence pairs: contradiction vs rest, per rule.

Pairs are judged exactly as `compare` judges a candidate pair: the same rules, the same
similarity floor and per-rule gates, with sentences encoded once in batches.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .claims import Claim
from .errors import FactcheckError
from .judge import judge, needs_frames

LABELS = ("contradiction", "entailment", "neutral")
_ALIASES = {"contradiction": "contradiction", "entailment": "entailment", "neutral": "neutral",
            "no": "contradiction", "yes": "entailment", "unknown": "neutral", "2": "contradiction", "0": "entailment",
            "1": "neutral"}


@dataclass
class Pair:
    id: str
    premise: str
    hypothesis: str
    label: str


@dataclass
class EvalResult:
    pairs: int
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    confusion: dict = field(default_factory=dict)
    per_rule: dict = field(default_factory=dict)
    false_positives: list = field(default_factory=list)
    false_negatives: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self, errors: int = 0) -> dict:
        return {"pairs": self.pairs, "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "confusion": self.confusion, "per_rule": self.per_rule, "seconds": round(self.seconds, 2),
                "false_positives": self.false_positives[:errors], "false_negatives": self.false_negatives[:errors]}


_TEXT = {"type": "string", "minLength": 1, "pattern": "\\S"}
_ID = {"type": ["string", "integer"]}
_LABEL = {"type": ["string", "integer"]}
ROW_SCHEMA = {
    "type": "object",
    "properties": {"premise": _TEXT, "hypothesis": _TEXT, "label": _LABEL, "sentence1": _TEXT, "sentence2": _TEXT,
                   "gold_label": _LABEL, "id": _ID, "pairID": _ID},
}
_SICK_COLUMNS = ("sentence_A", "sentence_B", "entailment_label")


def load_pairs(path: str | Path) -> list[Pair]:
    """JSONL with premise/hypothesis/label, SNLI/MNLI JSONL (sentence1/sentence2/gold_label), or
    SICK's tab-separated text (sentence_A, sentence_B, entailment_label). Every row is checked
    before any is used."""
    from .structured import json_locator, load_json, schema_problem
    from .userfile import read_user_text

    src = str(path)
    lines = [ln.rstrip("\r") for ln in read_user_text(path, "data file").text.split("\n")]
    if lines and "\t" in lines[0] and "sentence_A" in lines[0]:
        return _load_sick(lines, src)
    pairs: list[Pair] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        row = load_json(line, src, line=n)
        problem = None
        if not isinstance(row, dict):
            problem = FactcheckError(f"each line must be a JSON object with premise/hypothesis/label, got "
                                     f"{_kind(row)}", src, n, len(line) - len(line.lstrip()) + 1)
        else:
            problem = schema_problem(row, ROW_SCHEMA, src, lambda p, n=n: (n, None))
            if problem is not None:
                problem = schema_problem(row, ROW_SCHEMA, src, json_locator(line, src, n))
            elif not _has(row, "premise", "sentence1") or not _has(row, "hypothesis", "sentence2") or \
                    not _has(row, "label", "gold_label"):
                problem = FactcheckError("expected premise/hypothesis/label (or sentence1/sentence2/gold_label)",
                                         src, n, 1)
        if problem is not None:
            raise problem
        prem = row.get("premise", row.get("sentence1"))
        hyp = row.get("hypothesis", row.get("sentence2"))
        lab = row.get("label", row.get("gold_label"))
        if str(lab) in ("-", "-1"):
            continue
        pairs.append(Pair(str(row.get("id", row.get("pairID", n))), prem, hyp, _label(lab, src, n)))
    if not pairs:
        raise FactcheckError("no labelled pairs in the file", src)
    return pairs


def _has(row: dict, *keys: str) -> bool:
    return any(row.get(k) is not None for k in keys)


def _kind(value) -> str:
    from .structured import _type_name

    if value is None or isinstance(value, (list, dict)):
        return _type_name(value)
    return f"{_type_name(value)} {value!r}"[:60]


def _load_sick(lines: list[str], src: str) -> list[Pair]:
    head = lines[0].split("\t")
    missing = [c for c in _SICK_COLUMNS if c not in head]
    if missing:
        raise FactcheckError(f"SICK header lacks column(s) {', '.join(missing)} (has {', '.join(head)})", src, 1, 1)
    ia, ib, il = (head.index(c) for c in _SICK_COLUMNS)
    pairs = []
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != len(head):
            raise FactcheckError(f"row has {len(cols)} tab-separated columns, the header has {len(head)}", src, n, 1)
        for i in (ia, ib):
            if not cols[i].strip():
                col = sum(len(c) + 1 for c in cols[:i]) + 1
                raise FactcheckError(f"{head[i]} is empty", src, n, col)
        pairs.append(Pair(cols[0], cols[ia], cols[ib], _label(cols[il], src, n)))
    if not pairs:
        raise FactcheckError("no labelled pairs in the file", src)
    return pairs


def _label(raw, path, line) -> str:
    lab = _ALIASES.get(str(raw).strip().lower())
    if lab is None:
        raise FactcheckError(f"unknown label {str(raw)[:40]!r}; expected contradiction, entailment or neutral",
                             str(path), line)
    return lab


@dataclass
class Judged:
    """Each pair as compare would see it: similarity, the rules' finding, the verifier's score."""
    pairs: list[Pair]
    claims: list[tuple[Claim, Claim]]
    similarity: list[float]
    findings: list  # Finding | None, rules only
    scores: list    # PairScore | None (None: no verifier, or below the similarity floor)
    seconds: float = 0.0


def _sentences(text: str) -> list[str]:
    """The sentences of a premise of several (an RTE passage); [] for one sentence."""
    from .segment import sentence_spans

    spans = sentence_spans(text)
    return [text[s:e] for s, e in spans] if len(spans) > 1 else []


def judge_pairs(pairs: list[Pair], checker, progress=None, both_ways: bool | None = None,
                verify: bool = True, passages: bool | None = None) -> Judged:
    """`progress`: a factcheck.progress.Progress (the CLI's display) or None. verify=False: rules
    only, even when the checker has a verifier. passages: also read a passage premise by its
    sentence nearest the hypothesis (None: where the verifier's calibration reads them so)."""
    import time

    from .progress import NONE

    progress = progress or NONE
    t = time.perf_counter()
    sentences = {p.premise: _sentences(p.premise) for p in pairs}
    texts = sorted({x for p in pairs for x in (p.premise, p.hypothesis, *sentences[p.premise])})
    vecs = dict(zip(texts, checker.encode(texts, progress)))
    claims = [(Claim(p.premise, source="premise"), Claim(p.hypothesis, source="hypothesis")) for p in pairs]
    sims = [float(vecs[p.premise] @ vecs[p.hypothesis]) for p in pairs]
    # The rules see each pair as compare would: compare splits a text into sentence claims, so a
    # hypothesis meets the premise sentence it is about, at that sentence's similarity. The whole
    # premise stays the claim the rules read (its other sentences are context for the vetoes).
    rule_sims = [max([sim] + [float(vecs[s] @ vecs[p.hypothesis]) for s in sentences[p.premise]])
                 for p, sim in zip(pairs, sims)]
    # Parse, in one batch, the pairs a frame-reading rule will look at (the others parse lazily,
    # only when a rule has matched and a veto must be checked).
    rules = list(checker.rules)
    checker.attach_frames([c for (ca, cb), sim in zip(claims, rule_sims)
                           if sim >= checker.min_similarity and needs_frames(ca, cb, sim, rules) for c in (ca, cb)])
    findings = []
    with progress.task("judging", len(pairs), unit="pairs") as advance:
        for (a, b), sim in zip(claims, rule_sims):
            findings.append(judge(a, b, sim, checker.rules) if sim >= checker.min_similarity else None)
            advance(1)
    scores: list = [None] * len(pairs)
    if verify and checker.verifier is not None:
        ask = [n for n, sim in enumerate(sims) if sim >= checker.min_similarity]
        # A passage premise is also read by its sentence nearest the hypothesis (the calibration's
        # `passage` says which reading counts): a model truncating a long passage may never
        # reach the sentence the hypothesis is about.
        if passages is None:
            passages = checker.verifier.calibration.passage != "whole"
        parts = [max(sentences[pairs[n].premise], key=lambda s: float(vecs[s] @ vecs[pairs[n].hypothesis]))
                 if passages and sentences[pairs[n].premise] else None for n in ask]
        got = checker.verifier.score_pairs([(pairs[n].premise, pairs[n].hypothesis) for n in ask], both_ways=both_ways,
                                           parts=parts)
        for n, sc in zip(ask, got):
            scores[n] = sc
    return Judged(pairs, claims, sims, findings, scores, time.perf_counter() - t)


def evaluate(pairs: list[Pair], checker, progress=None) -> EvalResult:
    """Rules only (the checker's rules, as compare judges a candidate pair). `progress`: a
    factcheck.progress.Progress (the CLI's display) or None."""
    j = judge_pairs(pairs, checker, progress, verify=False)
    return tally(j.pairs, j.similarity, j.findings, j.seconds)


def evaluate_with_verifier(pairs: list[Pair], checker, progress=None) -> dict[str, EvalResult]:
    """Rules alone, the verifier alone and the combination, from one pass over the pairs."""
    import copy
    from dataclasses import replace

    from .verifier.combine import combine

    j = judge_pairs(pairs, checker, progress)
    cal = checker.verifier.calibration
    alone_cal = replace(cal, threshold=cal.alone_threshold, min_similarity=0.0, learned={})
    alone = [combine(a, b, sim, None, sc, alone_cal) for (a, b), sim, sc in zip(j.claims, j.similarity, j.scores)]
    triples = [(a, b, sim) for (a, b), sim in zip(j.claims, j.similarity)]
    both = checker.verifier.combine_all(triples, [copy.copy(f) if f is not None else None for f in j.findings],
                                        j.scores, checker.frames_hook, checker.attach_frames)
    combined = [None if g is not None and (g.verifier or {}).get("verdict") == "demoted" else g for g in both]
    return {"rules": tally(j.pairs, j.similarity, j.findings, j.seconds),
            "verifier": tally(j.pairs, j.similarity, alone, j.seconds),
            "combined": tally(j.pairs, j.similarity, combined, j.seconds)}


def tally(pairs: list[Pair], sims: list[float], findings: list, seconds: float = 0.0) -> EvalResult:
    """Counts of one set of predictions: a finding is a 'contradiction' verdict (demoted ones are
    passed in as None by the caller)."""
    res = EvalResult(pairs=len(pairs))
    confusion: dict[str, Counter] = {lab: Counter() for lab in LABELS}
    fires: Counter = Counter()
    tps: Counter = Counter()
    negatives = sum(1 for p in pairs if p.label != "contradiction")
    for p, sim, f in zip(pairs, sims, findings):
        predicted = "contradiction" if f else "other"
        confusion[p.label][predicted] += 1
        gold = p.label == "contradiction"
        row = {"id": p.id, "premise": p.premise, "hypothesis": p.hypothesis, "label": p.label,
               "similarity": round(sim, 3)}
        if f:
            fires[f.rule] += 1
            row.update(rule=f.rule, message=f.message, confidence=f.confidence,
                       evidence=[e.text for e in f.evidence])
            if gold:
                res.tp += 1
                tps[f.rule] += 1
            else:
                res.fp += 1
                res.false_positives.append(row)
        elif gold:
            res.fn += 1
            res.false_negatives.append(row)
        else:
            res.tn += 1
    res.confusion = {lab: dict(c) for lab, c in confusion.items()}
    res.per_rule = {rule: {"fired": n, "true": tps[rule], "false": n - tps[rule],
                           "false_alarm_rate": round((n - tps[rule]) / negatives, 4) if negatives else 0.0}
                    for rule, n in fires.most_common()}
    res.false_positives.sort(key=lambda r: -r.get("confidence", 0))
    res.false_negatives.sort(key=lambda r: -r["similarity"])
    res.seconds = seconds
    return res


def render_side_by_side(name: str, results: dict[str, EvalResult], verifier_line: str = "") -> str:
    out = [f"{name}: {next(iter(results.values())).pairs} pairs, contradiction vs rest"]
    if verifier_line:
        out.append(f"  {verifier_line}")
    out.append(f"  {'':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
    for label, res in results.items():
        out.append(f"  {label:<10} {res.precision:>9.3f} {res.recall:>7.3f} {res.f1:>6.3f} {res.tp:>5} {res.fp:>5} "
                   f"{res.fn:>5}")
    return "\n".join(out) + "\n"


def render_text(name: str, res: EvalResult, errors: int = 0) -> str:
    out = [f"{name}: {res.pairs} pairs in {res.seconds:.1f}s",
           f"  contradiction vs rest: precision {res.precision:.3f}  recall {res.recall:.3f}  F1 {res.f1:.3f}"
           f"  (tp {res.tp}, fp {res.fp}, fn {res.fn}, tn {res.tn})",
           "  confusion (gold -> predicted): " + "; ".join(
               f"{lab}: {c.get('contradiction', 0)} flagged / {c.get('other', 0)} not" for lab, c in res.confusion.items())]
    if res.per_rule:
        out.append("  per rule (fired / true / false / false-alarm rate on non-contradictions):")
        for rule, s in res.per_rule.items():
            out.append(f"    {rule:<42} {s['fired']:>5} {s['true']:>5} {s['false']:>5}  {s['false_alarm_rate']:.2%}")
    for title, rows in (("worst false positives", res.false_positives), ("worst false negatives", res.false_negatives)):
        if errors and rows:
            out.append(f"  {title}:")
            for r in rows[:errors]:
                why = f" [{r['rule']}: {r['message']}]" if "rule" in r else ""
                out.append(f"    {r['id']} ({r['label']}, sim {r['similarity']}){why}\n      P: {r['premise']}\n"
                           f"      H: {r['hypothesis']}")
    return "\n".join(out) + "\n"
