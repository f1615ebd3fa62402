"""Implicatives, factives and disputes: asserted on one side, denied on the other through a verb
that implies it ("refused to sign", "ruled out", "denied that")."""
from __future__ import annotations

from ..claims import Claim
import re
from dataclasses import replace

from ..frames import Mention, Predicate
from ..frames.parse import DENIAL, EVIDENCE, REPORTING
from .base import Match, RuleKind, register, shared_content
from .frame import (
    FACTIVE_CUES, IMPLICATIVE_CUES, PLAIN_NEGATION, PRONOUNS, _gate, _key_words, _pred_ev, aligned,
    compatible, same_participant, shared_events,
)
from .slot import EVIDENCE_NOUNS, _proper, _shown


@register
class Implicative(RuleKind):
    """The same predicate asserted on one side and denied on the other through an implicative or
    factive verb: "refused to sign" vs "signed", "ruled out a recount" vs "ordered a recount",
    "managed to contain" vs "failed to contain", "denied that X" vs "records show X" (a dispute)."""

    reads_frames = True
    name = "implicative"
    summary = "a verb's complement asserted on one side, denied through refuse/fail/rule out/deny on the other"
    default_min_similarity = 0.55
    schema = {
        "plain_negation": {"type": "boolean", "default": False,
                           "description": "Also fire when the denial is a plain 'not' (the negation kind's job)."},
        "disputes_only": {"type": "boolean", "default": False,
                          "description": "Only a denial ('denied that X') against evidence or an admission "
                                         "('records show X'); the objects may be worded differently."},
    }
    template = """\
  - id: my-implicative-rule
    kind: implicative
    description: A refusal reported as a signature.
    severity: warning
    examples:
      fire:
        - ["The president refused to sign the treaty.", "The president signed the treaty."]
      quiet:
        - ["The president refused to sign the treaty.", "The president did not sign the treaty."]
"""

    def __init__(self, params):
        super().__init__(params)
        self.plain = params.get("plain_negation", False)
        self.disputes = params.get("disputes_only", False)

    def wants(self, c: Claim) -> bool:
        if self.disputes:
            return _gate(c, "dispute", lambda c: not c.all_lemmas.isdisjoint(DENIAL | EVIDENCE | FACTIVE_CUES))
        if self.plain and c.has_negation:
            return True
        return _gate(c, "implicative", lambda c: not c.all_lemmas.isdisjoint(IMPLICATIVE_CUES))

    def check(self, a: Claim, b: Claim) -> Match | None:
        if not (self.wants(a) or self.wants(b)) or len(shared_content(a, b)) < 2:
            return None
        if self.disputes:
            return self._denial(a, b) or self._reported_denial(a, b)
        return self._denial(a, b) or (None if self.plain else _declined(a, b) or _declined(b, a, flip=True))

    def _reported_denial(self, a: Claim, b: Claim) -> Match | None:
        """A source's own word against evidence, the act told in other words: 'the ministry says
        no civilians were harmed' / 'hospital records show six civilians were injured'; 'Police
        said officers did not use tear gas' / 'video shows officers firing tear gas'."""
        for neg_claim, pos_claim in ((a, b), (b, a)):
            if not _shown(pos_claim) or pos_claim.has_negation:
                continue
            said = [p for p in neg_claim.frame.predicates if p.lemma in REPORTING | DENIAL and p.polarity is True
                    and p.agent is not None and p.agent.key not in EVIDENCE_NOUNS]
            if not said:
                continue
            for neg in neg_claim.frame.predicates:
                if neg.start < said[0].end or not _denied(neg):
                    continue
                for pos in pos_claim.frame.predicates:
                    if pos.polarity is not True or pos.source not in ("evidence", "factive") and not _shown(pos_claim):
                        continue
                    if pos.lemma in REPORTING | EVIDENCE or not _one_act(neg.lemma, pos.lemma):
                        continue
                    if not _same_party(neg.patient, pos.patient) and not _told_of(neg.patient, pos.patient, neg_claim) \
                            and not (
                            neg.agent is not None and pos.agent is not None and not pos.passive and not neg.passive
                            and _same_party(neg.agent, pos.agent) and compatible(neg.patient, pos.patient)):
                        continue
                    if neg.agent is not None and pos.agent is not None and not compatible(neg.agent, pos.agent) \
                            and not _same_party(neg.agent, pos.agent):
                        continue  # 'troops' / 'rebels' did it
                    en, ep = _pred_ev("a", neg_claim, neg), _pred_ev("b", pos_claim, pos)
                    if neg_claim is b:
                        en, ep = replace(en, side="b"), replace(ep, side="a")
                    return Match(f"denied ('{en.text}', said by {said[0].agent.text}) vs shown ('{ep.text}')",
                                 [en, ep] if neg_claim is a else [ep, en], 0.8, relation="dispute")
        return None

    def _denial(self, a: Claim, b: Claim) -> Match | None:
        for pa, pb in shared_events(a, b):
            if pa.polarity == pb.polarity:
                continue
            neg, pos = (pa, pb) if pa.polarity is False else (pb, pa)
            marker = (neg.marker or "").lower()
            if not self.plain and (not marker or marker in PLAIN_NEGATION):
                continue
            if pa.lemma in REPORTING and (pa.patient is None or pb.patient is None):
                continue  # "did not say that X" is no denial of X, nor of a saying that matters
            pos_claim = b if pos is pb else a
            is_dispute = neg.source == "denial" and (pos.source in ("evidence", "factive") or _shown(pos_claim))
            if self.disputes and not is_dispute:
                continue
            if pos.agent is not None and pos.agent.key in EVIDENCE_NOUNS:
                # "diaries show Delacour met lobbyists", parsed with the diaries as the doer
                pos = replace(pos, agent=None)
                pa, pb = (pa, pos) if pos_claim is b else (pos, pb)
            # a denial against evidence: the same act by the same doer, its object in other words
            # ("a civilian area" / "a residential neighbourhood")
            if not (aligned(pa, pb) or self.disputes and compatible(pa.agent, pb.agent) and pa.agent is not None
                    and pb.agent is not None):
                continue
            ea, eb = _pred_ev("a", a, pa), _pred_ev("b", b, pb)
            relation = "dispute" if is_dispute else None
            if relation:
                msg = f"denied ('{(ea if neg is pa else eb).text}') vs shown ('{(eb if neg is pa else ea).text}')"
            else:
                msg = f"'{ea.text}' vs '{eb.text}': '{pa.lemma}' asserted on one side, denied on the other"
            return Match(msg, [ea, eb], 0.85, relation=relation)
        return None


_DECLINE = frozenset({"decline", "refuse", "reject", "spurn", "snub", "forgo", "forego", "renounce"})
_TAKE = frozenset({"accept", "get", "receive", "take", "collect", "pocket", "win"})


def _declined(a: Claim, b: Claim, flip: bool = False) -> Match | None:
    """'He declined the Britannia Award' / 'White got the Britannia Award': a thing turned down
    on one side is taken on the other, by the same hands."""
    for pa in a.frame.predicates:
        if pa.lemma not in _DECLINE or pa.polarity is not True or pa.patient is None:
            continue
        for pb in b.frame.predicates:
            if pb.lemma not in _TAKE or pb.polarity is not True or pb.patient is None or pb.passive:
                continue
            if not _same_party(pa.patient, pb.patient) or not compatible(pa.agent, pb.agent):
                continue
            if pa.agent is not None and pb.agent is not None and pa.agent.key not in PRONOUNS \
                    and not same_participant(pa.agent, pb.agent):
                continue
            ea, eb = _pred_ev("a", a, pa), _pred_ev("b", b, pb)
            if flip:
                ea, eb = replace(eb, side="a"), replace(ea, side="b")
            return Match(f"'{ea.text}' vs '{eb.text}': {pb.patient.text} turned down on one side, taken on the other",
                         [ea, eb], 0.8)
    return None


# One act told with two verbs when a source's denial meets the evidence against it.
DISPUTED_ACTS = ({"steal", "take", "obtain", "access"}, {"discharge", "release", "dump", "spill", "leak", "pour"},
                 {"tell", "inform", "warn", "notify", "brief", "alert"}, {"harm", "injure", "hurt", "wound", "kill"},
                 {"use", "fire", "deploy", "shoot"}, {"pay", "receive", "accept", "give", "donate"},
                 {"meet", "visit"}, {"hit", "strike", "shell", "bomb"})
_ACT = {w: frozenset(g) for g in DISPUTED_ACTS for w in g}


def _one_act(x: str, y: str) -> bool:
    return x == y or y in _ACT.get(x, ())


def _denied(p: Predicate) -> bool:
    """Denied outright ('did not use', 'never told') or of no participant ('no civilians were harmed')."""
    if p.polarity is False:
        return (p.marker or "").lower() in PLAIN_NEGATION | {"denied", "deny", "denies"} or p.source == "denial"
    return p.polarity is True and any(m is not None and re.match(r"(?:no|none of)\s", m.text.lower())
                                      for m in (p.patient if p.passive else p.agent, p.patient))


def _told_of(pronoun: Mention | None, name: Mention | None, claim: Claim) -> bool:
    """'Price says he was never told' / 'Price was informed': the speaker speaks of himself."""
    return pronoun is not None and name is not None and pronoun.key in PRONOUNS and _proper(name, claim, claim) \
        and bool(_key_words(name.text)) and all(w in claim.text.lower() for w in _key_words(name.text))


def _same_party(x: Mention | None, y: Mention | None) -> bool:
    """One participant told in both: a shared content word ('no civilians' / 'six civilians',
    'tear gas' / 'tear gas canisters'), numbers and quantifiers aside."""
    if x is None or y is None:
        return False
    if same_participant(x, y):
        return True
    stop = {"no", "any", "all", "some", "its", "his", "her", "their", "the", "a", "an", "of", "none"}
    wx = {w for w in re.findall(r"[a-z]+", x.text.lower()) if w not in stop and len(w) > 2}
    wy = {w for w in re.findall(r"[a-z]+", y.text.lower()) if w not in stop and len(w) > 2}
    return bool(wx & wy)


