"""Property tests: every loader and claim extraction, fed arbitrary bytes, text and trees, either
returns a value or raises FactcheckError -- never anything else.

Example budgets are fixed and derandomized so the module runs the same in CI every time (~30-60 s).
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.errors import FactcheckError

FAST = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Text with everything hostile: lone surrogates (category Cs), NULs, controls, combining marks,
# right-to-left text, private use, emoji, and the YAML/JSON syntax characters.
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=300)


def _tokens(tokens: list[str], max_size: int):
    """Strings made of whole tokens (hypothesis alphabets are single characters)."""
    return st.lists(st.sampled_from(tokens), max_size=max_size).map("".join)


YAMLISH = _tokens(list("abc :-[]{},&*!|>'\"#?%@`\n\t\\0123 ") +
                  ["claims", "rules", "id", "text", "- ", "\n  ", "2022-02-31", "&a", "*a", "!!int",
                   "\x00", "\ud800", "é", "\u202e", "\ufeff"], 120)
SCALARS = st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=True) | ANY_TEXT
TREES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) |
                     st.dictionaries(st.text(max_size=12) | st.sampled_from(["id", "text", "claims", "rules",
                                                                              "premise", "hypothesis", "label",
                                                                              "findings", "fingerprint", "top_k",
                                                                              "severity", "fail_on"]),
                                     inner, max_size=4), max_leaves=20)


def _file(data: bytes, name: str) -> Path:
    d = Path(tempfile.mkdtemp(prefix="factcheck-prop-"))
    p = d / name
    p.write_bytes(data)
    return p


def _json_bytes(tree) -> bytes:
    return json.dumps(tree, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")


def _survives(fn, *args):
    try:
        return fn(*args)
    except FactcheckError as exc:
        assert str(exc)  # a message, and the one-line form the CLI prints
        assert "\n" not in exc.message or exc.path is not None
        return None


# -- reading and decoding ---------------------------------------------------------------------

@FAST
@given(st.binary(max_size=600))
def test_read_user_text_any_bytes(data: bytes):
    from factcheck.userfile import read_user_text

    got = _survives(read_user_text, _file(data, "x.txt"), "file")
    if got is not None:
        assert "\x00" not in got.text and got.text.strip()


@FAST
@given(ANY_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
                                  "utf-32-le", "utf-32-be", "cp1252", "latin-1"]))
def test_decoding_round_trips_text(text: str, enc: str):
    """Any text saved in a common encoding reads back as itself (or is refused with a reason)."""
    from factcheck.userfile import decode_bytes

    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        return
    got = _survives(decode_bytes, data, "t.txt")
    if enc in ("utf-8", "utf-8-sig", "utf-16", "utf-32") and "\x00" not in text and not text.startswith("\ufeff") \
            and text.strip():
        assert got is not None and got[0] == text


# -- structured loaders ----------------------------------------------------------------------

@FAST
@given(YAMLISH)
def test_load_yaml_any_text(text: str):
    from factcheck.yamlpos import load_yaml

    _survives(load_yaml, text, "x.yaml")


@FAST
@given(st.one_of(st.binary(max_size=300), YAMLISH.map(lambda t: t.encode("utf-8", "surrogatepass")),
                 TREES.map(_json_bytes), TREES.map(lambda t: json.dumps({"claims": t}).encode())),
       st.sampled_from(["c.yaml", "c.json", "c.jsonl"]))
def test_claim_file_loader(data: bytes, name: str):
    from factcheck.claimfile import load_claim_file

    claims = _survives(load_claim_file, _file(data, name))
    for c in claims or []:
        assert isinstance(c.text, str) and c.text and isinstance(c.id, str)
        c.text.encode("utf-8")  # storable: no lone surrogates reach the database


@FAST
@given(st.lists(TREES, min_size=1, max_size=5) | st.lists(st.fixed_dictionaries(
    {"premise": SCALARS, "hypothesis": SCALARS,
     "label": SCALARS | st.sampled_from(["contradiction", "neutral", "entailment", 0, 1, 2, "-", "NO"])}),
    min_size=1, max_size=5))
def test_eval_loader_rows(rows):
    from factcheck.evaluate import load_pairs

    data = b"\n".join(_json_bytes(r) for r in rows)
    pairs = _survives(load_pairs, _file(data, "p.jsonl"))
    for p in pairs or []:
        assert isinstance(p.premise, str) and isinstance(p.hypothesis, str) and p.label in (
            "contradiction", "entailment", "neutral")
        (p.premise + p.hypothesis).encode("utf-8")


@FAST
@given(st.binary(max_size=400) | _tokens(list("ab\t\n -x") + ["sentence_A", "sentence_B", "entailment_label",
                                                               "NEUTRAL"], 80).map(str.encode))
def test_eval_loader_bytes_and_sick(data: bytes):
    from factcheck.evaluate import load_pairs

    _survives(load_pairs, _file(data, "p.txt"))


@FAST
@given(TREES.map(_json_bytes) | TREES.map(lambda t: json.dumps({"findings": t}).encode()) | st.binary(max_size=200))
def test_baseline_loader(data: bytes):
    from factcheck.baseline import read_baseline

    got = _survives(read_baseline, _file(data, "b.json"))
    assert got is None or all(isinstance(f, str) for f in got)


@FAST
@given(TREES, st.booleans())
def test_config_loader(tree, as_toml: bool):
    from factcheck.config import find_config

    d = Path(tempfile.mkdtemp(prefix="factcheck-prop-"))
    if as_toml:
        section = tree if isinstance(tree, dict) else {"top_k": tree}
        try:
            import tomli_w  # type: ignore[import-not-found]
        except ImportError:
            body = "".join(f"{json.dumps(str(k))} = {json.dumps(v)}\n" for k, v in section.items()
                           if v is not None and not isinstance(v, (list, dict)) and v == v)
            (d / "pyproject.toml").write_text("[tool.factcheck]\n" + body, encoding="utf-8", errors="surrogatepass")
        else:
            (d / "pyproject.toml").write_bytes(tomli_w.dumps({"tool": {"factcheck": section}}).encode())
    else:
        try:
            text = yaml.safe_dump(tree, allow_unicode=True)
        except yaml.YAMLError:
            return
        (d / ".factcheck.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    cfg = _survives(find_config, d)
    if cfg is not None and cfg.top_k is not None:
        from factcheck.config import MAX_TOP_K

        assert 1 <= cfg.top_k <= MAX_TOP_K
    if cfg is not None and cfg.min_similarity is not None:
        assert 0 <= cfg.min_similarity <= 1


@SLOW
@given(YAMLISH.map(lambda t: "rules:\n  - id: t.x\n    kind: opposing\n    description: d\n    severity: info\n"
                   "    groups: [[rise], [fall]]\n    examples:\n      fire: [[" + json.dumps(t, ensure_ascii=False)
                   + ", 'prices fell']]\n") | YAMLISH | TREES.map(lambda t: yaml.safe_dump({"rules": [t]})))
def test_rule_file_loader(text: str):
    from factcheck.ruleset import parse_rule_file

    p = _file(text.encode("utf-8", "surrogatepass"), "r.yaml")
    rules, problems = parse_rule_file(p)  # never raises: problems are data
    assert all(pr.line >= 1 and pr.column >= 1 for pr in problems)
    assert not (rules and problems) or all(r.id for r in rules)


# -- claim extraction ------------------------------------------------------------------------

NEWSY = _tokens(list(" .,;:!?\"'()-\n") + ["said", "the", "not", "Kyiv", "troops", "withdrew", "4 million",
                                           "March 30, 2022", "31 February", "Mr.", "U.S.", "“", "”", "â€™", "\x00",
                                           "\ud800", "\u0301", "\u202e", "\ufeff", "🙂", "ǅ", "\u2028"], 60)


@SLOW
@given(ANY_TEXT | NEWSY)
def test_extract_claims_any_text(text: str):
    from factcheck.claims import extract_claims
    from factcheck.textio import document_from_text

    doc = _survives(document_from_text, text, "x.txt")
    if doc is None:
        return
    for c in extract_claims(doc):
        assert 0 <= c.start <= c.end <= len(doc.original)
        assert c.text.strip()
