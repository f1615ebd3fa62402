"""Run rules' own examples through the real pipeline (model similarity included)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .claims import Claim
from .judge import judge, needs_frames
from .ruleset import Rule


@dataclass
class RuleTestResult:
    rule: Rule
    passed: int = 0
    total: int = 0
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.passed == self.total and self.total > 0


def run_rule_examples(rules: list[Rule], model: str | None = None, encoder=None, backend: str | None = None) -> list[RuleTestResult]:
    """Each example is judged by its own rule alone, at the similarity the model gives the pair:
    a 'fire' pair must be flagged by that rule, a 'quiet' pair must not be."""
    if encoder is None:
        from .embedding import Encoder

        encoder = Encoder(model, backend=backend)
    texts = sorted({t for r in rules for pairs in r.examples.values() for pair in pairs for t in pair})
    vecs = dict(zip(texts, encoder.encode(texts))) if texts else {}
    cases = [(rule, expect, Claim(a_text, source="example-a"), Claim(b_text, source="example-b"))
             for rule in rules for expect in ("fire", "quiet") for a_text, b_text in rule.examples.get(expect, [])]
    sims = [float(vecs[a.text] @ vecs[b.text]) for _, _, a, b in cases]
    # The frames the examples need, parsed in one batch: one spaCy call per sentence took most
    # of a `rules test` of the bundled pack.
    from .frames import reader

    reader().attach([c for (rule, _, a, b), sim in zip(cases, sims) if needs_frames(a, b, sim, [rule]) for c in (a, b)])
    results = {id(rule): RuleTestResult(rule) for rule in rules}
    for (rule, expect, a, b), sim in zip(cases, sims):
        res = results[id(rule)]
        finding = judge(a, b, sim, [rule])
        ok = (finding is not None) == (expect == "fire")
        res.total += 1
        res.passed += ok
        got = f"fired: {finding.message}" if finding else "quiet"
        line = f"{'ok  ' if ok else 'FAIL'} {expect}: {a.text!r} / {b.text!r} (similarity {sim:.2f}; {got})"
        res.lines.append(line)
        if not ok:
            res.failures.append(line)
    return list(results.values())
