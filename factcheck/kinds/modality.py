from __future__ import annotations

from ..claims import Claim
from ..lexicon import find_phrase, phrase_lemmas, base_lemma
from .base import Match, RuleKind, register, shared_content, span_evidence

CERTAIN = ["will", "shall", "is set to", "is certain to", "is sure to", "has confirmed", "definitely", "certainly",
           "is going to", "guaranteed"]
RULED_OUT = ["won't", "will not", "cannot", "can't", "is unlikely to", "ruled out", "rules out", "no chance",
             "impossible", "has no plans to", "will never", "is not going to"]


@register
class Modality(RuleKind):
    """Certainty against ruling-out about the same action ("will begin" vs "is unlikely to begin").

    Hedges ("may", "likely") never fire on their own: the judge lowers a finding's confidence when a
    claim is hedged.
    """

    name = "modality"
    summary = "one claim says an action is certain, the other rules it out"
    default_min_similarity = 0.55
    symmetric = False
    schema = {
        "certain": {"type": "array", "items": {"type": "string"}, "description": "Markers of a certain future."},
        "ruled_out": {"type": "array", "items": {"type": "string"}, "description": "Markers that rule it out."},
        "min_shared": {"type": "integer", "minimum": 1, "default": 2,
                       "description": "Content lemmas both claims must share (the action and its subject)."},
    }
    template = """\
  - id: my-modality-rule
    kind: modality
    description: An action announced as certain by one side and ruled out by the other.
    severity: warning
    certain: [will, is set to]
    ruled_out: [won't, is unlikely to, ruled out]
    examples:
      fire:
        - ["The central bank will raise rates in June.", "The central bank is unlikely to raise rates in June."]
      quiet:
        - ["The central bank will raise rates in June.", "The central bank is set to raise rates in June."]
"""

    def __init__(self, params):
        super().__init__(params)
        self.certain = [phrase_lemmas(p) for p in params.get("certain", CERTAIN)]
        self.ruled_out = [phrase_lemmas(p) for p in params.get("ruled_out", RULED_OUT)]
        self.min_shared = params.get("min_shared", 2)
        # Side A needs a certainty marker, side B a ruled-out one: each claim needs one or the other.
        self.trigger_lemmas = frozenset(w for ph in self.certain + self.ruled_out if ph for w in ph[0])

    def _markers(self, claim: Claim, phrases) -> list:
        return claim.memo(("modality", self.serial, phrases is self.certain), lambda: self._find_markers(claim, phrases))

    def _find_markers(self, claim: Claim, phrases) -> list:
        hits = []
        present = claim.all_lemmas
        for ph in phrases:
            if ph and all(w & present for w in ph):
                hits.extend(claim.tokens[i:j + 1] for i, j in find_phrase(claim.tokens, ph, max_gap=0))
        return hits

    @staticmethod
    def _action(claim: Claim, marker) -> str | None:
        """The verb a marker governs: the first content word after it."""
        for t in claim.tokens[marker[-1].index + 1:marker[-1].index + 5]:
            if t.content:
                return base_lemma(t.lemmas)
        return None

    def check(self, a: Claim, b: Claim) -> Match | None:
        sure_a = [h for h in self._markers(a, self.certain) if not any(t.negated or t.is_cue for t in h)]
        if not sure_a or self._markers(a, self.ruled_out):
            return None
        neg_b = self._markers(b, self.ruled_out)
        if not neg_b or len(shared_content(a, b)) < self.min_shared:
            return None
        for ma in sure_a:
            act = self._action(a, ma)
            for mb in neg_b:
                if act is not None and act == self._action(b, mb):
                    ea, eb = span_evidence("a", a, ma), span_evidence("b", b, mb)
                    return Match(f"'{ea.text} {act}' (certain) vs '{eb.text} {act}' (ruled out)", [ea, eb], 0.75)
        return None
