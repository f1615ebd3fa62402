"""Frame vetoes: reasons two claims that a rule matched are not about the same thing.

A contradiction needs the same subject at the same time and place. Rather than one similarity
gate per rule, the claim frames decide: different named subjects, different places, explicitly
different times (an update), a claim about a part ("five other counts"), counts of different
things, and double negation ("not without merit") overrule a match. Pure functions of two claims.
"""
from __future__ import annotations

import re

from .claims import Claim
from .dates import CALENDAR_WORDS
from .lexicon import (ACT_NOUNS, STOPWORDS, base_lemma, lemmas_of, mentions_same_thing, names_people,
                      people_and_kind, same_thing)
from .quantities import _UNITS, find_quantities
from .frames.parse import COMPASS, PLACE_NOUNS, SCOPE_WORDS

VETOES = ("subject", "actor", "place", "time", "scope", "thing", "object", "double-negation", "open", "direction", "event",
          "denied-value", "ordinal")
_TIME_STOP = frozenset({"on", "the", "at", "in", "of", "by", "as", "early", "late", "a", "an", "from", "to", "and",
                        "year", "years", "month", "months", "week", "weeks", "day", "days", "night", "morning",
                        "evening", "afternoon", "s"})
_PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i", "you", "this", "that", "these", "those", "which", "who",
                       "there", "one", "what", "all", "some", "each", "both"})
_ANYONE = frozenset({"nobody", "everybody", "everyone", "someone", "somebody", "anyone", "anybody", "none", "nothing",
                     "something", "everything", "no one", "people", "person", "man", "woman", "group"})
_COPULAS = frozenset({"be", "become", "seem", "appear"})
_CONTAINS = frozenset({"include", "contain", "comprise", "involve"})  # "the plan includes 400 job cuts"
# Verbs whose subject judges someone else's act ("Pentagon sees repositioning"); not "report",
# whose subject usually reports its own results ("Northmere Bank reported a rise").
_OBSERVERS = frozenset({"see", "describe", "call", "view", "consider", "brand", "label", "characterise",
                        "characterize", "regard", "dismiss"})
_OPENERS = frozenset({"deny", "confirm", "say", "whether", "true", "false", "clear"})
_TIMEISH = frozenset({"now", "currently", "today", "tonight", "yesterday", "tomorrow", "final", "initially",
                      "earlier", "later", "previously", "formerly", "originally", "still", "already", "year",
                      "month", "week", "day", "morning", "evening", "night", "afternoon", "season", "quarter",
                      "noon", "midday", "midnight", "dawn", "dusk", "open", "close", "since", "ago", "last", "next",
                      "afterwards", "subsequently", "spring", "summer", "autumn", "winter", "january", "february",
                      "march", "april", "may", "june", "july", "august", "september", "october", "november",
                      "december"})
# Words that tell one claim as coming after something else: 'released on bail the next day',
# 'has since fallen to 3 percent'. A claim told as a sequel is an update, not a conflict.
_SEQUEL = re.compile(r"\b(?:the\s+(?:next|following)\s+(?:day|morning|week|month|year)|(?:has|have|had)\s+since"
                     r"|afterwards|subsequently)\b", re.I)
_SCOPEISH = frozenset(SCOPE_WORDS | {"most", "some", "several", "many", "few", "part"})
_KINDS_WITH_ACTOR = frozenset({"negation", "opposing", "modality", "pattern"})
_KINDS_WITH_SCOPE = frozenset({"opposing", "negation", "numeric", "implicative", "pattern", "modality", "quantifier"})


def _could_apply(name: str, kind: str, a: Claim, b: Claim) -> bool:
    """Cheap word tests, before any parse: most vetoes need words that most pairs lack (names,
    place words, times, scope words), so most matched pairs are never parsed."""
    if name == "double-negation":
        return kind == "negation" and any(_negations(c) >= 2 or not c.all_lemmas.isdisjoint(_OPENERS)
                                          or (_negations(c) and not any(t.is_cue for t in c.tokens)) for c in (a, b))
    if name == "open":
        return kind == "negation"
    if name == "subject":
        return _capitalised(a) and _capitalised(b)
    if name == "place":
        return kind != "slot" and _capitalised(a) and _capitalised(b) or \
            (not a.all_lemmas.isdisjoint(PLACE_NOUNS) and not b.all_lemmas.isdisjoint(PLACE_NOUNS))
    if name == "time":
        return kind != "date" and (all(c.dates or not c.all_lemmas.isdisjoint(_TIMEISH)
                                       or any(q.unit == "clock" for q in c.quantities) for c in (a, b))
                                   or any(_SEQUEL.search(c.text) for c in (a, b)))
    if name == "actor":
        return kind in _KINDS_WITH_ACTOR
    if name == "scope":
        return kind in _KINDS_WITH_SCOPE and any(not c.all_lemmas.isdisjoint(_SCOPEISH) or " of the " in c.text
                                                 for c in (a, b))
    if name in ("thing", "object"):
        return kind in ("numeric", "opposing", "pattern")
    if name == "direction":
        return kind != "slot" and all(not c.all_lemmas.isdisjoint(COMPASS) for c in (a, b))
    if name == "event":
        return kind == "date"
    if name == "denied-value":
        return kind in ("numeric", "date") and a.has_negation != b.has_negation
    if name == "ordinal":
        return bool(_ORDINAL.search(a.text) and _ORDINAL.search(b.text))
    return True


# Negations that bound a value rather than deny it: 'not until 9 p.m.', 'no more than 300'.
_BOUNDING = re.compile(r"\b(?:not|no)\s+(?:until|till|before|after|earlier|later|more|less|fewer|longer|sooner|only)\b",
                       re.I)


_VERB_DENIALS = frozenset({"not", "n't", "never"})


def _denied_value(a: Claim, b: Claim, evidence) -> bool:
    """A value denied on one side is no conflict with another value asserted on the other: 'the
    ban covers take-offs between midnight and 5 a.m.' / 'take-offs at 7 a.m. are not affected';
    'the 2024 models are recalled' / 'the 2025 models are not covered'. The negation must stand
    in the value's own sentence, and must not bound the value ('not until 9 p.m.')."""
    from .segment import sentence_spans

    for e in evidence:
        c = a if e.side == "a" else b
        if not c.has_negation or _BOUNDING.search(c.text):
            continue
        spans = sentence_spans(c.text) or [(0, len(c.text))]
        s, t = next(((s, t) for s, t in spans if s <= e.start < t), (0, len(c.text)))
        if any(tok.is_cue and tok.lower in _VERB_DENIALS and s <= tok.start < t for tok in c.tokens):
            return True  # 'without electricity for four hours' denies the power, not the hours
    return False


_ORDINAL = re.compile(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last)\s+([a-z]+)", re.I)


def _different_ordinals(a: Claim, b: Claim) -> bool:
    """'Granted bail to the first defendant' / 'bail was refused to the second defendant': one
    noun with two ordinals names two things."""
    oa = {(m.group(2).lower(), m.group(1).lower()) for m in _ORDINAL.finditer(a.text)}
    ob = {(m.group(2).lower(), m.group(1).lower()) for m in _ORDINAL.finditer(b.text)}
    for noun, o in oa:
        others = {x for n, x in ob if n == noun}
        if others and o not in others and not any(n == noun and x in others for n, x in oa if x != o):
            return True
    return False


def _negations(c: Claim) -> int:
    return sum(1 for t in c.tokens if t.is_cue) + sum(1 for t in c.tokens if t.lower.startswith(("un", "in", "im"))
                                                      and len(t.lower) > 5)


def _capitalised(c: Claim) -> bool:
    return c.memo("vetoes.caps", lambda: bool(re.search(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]", c.text)))


def veto(kind: str, exempt: frozenset[str], a: Claim, b: Claim, evidence) -> str | None:
    """The name of the first veto that applies, or None. Only runs once a rule has matched, so
    claims are parsed only when a finding is at stake, and only when a veto's words are there."""
    wanted = [v for v in VETOES if v not in exempt and _could_apply(v, kind, a, b)]
    if not wanted:
        return None
    if "denied-value" in wanted and _denied_value(a, b, evidence):
        return "denied-value"
    if "ordinal" in wanted and _different_ordinals(a, b):
        return "ordinal"
    fa, fb = a.frame, b.frame
    exempt = frozenset(exempt) | (frozenset(VETOES) - frozenset(wanted))
    if "double-negation" not in exempt and kind == "negation":
        for e in evidence:
            f = fa if e.side == "a" else fb
            if any(e.start <= s < e.end for s in f.double_negated):
                return "double-negation"
            c = a if e.side == "a" else b
            if f.double_negated and sum(1 for t in c.tokens if t.is_cue) <= 2:
                return "double-negation"  # the cue matched ('Not a single passenger') is one of the two
    if "open" not in exempt and kind == "negation":
        for e in evidence:
            f = fa if e.side == "a" else fb
            if any(p.polarity is None and p.marker_start >= 0 and e.start <= p.marker_start < e.end
                   for p in f.predicates):
                return "open"  # "did not deny that X" vs "did not confirm that X": nothing denied
    if "open" not in exempt and kind == "negation" and _negated_bystander(a, b, evidence):
        return "open"
    if "open" not in exempt and kind == "negation" and _denied_word_is_a_time(a, b, evidence):
        return "open"  # 'production will cease in March' does not deny March
    if "double-negation" not in exempt and kind == "negation" and _both_negative(a, b, evidence):
        return "double-negation"
    if "subject" not in exempt and (_different_subjects(a, b) or kind not in ("slot", "role_reversal", "date")
                                    and _differently_named(a, b)):
        return "subject"
    if "actor" not in exempt and kind in _KINDS_WITH_ACTOR and _different_actors(a, b, evidence):
        return "actor"
    if "place" not in exempt and kind != "slot" and (_different_places(a, b) or _different_unnamed_places(a, b)):
        return "place"
    if "time" not in exempt and kind != "date" and _different_times(a, b):
        return "time"
    if "scope" not in exempt and kind in _KINDS_WITH_SCOPE and _different_scopes(a, b, evidence) \
            and not (fa.quantifiers and fb.quantifiers):
        return "scope"
    if "scope" not in exempt and kind in _KINDS_WITH_SCOPE - {"numeric", "quantifier"} and (
            _part_and_member(a, b) or _parts_that_fit(a, b)):
        return "scope"
    if "thing" not in exempt and kind in _KINDS_WITH_SCOPE and _different_things(a, b):
        return "thing"
    if "object" not in exempt and kind in ("numeric", "opposing") and not (kind == "numeric" and _measures(a, b, evidence)) \
            and _different_objects(a, b, evidence):
        return "object"
    if "object" not in exempt and kind == "numeric" and (_counted_by_different_acts(a, b, evidence)
                                                         or _people_not_of_one_act(a, b, evidence)):
        return "object"
    if "object" not in exempt and kind == "opposing" and _different_complements(a, b, evidence):
        return "object"
    if "direction" not in exempt and kind != "slot" and _different_directions(a, b):
        return "direction"
    if "event" not in exempt and kind == "date" and (_different_events(a, b) or _dates_of_other_events(a, b, evidence)):
        return "event"
    return None


# Phrases that hold a scope word without limiting anything: 'in other words', 'on the other hand'.
_SCOPE_IDIOMS = re.compile(r"\b(?:in\s+other\s+words|on\s+the\s+other\s+hand|among\s+other\s+things)\b", re.I)


def _real_scopes(c: Claim) -> list:
    """The frame's scope words, less those inside an idiom ('In other words, with its 2 million
    inhabitants, Slovenia has ...' says nothing about a part)."""
    idioms = [(m.start(), m.end()) for m in _SCOPE_IDIOMS.finditer(c.text)]
    return [x for x in c.frame.scopes if not any(s <= x.start < e for s, e in idioms)]


def _scopes_at(c: Claim, evidence, side: str) -> set[str]:
    """The scope words whose clause holds the matched words on this side; every scope word of
    the claim when the match points at nothing there. 'Three people died and 17 others were
    injured': 'others' limits the injuries, not the three deaths."""
    scopes = _real_scopes(c)
    spans = [(e.start, e.end) for e in evidence if e.side == side and e.end > e.start]
    if not spans:
        return {x.key for x in scopes}
    return {x.key for x in scopes if any(x.clause_start < e and s < x.clause_end for s, e in spans)}


def _different_scopes(a: Claim, b: Claim, evidence) -> bool:
    """One side speaks of a part ('five other counts', 'some of the staff') where the other does not."""
    sa, sb = _scopes_at(a, evidence, "a"), _scopes_at(b, evidence, "b")
    return bool(sa - {x.key for x in _real_scopes(b)} or sb - {x.key for x in _real_scopes(a)})


_ONE_OF = frozenset({"one", "a", "an", "another", "the"})


def _part_and_member(a: Claim, b: Claim) -> bool:
    """'Three of the four suspects were charged' / 'One suspect was released without charge',
    'opened two of the five floodgates' / 'three of the floodgates stayed shut': one side tells
    of a part of a known whole, the other of one member or of a part that fits in the rest."""
    for x, y in ((a, b), (b, a)):
        parts = {q.noun: q for q in x.frame.quantifiers if q.kind == "count" and q.of and q.count and q.count < q.of}
        if not parts:
            continue
        if y.frame.quantifiers:
            rest = [(q, parts.get(q.noun)) for q in y.frame.quantifiers]
            if all(p is not None and q.kind == "count" and q.count and (q.of in (None, p.of))
                   and q.count + p.count <= p.of for q, p in rest):
                return True
            continue
        toks = y.tokens
        if any(t.lower in parts and k and toks[k - 1].lower in _ONE_OF for k, t in enumerate(toks)):
            return True
    return False


_FRACTION_WORDS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "tenth": 0.1}


def _least_share(q) -> float | None:
    """The least share of its group a partial quantifier may mean ('most' > 1/2, 'a third' 1/3,
    'some' next to nothing); None for all / none."""
    from .kinds.quantifier import _share

    if q.kind in ("all", "none"):
        return None
    if q.word in _FRACTION_WORDS:
        return _FRACTION_WORDS[q.word]
    s = _share(q)
    return s[0] if s is not None else 1e-3


def _parts_that_fit(a: Claim, b: Claim) -> bool:
    """'Most of the 90 workers accepted the offer' / 'Some workers voted to reject it', 'About a
    third of the flights were cancelled' / 'The majority were not cancelled': two parts of one
    group that fit in it together, so the opposite acts may both hold. 'Most accepted' / 'most
    rejected' do not fit."""
    def groups(c: Claim) -> list:
        main = c.frame.main()  # the group that does the act comes before its verb ('several
        # kilometres' after 'advanced' is how far, not who)
        return [q for q in c.frame.quantifiers if q.noun and main is not None and q.start < main.start]

    qa, qb = groups(a), groups(b)
    if not qa or not qb or any(q.kind == "none" for q in qa + qb):
        return False
    for x in qa:
        for y in qb:
            if not (x.noun == y.noun or same_thing(x.noun, y.noun)) or x.word == y.word:
                continue  # 'Some bikers are / are not getting airborne' tells one group, as SICK reads it
            lx, ly = _least_share(x), _least_share(y)
            if lx is not None and ly is not None and lx + ly <= 1.0:
                return True
    return False


def _names_in(text: str, names) -> bool:
    low = text.lower()
    return any(re.search(r"\b" + re.escape(n) + r"\b", low) for n in names if n)


def _different_subjects(a: Claim, b: Claim) -> bool:
    if any(f.main() is not None and f.main().lemma in _OBSERVERS for f in (a.frame, b.frame)):
        return False  # "Pentagon sees repositioning": the subject is who says so, not who acts
    na, nb = a.frame.subject_names, b.frame.subject_names
    if not na or not nb or set(na) & set(nb):
        return False
    if mentions_same_thing(na, nb):
        return False  # 'Russia' / 'Russian forces'
    return not _names_in(b.text, na) and not _names_in(a.text, nb)


_NAME_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)(?:['’]s)?((?:\s+[a-z]+){1,3})")


def _named_things(c: Claim) -> list[tuple[str, tuple[str, ...]]]:
    """Things told with a name before their words: 'the Corbel bottling plant' -> (corbel,
    (bottling, plant)). Names the parser leaves untagged are caught by their capitals."""
    out = []
    for m in _NAME_RUN.finditer(c.text):
        words = []
        for w in m.group(2).split():
            if w in _STOP_AFTER_NAME or w in STOPWORDS:
                break
            words.append(w)
        if words and m.group(1).lower() not in CALENDAR_WORDS:
            out.append((m.group(1).lower(), tuple(words)))
    return out


_STOP_AFTER_NAME = frozenset({"the", "a", "an", "to", "of", "in", "on", "at", "and", "or", "but", "is", "was", "are",
                              "were", "has", "had", "have", "will", "would", "said", "says", "for", "with", "by",
                              "from", "that", "which", "who", "as", "after", "before", "its", "their", "his", "her"})


def _differently_named(a: Claim, b: Claim) -> bool:
    """The same kind of thing with another name on each side: 'the Corbel bottling plant' /
    'the Tamsin bottling plant'. Neither name may appear in the other claim."""
    la, lb = a.text.lower(), b.text.lower()
    for na, wa in _named_things(a):
        for nb, wb in _named_things(b):
            k = min(len(wa), len(wb))
            if na == nb or wa[:k] != wb[:k] or len(wa[k - 1]) < 4:
                continue
            if _names_in(lb, [na]) or _names_in(la, [nb]) or set(na.split()) & set(nb.split()):
                continue
            return True
    return False


def _different_places(a: Claim, b: Claim) -> bool:
    if _shared_names(a, b) and not _two_sites(a, b):
        return False  # the same company or person in both: one event, told with two places
    # Named places only: "the Ukrainian capital" may well be Kyiv.
    pa = [m for m in a.frame.places if m.label]
    pb = [m for m in b.frame.places if m.label]
    if not pa or not pb:
        return False
    ka = {w for m in pa for w in m.key.split() if w not in PLACE_NOUNS}
    kb = {w for m in pb for w in m.key.split() if w not in PLACE_NOUNS}
    if not ka or not kb:
        return False
    if ka & kb:
        return False
    return not _names_in(b.text, [m.key for m in pa]) and not _names_in(a.text, [m.key for m in pb])


def _different_unnamed_places(a: Claim, b: Claim) -> bool:
    """'House prices in the capital rose' / 'prices in the coastal regions fell': places told
    without names, no word of either in the other claim. Only when neither claim names a place."""
    pa, pb = a.frame.places, b.frame.places
    if not pa or not pb or any(m.label for m in pa + pb):
        return False
    wa, wb = _place_words(pa), _place_words(pb)
    return bool(wa and wb) and not wa & b.all_lemmas and not wb & a.all_lemmas


_PLACE_STOP = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "that", "of", "s"})


def _place_words(places) -> set[str]:
    return {base_lemma(lemmas_of(w)) for m in places for w in re.findall(r"[a-z]+", m.text.lower())} - _PLACE_STOP


def _shared_names(a: Claim, b: Claim) -> bool:
    place_keys = {m.key for m in a.frame.places + b.frame.places}
    na = {e.key for e in a.frame.entities if e.label in ("PERSON", "ORG") and e.key not in place_keys}
    nb = {e.key for e in b.frame.entities if e.label in ("PERSON", "ORG") and e.key not in place_keys}
    if a.speaker and b.speaker:  # "..., according to Northline Rail" / "..., Northline Rail said"
        sa = {w.lower() for w in re.findall(r"[A-Z][a-z]+", a.speaker)}
        sb = {w.lower() for w in re.findall(r"[A-Z][a-z]+", b.speaker)}
        if sa & sb:
            return True
    return bool(na & nb)


def _time_words(claim: Claim) -> set[str]:
    """The words that place the claim in time. 'This year' and 'last year' keep their
    'this' / 'last' (the frame's key drops them with the article): they are the time."""
    times = claim.frame.times
    words = {_PERIODS.get(w, w) for m in times for w in re.findall(r"[a-z0-9]+", m.key) if w not in _TIME_STOP}
    words |= {w for m in times for w in re.findall(r"[a-z]+", m.text.lower()[:5]) if w in ("this", "last", "next")}
    return words


_DEICTIC = frozenset({"last", "this", "next"})
_PERIODS = {"quarterly": "quarter", "annual": "year", "annually": "year", "yearly": "year", "monthly": "month",
            "weekly": "week", "daily": "day"}  # 'quarterly earnings' / 'for the quarter'


def _different_times(a: Claim, b: Claim) -> bool:
    sa = {m.key for m in a.frame.times if m.key.startswith("session ")}
    sb = {m.key for m in b.frame.times if m.key.startswith("session ")}
    if sa and sb and not sa & sb:
        return True  # the open and the close of one trading day
    ta, tb = _time_words(a), _time_words(b)
    for x, tx, ty in ((a, ta, tb), (b, tb, ta)):
        if not ty and _SEQUEL.search(x.text) and not tx - {"next", "following", "later"}:
            return True  # told as the sequel of the other: 'arrested a suspect' / 'released him the next day'
    if _SEQUEL.search(a.text):
        ta = ta | {"later"}
    if _SEQUEL.search(b.text):
        tb = tb | {"later"}
    da, db = ta & _DEICTIC, tb & _DEICTIC
    if da and db and not da & db:
        return True  # 'last season' / 'this season': one period word, two periods
    if not ta or not tb or ta & tb:
        return False
    if "ago" in ta | tb and any(w.isdigit() for w in ta | tb):
        return False  # "two years ago" may well be "in 2024": a reckoning back, not another time
    return not (ta <= a.all_lemmas & b.all_lemmas) and not (tb <= a.all_lemmas & b.all_lemmas)


def _different_things(a: Claim, b: Claim) -> bool:
    """'Revenue rose to $3.2 billion' vs 'net profit rose to $410 million': different measures."""
    sa, sb = a.frame.subject, b.frame.subject
    if not sa or not sb or sa == sb or " " in sa or " " in sb or {sa, sb} & _PRONOUNS:
        return False
    if any(f.main() is not None and f.main().lemma in _COPULAS | _CONTAINS for f in (a.frame, b.frame)):
        return False  # "the movement was a repositioning": the subject only points at the event
    if people_and_kind(sa, sb):
        return False  # 'protesters' / 'people': one group told two ways; the count vetoes ask for one act
    if find_quantities(sa) or find_quantities(sb) or sa[:1].isdigit() or sb[:1].isdigit():
        return False  # "Nineteen of the wagons": the subject is a count, not a thing
    if sa in a.frame.subject_names or sb in b.frame.subject_names:
        return False
    if not lemmas_of(sa).isdisjoint(b.all_lemmas) or not lemmas_of(sb).isdisjoint(a.all_lemmas):
        return False  # "spending" names the act the other side tells with the verb "spend"
    return not _same_thing_told(a, b)


def _words_of(claim: Claim, m) -> set[str]:
    """The plain words of a mention ('the jobless rate' -> jobless, rate): names and possessors
    left out ('Halloway Group's net profit' -> net, profit; 'the airport's terminal' -> terminal)."""
    names = [(e.start, e.end) for e in claim.frame.entities]
    return {base_lemma(t.lemmas) for t in claim.tokens if m.start <= t.start < m.end and t.content
            and not t.lower.endswith(("'s", "’s")) and not any(s <= t.start < e for s, e in names)}


def _subject_of(p):
    return None if p is None else (p.patient if p.passive else p.agent)


def _same_thing_told(a: Claim, b: Claim) -> bool:
    """Do the two claims name their subjects in other words ('shares' / 'stock')?"""
    ma, mb = _subject_of(a.frame.main()), _subject_of(b.frame.main())
    return ma is not None and mb is not None and mentions_same_thing(_words_of(a, ma), _words_of(b, mb))


def _different_objects(a: Claim, b: Claim, evidence=()) -> bool:
    """'Won the league title three times' vs 'lifted the national cup five times'."""
    pa, pb = a.frame.main(), b.frame.main()
    if pa is None or pb is None or pa.patient is None or pb.patient is None or pa.passive or pb.passive:
        return False
    for e in evidence:  # the opposed words are the objects: "reported a profit" vs "a loss"
        m = pa.patient if e.side == "a" else pb.patient
        if e.start < m.end and m.start < e.end:
            return False
    if any(q.start < pa.patient.end and pa.patient.start < q.end for q in a.quantities) or \
            any(q.start < pb.patient.end and pb.patient.start < q.end for q in b.quantities):
        return False  # the object is the quantity itself: "reached 104 °F"
    ka, kb = pa.patient.key, pb.patient.key
    if ka == kb or pa.patient.named or pb.patient.named or " " in ka or " " in kb:
        return False
    if mentions_same_thing(_words_of(a, pa.patient), _words_of(b, pb.patient)):
        return False  # 'a plan to close' / 'a proposal to shut'
    return ka not in b.all_lemmas or kb not in a.all_lemmas


_DIMENSIONS = frozenset({dim for dim, _, _ in _UNITS.values()} | {"clock"})


# Verbs that do one thing to a counted object, so "cut 1,200 jobs" and "shed 800 jobs" count
# the same jobs, where "operates 220 branches" and "will close 31 branches" count two sets.
_SAME_ACT = ({"cut", "shed", "axe", "eliminate", "slash", "lose", "scrap"}, {"hire", "create", "add", "recruit"},
             {"kill", "claim", "die", "perish"}, {"injure", "hurt", "wound"}, {"arrest", "detain"}, {"win", "take", "secure", "get"},
             {"close", "shut"}, {"open", "launch"}, {"build", "construct"}, {"sell", "ship"}, {"order", "buy"},
             {"evacuate", "move"}, {"rescue", "save", "pull", "free", "winch", "airlift"},
             {"send", "dispatch", "deploy"})
_ACTS = {w: frozenset(g) for g in _SAME_ACT for w in g}
_HOLDING = frozenset({"include", "hold", "contain", "total", "number", "comprise", "involve", "see", "mean", "put",
                      "reach", "count", "list", "record", "give", "leave"})


def _counted_by_different_acts(a: Claim, b: Claim, evidence) -> bool:
    """Each count is a participant of its own verb, and the verbs do different things: 'Haldane
    operates 220 branches' / 'Haldane will close 31 branches' (two sets of branches), 'Twelve
    people died' / '3,000 people were left homeless' (two groups of people)."""
    verbs = {}
    for e in evidence:
        c = a if e.side == "a" else b
        q = _count_at(c, e)
        if q is None or q.unit is not None:
            return False
        p = next((p for p in c.frame.predicates if _counts_in(p, q, people=names_people(q.noun))), None)
        act = None if p is None else _act_of(c, p)
        if act is None:
            return False  # "includes 400 job cuts", "holds five seats": a tally, of whatever act
        verbs[e.side] = act
    la, lb = verbs.get("a"), verbs.get("b")
    return la is not None and lb is not None and la != lb and lb not in _ACTS.get(la, ())


# Verbs that tell how many people there were: 'was carrying 214 passengers' / 'there were 142
# people aboard'.
_ABOARD = frozenset({"carry", "be", "have", "hold", "number", "total", "include", "count", "board"})


_THERE_WERE = re.compile(r"\bthere\s+(?:were|are|was|is|had\s+been|have\s+been)\s+(?:about\s+|some\s+|only\s+)?$",
                         re.I)


def _people_not_of_one_act(a: Claim, b: Claim, evidence) -> bool:
    """'62 protesters' / '26 people' are compared only as the count of one act on both sides
    ('were detained' / 'arrested'): 'twelve people died' and 'three firefighters were hurt' count
    two groups."""
    counts, acts = {}, {}
    for e in evidence:
        c = a if e.side == "a" else b
        q = _count_at(c, e)
        if q is None:
            return False
        counts[e.side] = q
        p = next((p for p in c.frame.predicates if _counts_in(p, q)), None)
        if p is None and _THERE_WERE.search(c.text[max(0, q.start - 20):q.start]):
            acts[e.side] = "tally"  # 'There were 142 people aboard'
            continue
        acts[e.side] = None if p is None else "tally" if p.lemma in _ABOARD else _act_of(c, p)
    if len(counts) < 2 or not people_and_kind(counts["a"].noun, counts["b"].noun):
        return False
    la, lb = acts["a"], acts["b"]
    return la is None or lb is None or (la != lb and lb not in _ACTS.get(la, ()))


def _count_at(c: Claim, e):
    """The quantity a piece of evidence points at."""
    return next((q for q in c.quantities if q.start < e.end and e.start < q.end), None)


def _counts_in(p, q, people: bool = True) -> bool:
    """Is the count the object of an active verb ('will close 31 branches')? A count of people is
    also told by what befell them: the subject of a passive ('26 people were detained') or of a
    verb with no object ('Twelve people died'). Other things keep their noun whatever the verb
    ('A dozen ambulances were sent' / 'Twenty ambulances were dispatched')."""
    if p.patient is not None and not p.passive:
        return p.patient.start <= q.start < p.patient.end
    if not people:
        return False
    if p.patient is not None:
        return p.patient.start <= q.start < p.patient.end
    return p.agent is not None and not p.passive and p.agent.start <= q.start < p.agent.end


# "were left homeless": a count left in some state is counted by that state.
_LEFT_IN = {"homeless": "homeless", "dead": "die", "injured": "injure", "stranded": "strand", "jobless": "jobless",
            "without": "without"}


def _act_of(c: Claim, p) -> str | None:
    if p.lemma in ("make", "carry out", "report", "record") and p.patient is not None:
        verb = next((ACT_NOUNS[k] for k in lemmas_of(p.patient.key.split()[-1]) if k in ACT_NOUNS), None)
        if verb:
            return verb  # 'made 91 arrests' is the act of arresting
    if p.lemma == "leave":
        end = p.patient.end if p.patient is not None and not p.passive else p.end  # "left 3,000 people homeless"
        after = c.text[end:end + 20].split()
        return _LEFT_IN.get(after[0].lower().strip(",.")) if after else None
    return None if p.lemma in _LIGHT | _HOLDING else p.lemma


_OF_WHAT = re.compile(r"^(?:\s+\w+){0,2}?\s+(?:of|on)\s+(?:(?:the|a|an|his|her|their|its|all|two|three|more|most|"
                      r"serious|lesser|other|charges?|counts?|final|last|first|opening|closing|same|next)\s+){0,5}(?:of\s+)?"
                      r"(?P<w>[a-z]{3,})", re.I)


def _different_complements(a: Claim, b: Claim, evidence) -> bool:
    """The opposed words are said of different things: 'found guilty of manslaughter' / 'cleared
    of the more serious charge of murder' (two charges), read from the 'of' or 'on' that follows."""
    words = {}
    for e in evidence:
        c = a if e.side == "a" else b
        m = _OF_WHAT.match(c.text[e.end:e.end + 60])
        if m is None:
            return False
        words[e.side] = (base_lemma(lemmas_of(m.group("w").lower())), c)
    if len(words) < 2:
        return False
    (wa, ca), (wb, cb) = words["a"], words["b"]
    return wa != wb and wa not in cb.all_lemmas and wb not in ca.all_lemmas and not same_thing(wa, wb)


def _measures(a: Claim, b: Claim, evidence) -> bool:
    """Are the compared values measures with a unit (a time, a distance, a speed), which measure
    the event, not how many of its object there are ('won the marathon in 2:16' / 'crossed the
    line in 2:24')? The object veto is for counts: 'won the title three times' / 'the cup five'."""
    for e in evidence:
        c = a if e.side == "a" else b
        q = next((q for q in c.quantities if q.start < e.end and e.start < q.end), None)
        if q is None or q.unit not in _DIMENSIONS:  # a count, a share or a sum of money
            return False
    return bool(evidence)


def _different_directions(a: Claim, b: Claim) -> bool:
    """'Prices rose in the north' vs 'fell in the south': different parts of the country."""
    da, db = {m.key for m in a.frame.directions}, {m.key for m in b.frame.directions}
    return bool(da and db and not da & db)


def _different_events(a: Claim, b: Claim) -> bool:
    """'Closed on Monday' vs 'reopened on Wednesday', 'stood at 6 % in February' vs 'rose in
    March': a state and a later change, each with its own date, not one event on two dates."""
    la = {p.lemma for p in a.frame.predicates if p.lemma not in _LIGHT}
    lb = {p.lemma for p in b.frame.predicates if p.lemma not in _LIGHT}
    if not la or not lb or la & lb:
        return False
    if any(x == "re" + y or y == "re" + x for x in la for y in lb):
        return True
    if (la & _STARTS and lb & _ENDS) or (la & _ENDS and lb & _STARTS):
        return True  # 'was elected leader in 2012' / 'stepped down as leader in 2020': two ends of a tenure
    return bool((la & _CHANGE) or (lb & _CHANGE)) and not (la & _CHANGE and lb & _CHANGE)


# The start and the end of a tenure, a life or an undertaking: dated apart, they do not clash.
_STARTS = frozenset({"elect", "appoint", "name", "join", "found", "launch", "bear", "open", "hire", "sign", "start",
                     "begin", "inaugurate", "swear", "take over"})
_ENDS = frozenset({"resign", "retire", "quit", "step", "step down", "die", "leave", "close", "end", "fire", "dismiss",
                   "oust", "sack", "finish", "stop", "depart"})
_CHANGE = frozenset({"rise", "fall", "climb", "drop", "increase", "decrease", "grow", "shrink", "jump", "slip",
                     "reopen", "resume", "recover", "dip", "edge", "surge", "plunge"})


_LIGHT = frozenset({"say", "be", "have", "do", "tell", "report", "add", "accord", "show", "confirm", "announce"})


def _actor(claim: Claim, evidence, side: str):
    """Who does the predicate the evidence points at (the patient of a passive)."""
    spans = [(e.start, e.end) for e in evidence if e.side == side]
    for p in claim.frame.predicates:
        if any(s <= p.start < e or p.start <= s < p.end for s, e in spans):
            return p.patient if p.passive else p.agent
    return None


def _different_actors(a: Claim, b: Claim, evidence) -> bool:
    """'The driver had not been wearing a seat belt' vs 'the passenger was wearing one': the
    denied and the asserted act have different doers, both named by plain nouns that the other
    claim never uses."""
    xa, xb = _actor(a, evidence, "a"), _actor(b, evidence, "b")
    if xa is None or xb is None or xa.named or xb.named or {xa.key, xb.key} & (_PRONOUNS | _ANYONE):
        return False
    ka, kb = xa.key, xb.key
    if ka == kb or " " in ka or " " in kb or ka.startswith(kb) or kb.startswith(ka):
        return False
    if mentions_same_thing(_words_of(a, xa), _words_of(b, xb)):
        return False  # 'rescue teams' / 'rescuers', 'the blaze' / 'the flames'
    return ka not in b.all_lemmas and kb not in a.all_lemmas


_MONTHS_DAYS = frozenset("january february march april may june july august september october november december "
                         "monday tuesday wednesday thursday friday saturday sunday".split())


def _denied_word_is_a_time(a: Claim, b: Claim, evidence) -> bool:
    for e in evidence:
        c = a if e.side == "a" else b
        word = c.text[e.start:e.end].split()[-1:] if e.end > e.start else []
        if word and word[0].lower().strip(".,") in _MONTHS_DAYS:
            return True
        if any(m.start <= e.end - 1 < m.end for m in c.frame.times):
            return True
    return False


def _both_negative(a: Claim, b: Claim, evidence) -> bool:
    """'None of the 23 people was injured' / 'all 23 escaped unhurt', 'none of the witnesses
    disputed' / 'went unchallenged': the side with no negation cue says its own 'not' with un-,
    so both sides deny; nothing is asserted against a denial."""
    from .frames.parse import _NOT_UN

    for c in (a, b):
        if any(t.is_cue for t in c.tokens):
            continue  # the denying side
        if any(t.lower.startswith("un") and len(t.lower) >= 6 and t.lower not in _NOT_UN
               and not t.lower.startswith(("under", "uni", "unle")) for t in c.tokens):
            return True
    return False


def _negated_bystander(a: Claim, b: Claim, evidence) -> bool:
    """The word a negation match rests on is not what is denied. 'The company denied that the
    wagons had missed an inspection' does not deny the wagons: a subject is only caught in the
    scope of its verb's denial, and the verb ('miss') is not on the other side. 'Causing no
    injuries' against 'without causing injuries': the other side denies the object instead."""
    by_side = {e.side: e for e in evidence}
    for side, claim, other in (("a", a, b), ("b", b, a)):
        e = by_side.get(side)
        if e is None:
            continue
        word_start = e.end - 1
        for p in claim.frame.predicates:
            subj = p.patient if p.passive else p.agent
            if subj is not None and subj.start <= word_start < subj.end and not (p.start <= word_start < p.end) \
                    and not subj.start <= e.start < subj.end:  # 'Neither candidate promised': the subject's own "neither"
                lemma = p.lemma.split()[0]
                if lemma not in other.all_lemmas and p.polarity is not True:
                    return True
        for p in other.frame.predicates:
            oe = by_side.get("b" if side == "a" else "a")
            if oe is not None and p.start <= oe.start < p.end and p.patient is not None \
                    and re.match(r"(?:no|none|zero)\b", p.patient.text, re.I):
                return True  # the asserted verb's object is denied: 'causing no injuries'
    return False


# Anchors that say nothing about which event a date belongs to ("the deadline is March 31").
_LIGHT_ANCHORS = frozenset({"be", "have", "take", "hold", "happen", "occur", "do", "say", "come", "begin", "start",
                            "end", "date", "day", "year", "time"})


def _dates_of_other_events(a: Claim, b: Claim, evidence) -> bool:
    """'The institute was founded in 2012' vs 'it brought in $100 million in 2015', 'a 1980
    film' vs 'dedicated to Kenney in 2001': each date hangs on its own verb or noun, and the two
    are different events (different words, no shared object), not one event on two dates."""
    anchors = {}
    for e in evidence:
        c = a if e.side == "a" else b
        m = next((t for t in c.frame.times if t.start < e.end and e.start < t.end and len(t.roles) == 2), None)
        if m is None:
            return False
        anchors[e.side] = (m.roles[0], int(m.roles[1]), c)
    if len(anchors) < 2:
        return False
    (la, ia, ca), (lb, ib, cb) = anchors["a"], anchors["b"]
    if la == lb or la in _LIGHT_ANCHORS or lb in _LIGHT_ANCHORS:
        return False
    ea, eb = next(e for e in evidence if e.side == "a"), next(e for e in evidence if e.side == "b")
    if _word_near(cb, la, eb) or _word_near(ca, lb, ea):
        return False  # 'return from recess on 5 September' / 'back from the recess on 15 September'
    if la in cb.all_lemmas and lb in ca.all_lemmas:
        return False  # both words on both sides: the parser hung the same date on another of them
    if (la in cb.all_lemmas and lb in _SCHEDULING) or (lb in ca.all_lemmas and la in _SCHEDULING):
        return False  # 'will open on 3 March' / 'opening has been set for 13 March'

    pa = next((p for p in ca.frame.predicates if p.start == ia), None)
    pb = next((p for p in cb.frame.predicates if p.start == ib), None)
    if pa is not None and pb is not None and pa.patient is not None and pb.patient is not None \
            and (pa.patient.key == pb.patient.key or pa.patient.key in cb.all_lemmas and pb.patient.key in ca.all_lemmas):
        return False  # 'pushed the launch back to September' / 'moved the launch to August'
    if pa is not None and pb is not None and pa.patient is None and pb.patient is None and pa.agent is not None \
            and pb.agent is not None and pa.agent.key == pb.agent.key:
        return False  # 'the factory closed in 2016' / 'the factory shut down in 2006'
    return True


_SCHEDULING = frozenset({"set", "schedule", "plan", "slate", "fix", "due", "expect", "move", "push", "bring", "put"})


def _word_near(c: Claim, lemma: str, e, reach: int = 3) -> bool:
    at = [t.index for t in c.tokens if t.start < e.end and e.start < t.end]
    if not at:
        return False
    return any(lemma in t.lemmas and min(abs(t.index - i) for i in at) <= reach for t in c.tokens)


def _two_sites(a: Claim, b: Claim) -> bool:
    """'Its Dunmore plant' / 'its plant in Arlen': one company, two of its sites."""
    from .frames.parse import SITE_NOUNS

    return all(not c.all_lemmas.isdisjoint(SITE_NOUNS) for c in (a, b))
