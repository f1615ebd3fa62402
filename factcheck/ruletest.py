"""Run rules' own examples through the real pipeline (model similarity included)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .claims import Claim
from .judge import judge
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
    results = []
    for rule in rules:
        res = RuleTestResult(rule)
        for expect in ("fire", "quiet"):
            for a_text, b_text in rule.examples.get(expect, []):
                a, b = Claim(a_text, source="example-a"), Claim(b_text, source="example-b")
                sim = float(vecs[a_text] @ vecs[b_text])
                finding = judge(a, b, sim, [rule])
                ok = (finding is not None) == (expect == "fire")
                res.total += 1
                res.passed += ok
                got = f"fired: {finding.message}" if finding else "quiet"
                line = f"{'ok  ' if ok else 'FAIL'} {expect}: {a_text!r} / {b_text!r} (similarity {sim:.2f}; {got})"
                res.lines.append(line)
                if not ok:
                    res.failures.append(line)
        results.append(res)
    return results
