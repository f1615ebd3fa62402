from __future__ import annotations

from ..claims import Claim
from .base import Evidence, Match, RuleKind, register, sentence_supports, shared_content
from ..lexicon import _pos, base_lemma, same_act


@register
class Negation(RuleKind):
    """The same proposition asserted by one claim and denied by the other.

    A content word must be negated everywhere in one claim and asserted everywhere in the other,
    and the claims must share enough other words to be about the same thing. Words that differ
    ("will remain" vs "will not be lifted") are left to opposing-term rules, which treat a denied
    opposite as agreement.
    """

    name = "negation"
    summary = "one claim denies what the other asserts"
    default_min_similarity = 0.55
    schema = {
        "min_shared": {"type": "integer", "minimum": 1, "default": 2,
                       "description": "Content lemmas both claims must share, the negated one included."},
        "ignore_terms": {"type": "array", "items": {"type": "string"},
                         "description": "Lemmas whose negation never counts (e.g. 'say')."},
        "terms": {"type": "array", "items": {"type": "string"},
                  "description": "If given, only these lemmas count as the negated proposition."},
    }
    template = """\
  - id: my-negation-rule
    kind: negation
    description: One side denies the event the other reports.
    severity: warning
    min_shared: 2
    examples:
      fire:
        - ["The talks produced a breakthrough.", "The talks yielded no breakthrough."]
      quiet:
        - ["The talks produced no breakthrough.", "The talks yielded no breakthrough."]
"""

    def __init__(self, params):
        super().__init__(params)
        self.min_shared = params.get("min_shared", 2)
        self.ignore = set(params.get("ignore_terms", ())) | {"say", "tell", "report"}
        self.only = set(params.get("terms", ()))

    @staticmethod
    def _polarity(claim: Claim) -> dict[str, tuple[set[bool], list]]:
        return claim.memo("negation.polarity", lambda: Negation._compute_polarity(claim))

    @staticmethod
    def _compute_polarity(claim: Claim) -> dict[str, tuple[set[bool], list]]:
        out: dict[str, tuple[set[bool], list]] = {}
        for t in claim.tokens:
            if not t.content:
                continue
            key = base_lemma(t.lemmas)
            pol, toks = out.setdefault(key, (set(), []))
            pol.add(t.negated)
            toks.append(t)
        return out

    def check(self, a: Claim, b: Claim) -> Match | None:
        if not (a.has_negation or b.has_negation):  # most pairs: nothing is denied, nothing to find
            return None
        pa, pb = self._polarity(a), self._polarity(b)
        shared = shared_content(a, b)
        if len(shared) < self.min_shared:
            return None
        for lemma in sorted(shared):
            if lemma in self.ignore or (self.only and lemma not in self.only):
                continue
            if lemma not in pa or lemma not in pb:
                continue
            (pol_a, toks_a), (pol_b, toks_b) = pa[lemma], pb[lemma]
            if _named_doer(a, toks_a[0]) or _named_doer(b, toks_b[0]):
                continue  # 'Neither Grelsham nor Coldwater scored' denies the scoring, not Coldwater
            if len(pol_a) == 1 and len(pol_b) == 1 and pol_a != pol_b:
                if not (sentence_supports(a, toks_a[0], b, self.min_shared)
                        and sentence_supports(b, toks_b[0], a, self.min_shared)):
                    continue
                neg_side, neg_claim, tok = ("a", a, toks_a[0]) if True in pol_a else ("b", b, toks_b[0])
                pos_claim, ptok = (b, toks_b[0]) if neg_side == "a" else (a, toks_a[0])
                cue = _cue_before(neg_claim, tok.index)
                if cue is not None and _narrower(neg_claim, cue, tok, pos_claim):
                    continue
                return _denial(neg_side, neg_claim, tok, pos_claim, ptok, 0.85)
        return self._other_verb(a, b, pa, pb, shared)

    def _other_verb(self, a: Claim, b: Claim, pa, pb, shared) -> Match | None:
        """The act denied on one side in another verb of the same act on the other ('sailed from
        Saltmarsh' / 'did not leave Saltmarsh'): both polar throughout, and the claims still share
        min_shared content words besides."""
        if len(shared) < self.min_shared:
            return None
        for neg, pos, pn, pp, ns in ((a, b, pa, pb, "a"), (b, a, pb, pa, "b")):
            for pol, toks in pn.values():
                if pol != {True}:
                    continue
                others = same_act(toks[0].lemmas) - self.ignore
                hit = next((k for k, (pol2, toks2) in pp.items() if pol2 == {False}
                            and not others.isdisjoint(toks2[0].lemmas)), None)
                if hit is None:
                    continue
                return _denial(ns, neg, toks[0], pos, pp[hit][1][0], 0.8)
        return None


def _denial(neg_side: str, neg: Claim, tok, pos: Claim, ptok, strength: float) -> Match:
    """The match: the denied word from its cue on one side, the asserted word on the other."""
    cue = _cue_before(neg, tok.index)
    s = cue.start if cue else tok.start
    ev_neg = Evidence(neg_side, neg.text[s:tok.end], s, tok.end)
    ev_pos = Evidence("b" if neg_side == "a" else "a", pos.text[ptok.start:ptok.end], ptok.start, ptok.end)
    return Match(f"'{ev_pos.text}' is asserted on one side and denied ('{ev_neg.text}') on the other",
                 sorted([ev_neg, ev_pos], key=lambda e: e.side), strength)


# Words after a cue that stress the denial, not narrow it: 'not a single passenger', 'no real breakthrough'.
_NOT_NARROWING = frozenset({"single", "one", "any", "more", "further", "real", "actual", "genuine", "such", "sign",
                            "signs"})


def _named_doer(claim: Claim, tok) -> bool:
    """A name under 'neither ... nor': the doers of a denied act, not what is denied ('rather
    than Ostrander Stadium' and 'far from the Corrin Valley' do deny a place)."""
    if not (tok.index > 0 and tok.text[:1].isupper() and tok.negated):
        return False
    cue = _cue_before(claim, tok.index)
    return cue is not None and cue.lower in ("neither", "nor")


def _narrower(neg: Claim, cue, tok, pos: Claim) -> bool:
    """'There is no brown dog in the water' does not deny 'A dog with golden fur is in the
    water', nor 'No new measles cases were reported' the 30 children treated: the denial names a
    narrower thing, by an adjective between the cue and the denied word that the other claim
    lacks ('no lady cutting meat' still denies 'a woman cuts meat': nouns are left to the rule)."""
    if not tok.lower[:1].isalpha() or tok.index - cue.index > 4:
        return False
    between = neg.tokens[cue.index + 1:tok.index]
    return any(t.content and t.negated and t.lower not in _NOT_NARROWING and "ADJ" in _pos(t.lower)
               and base_lemma(t.lemmas) not in pos.content_keys and not (t.lemmas & pos.all_lemmas) for t in between)


def _cue_before(claim: Claim, index: int):
    for t in reversed(claim.tokens[:index]):
        if t.is_cue:
            return t
    return None


