"""What the rule kinds that read claim frames (factcheck.frames) share: cheap gates before parsing,
matching participants and events across two claims, evidence spans. The kinds themselves
(role_reversal, slot, implicative, quantifier) each compare the same event on both sides and
report the slot that differs, naming it in the message and pointing at the words on both claims.
"""
from __future__ import annotations

from ..claims import Claim
import re

from ..frames import Mention, Predicate
from ..frames.parse import DENIAL, EVIDENCE, NEG_IMPLICATIVE, PREVENT
from .base import Evidence

# Predicates whose two participants can trade places without contradiction.
SYMMETRIC = frozenset({"meet", "talk", "draw", "tie", "marry", "negotiate", "clash", "fight", "play", "face",
                       "merge", "speak", "agree", "compete", "partner", "join", "discuss"})
PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "who", "which", "that", "this", "one"})
WIN = frozenset({"win", "beat", "defeat", "take", "claim", "capture", "clinch", "secure", "top", "lead", "receive",
                 "elect", "go", "award"})
FACTIVE_CUES = frozenset({"admit", "acknowledge", "confirm", "reveal", "concede"})
PLAIN_NEGATION = frozenset({"not", "n't", "never", "no"})


_CAP = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")
_PLACE_HINT = re.compile(r"\b(?:in|at|near|outside|inside|off|from)\s+(?:the\s+)?(?:[a-z]+\s+)?[A-Z]"
                         r"|\b(?:north|south|east|west)\w*\s+of\s+(?:the\s+)?[A-Z]")
IMPLICATIVE_CUES = frozenset(NEG_IMPLICATIVE | DENIAL | PREVENT | EVIDENCE - {"find", "suggest"}
                             | {"manage", "succeed", "able", "unable", "rule", "yet", "order", "announce", "approve",
                                "veto", "reject", "admit", "acknowledge", "vote"})
_QUANT_RE = re.compile(r"\b(?:all|every|each|none|only|just|nobody|everyone|neither|both|most|majority|minority|few|"
                       r"half)\b|\b(?:\d+|one|two|three|four|five|six"
                       r"|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty"
                       r"(?:-[a-z]+)?)\s+of\b|\bno\s+(?!one\b)", re.I)


_OPENING_NAME = re.compile(r"(?!(?:The|A|An|This|That|These|Those|It|He|She|They|We|I|You|His|Her|Its|Their|Our|My"
                           r"|Some|Many|Most|All|No|In|On|At|After|Before|When|If|But|And)\b)[A-Z][a-z]+")


_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")


def _named(claim: Claim) -> bool:
    """Cheap test, before parsing: does the claim name anyone or anything (a capitalised word
    that does not open the sentence)?"""
    return claim.memo("frame.named", lambda: len(_CAP.findall(claim.text)) >= 1)


def _gate(claim: Claim, key: str, test) -> bool:
    return claim.memo(("frame.gate", key), lambda: bool(test(claim)))


def same_participant(x: Mention | None, y: Mention | None) -> bool:
    if x is None or y is None:
        return False
    if x.key == y.key:
        return True
    xs, ys = x.key.split(), y.key.split()
    if x.label == "PERSON" or y.label == "PERSON":
        tx, ty = set(_key_words(x.text)), set(_key_words(y.text))
        if tx and ty and (tx <= ty or ty <= tx):
            return True  # "Brian" / "Brian Goodell"
        return bool(xs and ys and xs[-1] == ys[-1])
    return bool(xs and ys) and (set(xs) <= set(ys) or set(ys) <= set(xs)) and min(len(xs), len(ys)) >= 1 \
        and (x.named or y.named)


def _key_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", text.lower()) if w not in ("the", "a", "an", "s", "mr", "mrs", "ms", "dr")]


def compatible(x: Mention | None, y: Mention | None) -> bool:
    """Could these be the same participant? Unknown or pronouns are compatible with anything."""
    if x is None or y is None or x.key in PRONOUNS or y.key in PRONOUNS:
        return True
    return same_participant(x, y) or x.key.split()[-1:] == y.key.split()[-1:]


def aligned(pa: Predicate, pb: Predicate) -> bool:
    """Could the two predicates be one event with the same participants? Either the same agent
    and patient, or one side said without its agent ("flights have resumed" against "the airline
    has yet to resume flights"): the intransitive subject is the other side's object."""
    if compatible(pa.agent, pb.agent) and compatible(pa.patient, pb.patient):
        return True
    for x, y in ((pa, pb), (pb, pa)):
        if y.patient is None and x.patient is not None and not y.passive and same_participant(y.agent, x.patient):
            return True
        if same_participant(x.patient, y.patient) and (x.agent is None or y.agent is None):
            return True
    return False


def _in_event_sentence(claim: Claim, m: Mention, preds) -> bool:
    from ..segment import sentence_spans

    spans = claim.memo("frame.sentences", lambda: sentence_spans(claim.text))
    if len(spans) < 2 or not preds:
        return True
    here = next(((s, e) for s, e in spans if s <= m.start < e), None)
    return here is not None and any(here[0] <= p.start < here[1] for p in preds)


def _same_slot(x: Mention | None, y: Mention | None) -> bool:
    return x is not None and y is not None and x.key not in PRONOUNS and (x.key == y.key or same_participant(x, y))


def _ev(side: str, claim: Claim, m) -> Evidence:
    return Evidence(side, claim.text[m.start:m.end], m.start, m.end)


def _pred_ev(side: str, claim: Claim, p: Predicate) -> Evidence:
    s, e = p.start, p.end
    if p.marker_start >= 0:
        s, e = min(s, p.marker_start), max(e, p.marker_end)
    return Evidence(side, claim.text[s:e], s, e)


def shared_events(a: Claim, b: Claim):
    """Predicate pairs with the same lemma, asserted on both sides; an event noun matches its
    verb ('ordered the closure of the stadium' / 'declined to close the stadium')."""
    for pa in a.frame.predicates:
        for pb in b.frame.predicates:
            if pa.polarity is None or pb.polarity is None:
                continue
            if pa.lemma == pb.lemma or "object" in (pa.source, pb.source) and event_stem(pa.lemma) == event_stem(pb.lemma):
                yield pa, pb


_NOMINAL = re.compile(r"(?:ure|al|ment|ation|ion|er)$")


def event_stem(lemma: str) -> str:
    """closure / close -> clos, approval / approve -> approv, evacuation / evacuate -> evacuat,
    merger / merge -> merg: an event noun and its verb share a stem."""
    w = lemma.split()[0]
    if len(w) > 5:
        w = _NOMINAL.sub("", w)
    return w[:-1] if w.endswith("e") else w


# Verbs news uses for one act with the same two roles: "Harlan agreed to acquire Tobrin" /
# "Tobrin is buying Harlan"; "was rammed by" / "was struck by".
EVENT_SYNONYMS = (
    {"acquire", "buy", "purchase", "absorb", "take over"}, {"ram", "strike", "hit"}, {"beat", "defeat", "overcome"},
    {"sue", "take to court"}, {"attack", "assault"}, {"sell", "transfer"}, {"lend", "loan"}, {"pay", "compensate"},
    {"hire", "recruit", "appoint"}, {"fire", "sack", "dismiss"}, {"trade", "send", "ship"}, {"hand", "pass", "give"},
    {"interview", "question"}, {"knock", "floor"}, {"foul", "bring down", "trip"},
    {"close", "shut", "shut down", "close down"},
)
_SYNONYM = {w: frozenset(g) for g in EVENT_SYNONYMS for w in g}


def like_events(a: Claim, b: Claim):
    """Predicate pairs that tell one act: the same lemma or two words of EVENT_SYNONYMS."""
    for pa in a.frame.predicates:
        for pb in b.frame.predicates:
            if pa.polarity is None or pb.polarity is None:
                continue
            if pa.lemma == pb.lemma or pb.lemma in _SYNONYM.get(pa.lemma, ()):
                yield pa, pb


def _same_name(x: str, y: str) -> bool:
    wx, wy = set(_key_words(x)), set(_key_words(y))
    return bool(wx and wy) and (wx <= wy or wy <= wx)
