"""English lemmas from lemminflect's lookup table, read directly and never unpickled.

lemminflect's data is what we want (80k inflections -> lemmas per part of speech, with its
overrides), but its API costs a cold compare ~0.9 s: the table is parsed line by line through a
codec and deep-copied on every lookup, and its out-of-vocabulary lemmatizer loads a *pickled*
model (`model_lemma.pkl.gz`), which factcheck never does. So the two CSV files are read here in
one pass (~0.1 s), and words outside the table get the regular English suffix rules below, which
is all the OOV model ever contributed here: `lemmas_of` only asks it about -ing/-ed verbs and
plural -s nouns.
"""
from __future__ import annotations

import gzip
import importlib.util
from functools import lru_cache
from pathlib import Path

_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """word -> 'UPOS=lemma/lemma;UPOS=lemma', one string per word: 70k words as nested dicts of
    tuples took 37 MB (a tenth of a compare's memory); as strings ~10 MB, decoded on lookup."""
    spec = importlib.util.find_spec("lemminflect")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("lemminflect is not installed")
    resources = Path(list(spec.submodule_search_locations)[0]) / "resources"
    table: dict[str, str] = {}
    for line in gzip.decompress((resources / "lemma_lu.csv.gz").read_bytes()).decode("utf-8").splitlines():
        word, category, forms = line.split(",")
        upos = "AUX" if category == "modal" else category.upper()
        entry = f"{upos}={forms}"
        table[word] = f"{table[word]};{entry}" if word in table else entry
    overrides: dict[str, dict[str, list[str]]] = {}
    for line in (resources / "lemma_overrides.csv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, upos, lemma = (part.strip() for part in line.split(","))
        overrides.setdefault(word, {}).setdefault(upos, []).append(lemma)
    for word, by_pos in overrides.items():  # an override replaces that part of speech's lemmas
        merged = {**_decode(table.get(word, "")), **{k: tuple(v) for k, v in by_pos.items()}}
        table[word] = ";".join(f"{k}={'/'.join(v)}" for k, v in merged.items())
    return table


def _decode(entry: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for part in entry.split(";") if entry else ():
        upos, _, forms = part.partition("=")
        out[upos] = tuple(forms.split("/"))
    return out


@lru_cache(maxsize=65536)
def all_lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """Lemmas of a word per part of speech (NOUN, VERB, ADJ, ADV, AUX, ...); {} when unknown.
    The dict is shared between callers: read it, do not change it."""
    return _decode(_table().get(word.lower(), ""))


def oov_lemma(word: str, upos: str) -> str | None:
    """A lemma for a word the table does not know, by regular English morphology, checked against
    the table where it can be ("co-produced" -> "co-" + "produce"; "regionalised" -> "regionalise")."""
    w = word.lower().replace("’", "'")
    head, sep, last = w.rpartition("-")
    if sep and last:
        inner = all_lemmas(last).get(upos) or ((oov_lemma(last, upos),) if len(last) > 3 else ())
        return head + sep + inner[0] if inner and inner[0] else None
    if upos == "VERB":
        for suffix in ("ing", "ed"):
            if w.endswith(suffix) and len(w) > len(suffix) + 2:
                return _restore_stem(w[: -len(suffix)], suffix)
        return None
    if upos == "NOUN":
        if w.endswith("'s"):
            return None  # a possessive names its owner, which the tokens already carry
        if not w.endswith("s") or len(w) <= 3 or w.endswith(("ss", "us", "is", "os", "as", "ous")):
            return None
        if w.endswith("ies") and len(w) > 4:
            return w[:-3] + "y"
        if w.endswith(("ches", "shes", "sses", "xes", "zes")):
            return w[:-2]
        return w[:-1]
    return None


def _restore_stem(stem: str, suffix: str) -> str:
    """Undo e-dropping, doubling and y->i: 'produc' -> 'produce', 'stopp' -> 'stop', 'tri' -> 'try'.
    A stem the table knows as a verb decides; otherwise the usual spelling rules guess."""
    def known(s: str) -> bool:
        return "VERB" in all_lemmas(s)

    if known(stem + "e"):
        return stem + "e"
    if known(stem):
        return stem
    if len(stem) >= 3 and stem[-1] == stem[-2] and known(stem[:-1]):
        return stem[:-1]
    if suffix == "ed" and stem.endswith("i") and len(stem) > 2:
        return stem[:-1] + "y"
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS and stem[-1] not in "lsz":
        return stem[:-1]
    if stem.endswith(("at", "iz", "is", "uc", "ag", "ov", "ur")):
        return stem + "e"  # -ate, -ize, -ise, -uce ... verbs dropped their e: designat(ed), regionalis(ed)
    return stem
