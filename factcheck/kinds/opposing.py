from __future__ import annotations

from ..claims import Claim
from ..lexicon import find_phrase, phrase_lemmas
from .base import Match, RuleKind, register, sentence_supports, shared_content, span_evidence


@register
class Opposing(RuleKind):
    """Groups of terms that cannot all hold of the same subject (withdraw vs reposition).

    Fires when A asserts a term of one group and B asserts a term of another, unless a claim
    asserts both groups itself. A term under negation is not asserted: "a repositioning, not a
    withdrawal" asserts only the repositioning, and denying the opposite is agreement.
    """

    name = "opposing"
    summary = "terms from opposing groups asserted about the same subject"
    default_min_similarity = 0.45
    required = ("groups",)
    schema = {
        "groups": {"type": "array", "minItems": 2, "description": "Two or more groups of words or phrases; "
                   "a term of one group opposes every term of the others.",
                   "items": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}},
        "min_shared": {"type": "integer", "minimum": 0, "default": 1,
                       "description": "Content words both claims must share besides the terms (same subject)."},
    }
    template = """\
  - id: my-opposing-rule
    kind: opposing
    description: Advance and retreat cannot both describe the same troops.
    severity: warning
    groups:                 # two or more groups; inflections and phrasal gaps are matched
      - [advance, push forward]
      - [retreat, fall back]
    examples:
      fire:
        - ["Troops advanced on the city.", "Troops retreated from the city."]
      quiet:
        - ["Troops advanced on the city.", "Troops did not retreat from the city."]
"""

    def __init__(self, params):
        super().__init__(params)
        self.groups = [[(term, phrase_lemmas(term)) for term in group] for group in params["groups"]]
        self.min_shared = params.get("min_shared", 1)
        # Every term starts with one of these lemmas: a claim with none of them asserts no group.
        self.trigger_lemmas = frozenset(w for group in self.groups for _, lem in group if lem for w in lem[0])

    def _groups_in(self, claim: Claim):
        return claim.memo(("opposing", self.serial), lambda: self._find_groups(claim))

    def _find_groups(self, claim: Claim):
        asserted: dict[int, list] = {}
        present = claim.all_lemmas
        denied: dict[int, list] = {}
        if self.trigger_lemmas.isdisjoint(present):
            return asserted, denied
        for gi, group in enumerate(self.groups):
            for _term, lem in group:
                if not lem or not all(w & present for w in lem):
                    continue
                for i, j in find_phrase(claim.tokens, lem):
                    toks = claim.tokens[i:j + 1]
                    target = denied if any(t.negated for t in toks) else asserted
                    target.setdefault(gi, []).append(toks)
        return asserted, denied

    def check(self, a: Claim, b: Claim) -> Match | None:
        asserted_a, _ = self._groups_in(a)
        if not asserted_a:
            return None
        asserted_b, denied_b = self._groups_in(b)
        for ga, toks_a in asserted_a.items():
            for gb, toks_b in asserted_b.items():
                if ga == gb or gb in asserted_a or ga in asserted_b:
                    continue
                terms = {t.lower for t in toks_a[0] + toks_b[0]}
                terms |= {lem for t in toks_a[0] + toks_b[0] for lem in t.lemmas}
                if len(shared_content(a, b, terms)) < self.min_shared:
                    continue
                if not (sentence_supports(a, toks_a[0][0], b, self.min_shared)
                        and sentence_supports(b, toks_b[0][0], a, self.min_shared)):
                    continue  # in a paragraph, the term's own sentence must be about the other claim
                ea, eb = span_evidence("a", a, toks_a[0]), span_evidence("b", b, toks_b[0])
                strength = 0.95 if ga in denied_b else 0.85
                return Match(f"'{ea.text}' opposes '{eb.text}'", [ea, eb], strength)
        return None
