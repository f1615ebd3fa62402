"""Bad-input catalogue: hostile files and values at every entry point -> exit 2, one clear line naming
the file (or option), never a traceback.

Cases are generated: every loader gets the same file-level hostility (empty, binary, NUL, broken
encodings, directories, FIFOs, symlink loops, devices, oversized, unreadable), then the structural
hostility of its format (deep nesting, alias bombs, impossible dates, wrong types, bad rows).
`CASES` holds them all; the count is asserted so the catalogue cannot silently shrink.
"""
from __future__ import annotations

import json
import os
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import EXAMPLES, run_cli
from factcheck import userfile

A = str(EXAMPLES / "moscow_briefing.md")
B = str(EXAMPLES / "washington_briefing.txt")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

CLAIMS_YAML = "claims:\n  - id: c1\n    text: The minister resigned on Monday.\n  - id: c2\n    text: The minister stayed.\n"
CLAIMS_JSON = json.dumps({"claims": [{"id": "c1", "text": "The minister resigned on Monday."}]})
CLAIMS_JSONL = '{"id": "c1", "text": "The minister resigned on Monday."}\n'
RULE_YAML = """rules:
  - id: test.advance-vs-retreat
    kind: opposing
    description: Advance and retreat cannot both describe the same troops.
    severity: warning
    groups:
      - [advance, push forward]
      - [retreat, fall back]
    examples:
      fire:
        - ["Troops advanced on the city.", "Troops retreated from the city."]
      quiet:
        - ["Troops advanced on the city.", "Troops did not retreat from the city."]
"""
CONFIG_YAML = "fail_on: error\ntop_k: 5\n"
EVAL_JSONL = '{"premise": "Troops advanced.", "hypothesis": "Troops retreated.", "label": "contradiction"}\n'
BASELINE_JSON = json.dumps({"version": 1, "findings": [{"fingerprint": "abc", "rule": "r", "a": "x", "b": "y"}]})
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"


@dataclass
class Case:
    id: str
    make: Callable[[Path], tuple[list[str], Path | None, str]]  # tmp -> (argv, cwd, needle in the message)
    as_nobody: bool = False
    lines: str = "one"  # "one": one stderr line; "problems": rule validate/test lists every problem


CASES: list[Case] = []


# -- hostile things at a path ----------------------------------------------------------------

def _write(content: bytes):
    def put(p: Path) -> None:
        p.write_bytes(content)
    return put


def _directory(p: Path) -> None:
    p.mkdir()


def _symlink_loop(p: Path) -> None:
    os.symlink(p.name, p)


def _symlink_loop2(p: Path) -> None:
    other = p.with_name(p.name + ".other")
    os.symlink(other.name, p)
    os.symlink(p.name, other)


def _dangling(p: Path) -> None:
    os.symlink("nowhere-" + p.name, p)


def _fifo(p: Path) -> None:
    os.mkfifo(p)


def _device(p: Path) -> None:
    os.symlink(os.devnull, p)


def _too_large(limit: int):
    def put(p: Path) -> None:
        with open(p, "wb") as f:  # sparse: the size is real, the disk blocks are not
            f.truncate(limit + 1)
    return put


def _unreadable(content: bytes):
    def put(p: Path) -> None:
        p.write_bytes(content)
        p.chmod(0)
    return put


def file_hostility(valid: bytes, what: str, broken: bytes) -> dict[str, tuple[Callable[[Path], None], bool]]:
    """Hostile variants of one kind of user file: name -> (how to make it, needs an unprivileged user)."""
    rnd = random.Random(14)
    mid = len(valid) // 2
    return {
        "missing": (lambda p: None, False),
        "empty": (_write(b""), False),
        "blank": (_write(b"  \n\t\n"), False),
        "nul-byte": (_write(valid[:mid] + b"\x00" + valid[mid:]), False),
        "nul-after-utf8-bom": (_write(b"\xef\xbb\xbf" + valid[:mid] + b"\x00" + valid[mid:]), False),
        "binary-png": (_write(PNG), False),
        "random-bytes": (_write(rnd.randbytes(4096)), False),
        "invalid-utf8-with-nul": (_write(b"\xc3\x28\xa0\xa1\x00" + valid), False),
        "utf16-bom-truncated": (_write(b"\xff\xfe" + valid.decode().encode("utf-16-le") + b"x"), False),
        "utf32-bom-invalid": (_write(b"\xff\xfe\x00\x00" + b"\xff\xff\xff\xff" * 4), False),
        "utf16-without-bom-broken": (_write(broken.decode().encode("utf-16-le")), False),
        "utf16be-without-bom-broken": (_write(broken.decode().encode("utf-16-be")), False),
        "utf16-without-bom-nul": (_write((valid.decode()[:mid] + "\x00" + valid.decode()[mid:]).encode("utf-16-le")),
                                  False),
        "directory": (_directory, False),
        "symlink-loop": (_symlink_loop, False),
        "symlink-loop-two-links": (_symlink_loop2, False),
        "dangling-symlink": (_dangling, False),
        "fifo": (_fifo, False),
        "device": (_device, False),
        "too-large": (_too_large(userfile.LIMITS[what]), False),
        "unreadable": (_unreadable(valid), True),
    }


def _yaml_hostility(wrap: Callable[[str], str]) -> dict[str, bytes]:
    """YAML structure attacks; `wrap` places a value where the format expects data."""
    deep_block = "".join("  " * i + "- \n" for i in range(300))
    deep_map = "".join("  " * i + "k:\n" for i in range(300))
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh"))
    return {k: v.encode() for k, v in {
        "yaml-deep-flow": wrap("[" * 10000 + "]" * 10000),
        "yaml-deep-flow-maps": wrap("{a: " * 5000 + "1" + "}" * 5000),
        "yaml-deep-block": deep_block,
        "yaml-deep-mapping": deep_map,
        "yaml-alias-bomb": bomb,
        "yaml-recursive-alias": "&a [*a]\n",
        "yaml-python-tag": wrap("!!python/object/apply:os.system [echo hi]"),
        "yaml-invalid-date": wrap("2022-02-31"),
        "yaml-invalid-int-tag": wrap("!!int abc"),
        "yaml-syntax-error": "a: b: c\n",
        "yaml-tab-indent": "a:\n\tb: 1\n",
        "yaml-unclosed-quote": wrap('"never closed'),
        "yaml-two-documents": "a: 1\n---\nb: 2\n",
        "yaml-undefined-alias": wrap("*nothing"),
        "yaml-control-char": wrap("ok\x01"),
        "yaml-lone-surrogate": wrap('"\\ud800"'),
        "yaml-nul-escape": wrap('"a\\0b"'),
        "yaml-scalar-document": "42\n",
        "yaml-unhashable-key": "? [a, b]\n: 1\n",
    }.items()}


def _json_hostility(wrap: Callable[[str], str]) -> dict[str, bytes]:
    return {k: v.encode() for k, v in {
        "json-deep": wrap("[" * 10000 + "]" * 10000),
        "json-deep-objects": wrap('{"a":' * 3000 + "1" + "}" * 3000),
        "json-invalid": '{"claims": [1, 2,,]}',
        "json-truncated": wrap("[1, 2"),
        "json-lone-surrogate": wrap('"\\ud800"'),
        "json-nul-escape": wrap('"a\\u0000b"'),
        "json-scalar-document": "3.14",
        "json-null-document": "null",
        "json-string-document": '"claims"',
    }.items()}


def _jsonl_rows(field_: str) -> dict[str, bytes]:
    """Rows of a JSONL file that a schema must refuse: the second line is the bad one."""
    good = {"claims": CLAIMS_JSONL, "eval": EVAL_JSONL}[field_].strip()
    rows = {
        "row-null": "null", "row-array": "[1, 2]", "row-number": "42", "row-string": '"text"', "row-true": "true",
        "row-invalid-json": '{"id": ', "row-deep": "[" * 5000 + "]" * 5000,
        "row-lone-surrogate": good[:-1] + ', "x": "\\udcff"}', "row-nul": good.replace("Troops", "Tro\\u0000ops")
        .replace("minister", "mini\\u0000ster"),
    }
    if field_ == "claims":
        rows.update({"row-text-number": '{"id": "c9", "text": 5}', "row-text-list": '{"id": "c9", "text": ["a"]}',
                     "row-id-missing": '{"text": "x"}', "row-unknown-field": '{"id": "c9", "text": "x", "colour": 1}',
                     "row-empty-text": '{"id": "c9", "text": ""}', "row-duplicate-id": good,
                     "row-date-31-february": '{"id": "c9", "text": "x", "date": "2023-02-29"}'})
    else:
        rows.update({"row-premise-number": '{"premise": 5, "hypothesis": "h", "label": "neutral"}',
                     "row-premise-list": '{"premise": ["a"], "hypothesis": "h", "label": "neutral"}',
                     "row-premise-null": '{"premise": null, "hypothesis": "h", "label": "neutral"}',
                     "row-hypothesis-missing": '{"premise": "p", "label": "neutral"}',
                     "row-label-unknown": '{"premise": "p", "hypothesis": "h", "label": "maybe"}',
                     "row-label-list": '{"premise": "p", "hypothesis": "h", "label": ["neutral"]}',
                     "row-label-bool": '{"premise": "p", "hypothesis": "h", "label": true}',
                     "row-premise-blank": '{"premise": "   ", "hypothesis": "h", "label": "neutral"}',
                     "row-nan": '{"premise": NaN, "hypothesis": "h", "label": "neutral"}'})
    return {k: (good + "\n" + v + "\n").encode() for k, v in rows.items()}


def _add(entry: str, name: str, make, as_nobody: bool = False, lines: str = "one") -> None:
    CASES.append(Case(f"{entry}:{name}", make, as_nobody, lines))


# -- claim files: check and db add ----------------------------------------------------------

def _claim_cases() -> None:
    formats = {
        ".yaml": (CLAIMS_YAML, "claims: [a: b: c]\n", {
            **_yaml_hostility(lambda v: f"claims:\n  - id: c1\n    text: {v}\n"),
            "claims-not-a-list": b"claims: 5\n",
            "claim-not-a-mapping": b"claims: [just text]\n",
            "text-missing": b"claims:\n  - id: c1\n",
            "text-is-a-list": b"claims:\n  - id: c1\n    text: [a, b]\n",
            "text-null": b"claims:\n  - id: c1\n    text:\n",
            "id-is-a-number": b"claims:\n  - id: 5\n    text: x\n",
            "date-is-a-mapping": b"claims:\n  - id: c1\n    text: x\n    date: {y: 1}\n",
            "date-31-february": b"claims:\n  - id: c1\n    text: x\n    date: 2022-02-31\n",
            "date-31-february-quoted": b"claims:\n  - id: c1\n    text: x\n    date: '2022-02-31'\n",
            "date-month-13": b"claims:\n  - id: c1\n    text: x\n    date: '2022-13-01'\n",
            "unknown-field": b"claims:\n  - id: c1\n    text: x\n    colour: red\n",
            "ignore-without-reason": b"claims:\n  - id: c1\n    text: x\n    ignore: [{rule: r}]\n",
            "duplicate-id": b"claims:\n  - {id: c1, text: x}\n  - {id: c1, text: y}\n",
            "duplicate-key": b"claims:\n  - id: c1\n    id: c2\n    text: x\n",
            "unknown-top-level-key": b"claim:\n  - {id: c1, text: x}\n",
        }),
        ".json": (CLAIMS_JSON, '{"claims": [', {
            **_json_hostility(lambda v: '{"claims": [{"id": "c1", "text": ' + v + "}]}"),
            "json-claims-null": b'{"claims": null}',
        }),
        ".jsonl": (CLAIMS_JSONL, '{"id": ', _jsonl_rows("claims")),
    }
    for suffix, (valid, broken, specific) in formats.items():
        hostile = {**{k: v for k, v in file_hostility(valid.encode(), "claim file", broken.encode()).items()},
                   **{k: (_write(v), False) for k, v in specific.items()}}
        if suffix != ".yaml":  # the file-level cases are format-independent: run them once per entry point
            hostile = {k: v for k, v in hostile.items() if k in specific or k in ("nul-byte", "utf16-without-bom-broken",
                                                                                    "empty")}
        for name, (put, nobody) in hostile.items():
            for entry in ("check", "db-add"):
                def make(tmp: Path, put=put, entry=entry, suffix=suffix):
                    p = tmp / f"claims{suffix}"
                    put(p)
                    argv = ["check", str(p), "--no-db"] if entry == "check" else \
                        ["db", "add", str(p), "--db", str(tmp / "db")]
                    return argv, tmp, p.name
                _add(f"{entry}{suffix}", name, make, nobody)


# -- configuration: .factcheck.yaml and [tool.factcheck] -----------------------------------

CONFIG_VALUES = {  # name -> (YAML text, TOML text)
    "top_k-zero": ("top_k: 0", "top_k = 0"),
    "top_k-negative": ("top_k: -3", "top_k = -3"),
    "top_k-huge": ("top_k: 1000000000000", "top_k = 1000000000000"),
    "top_k-text": ("top_k: five", 'top_k = "five"'),
    "top_k-float": ("top_k: 2.5", "top_k = 2.5"),
    "top_k-bool": ("top_k: true", "top_k = true"),
    "min_similarity-negative": ("min_similarity: -0.1", "min_similarity = -0.1"),
    "min_similarity-above-one": ("min_similarity: 1.5", "min_similarity = 1.5"),
    "min_similarity-nan": ("min_similarity: .nan", "min_similarity = nan"),
    "min_similarity-inf": ("min_similarity: .inf", "min_similarity = inf"),
    "min_similarity-text": ("min_similarity: high", 'min_similarity = "high"'),
    "fail_on-unknown": ("fail_on: fatal", 'fail_on = "fatal"'),
    "fail_on-number": ("fail_on: 1", "fail_on = 1"),
    "fail_on-null": ("fail_on: null", 'fail_on = ""'),
    "severity-unknown-level": ("severity: {markets: fatal}", '[tool.factcheck.severity]\nmarkets = "fatal"'),
    "severity-not-mapping": ("severity: [markets]", 'severity = ["markets"]'),
    "severity-level-number": ("severity: {markets: 3}", "severity = {markets = 3}"),
    "rules-int-where-path": ("rules: 5", "rules = 5"),
    "rules-list-of-ints": ("rules: [5]", "rules = [5]"),
    "rules-empty-path": ("rules: ['']", 'rules = [""]'),
    "db-int-where-path": ("db: 5", "db = 5"),
    "db-list": ("db: [a, b]", 'db = ["a", "b"]'),
    "model-number": ("model: 5", "model = 5"),
    "model-empty": ("model: ''", 'model = ""'),
    "enable-not-list": ("enable: markets", 'enable = "markets"'),
    "disable-mapping": ("disable: {a: 1}", "disable = {a = 1}"),
    "unknown-key": ("sevrity: {}", "sevrity = {}"),
}


def _config_cases() -> None:
    claims = CLAIMS_YAML.encode()

    def cfg_case(filename: str, put, nobody: bool = False):
        def make(tmp: Path, put=put):
            (tmp / "c.yaml").write_bytes(claims)
            put(tmp / filename)
            return ["check", "c.yaml", "--no-db"], tmp, filename
        return make

    for name, (ytext, ttext) in CONFIG_VALUES.items():
        _add("config-yaml", name, cfg_case(".factcheck.yaml", _write(f"fail_on: error\n{ytext}\n".encode())))
        toml = ttext if ttext.startswith("[") else f"[tool.factcheck]\n{ttext}"
        _add("config-pyproject", name, cfg_case("pyproject.toml", _write(f'[project]\nname = "x"\n\n{toml}\n'.encode())))
    yaml_specific = {**_yaml_hostility(lambda v: f"model: {v}\n"), "top-level-list": b"- top_k: 5\n",
                     "non-utf8-bytes": "fail_on: érror\nmodel: modèle\n".encode("cp1252")}
    for name, content in yaml_specific.items():
        _add("config-yaml", name, cfg_case(".factcheck.yaml", _write(content)))
    for name, (put, nobody) in file_hostility(CONFIG_YAML.encode(), "configuration", b"a: b: c\n").items():
        if name in ("missing", "empty", "blank"):  # no config, or an empty one, is valid
            continue
        _add("config-yaml", name, cfg_case(".factcheck.yaml", put), nobody)
    toml_specific = {
        "toml-invalid": b"[tool.factcheck\ntop_k = 5\n",
        "toml-deep-arrays": b"[tool.factcheck]\nrules = " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "toml-deep-inline-tables": b"[tool.factcheck]\nseverity = " + b"{a = " * 3000 + b"1" + b"}" * 3000 + b"\n",
        "toml-section-not-table": b"[tool]\nfactcheck = 5\n",
        "toml-duplicate-key": b"[tool.factcheck]\ntop_k = 1\ntop_k = 2\n",
    }
    for name, content in toml_specific.items():
        _add("config-pyproject", name, cfg_case("pyproject.toml", _write(content)))
    toml_valid = b'[tool.factcheck]\nfail_on = "error"\n'
    for name, (put, nobody) in file_hostility(toml_valid, "configuration", b"[tool.factcheck\n").items():
        if name in ("missing", "empty", "blank", "directory", "symlink-loop", "dangling-symlink", "fifo"):
            continue  # covered for .factcheck.yaml; a missing pyproject is simply no config
        _add("config-pyproject", name, cfg_case("pyproject.toml", put), nobody)


# -- eval data -------------------------------------------------------------------------------

def _eval_cases() -> None:
    sick_head = "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_label\n"
    specific = {
        **_jsonl_rows("eval"),
        "sick-missing-column": ("pair_ID\tsentence_A\tsentence_B\trelatedness_score\n1\ta\tb\t3\n").encode(),
        "sick-short-row": (sick_head + "1\tA man walks.\n").encode(),
        "sick-empty-sentence": (sick_head + "1\t\tb\t3.0\tNEUTRAL\n").encode(),
        "sick-unknown-label": (sick_head + "1\ta\tb\t3.0\tPERHAPS\n").encode(),
        "no-labelled-pairs": b'{"premise": "p", "hypothesis": "h", "label": "-"}\n',
        "json-array-file": b'[{"premise": "p", "hypothesis": "h", "label": "neutral"}]\n',
    }
    hostile = {**file_hostility(EVAL_JSONL.encode(), "data file", b'{"premise": \n'),
               **{k: (_write(v), False) for k, v in specific.items()}}
    for name, (put, nobody) in hostile.items():
        def make(tmp: Path, put=put):
            p = tmp / "pairs.jsonl"
            put(p)
            return ["eval", str(p)], tmp, p.name
        _add("eval", name, make, nobody)


# -- baselines -------------------------------------------------------------------------------

def _baseline_cases() -> None:
    specific = {
        **_json_hostility(lambda v: '{"version": 1, "findings": [{"fingerprint": ' + v + "}]}"),
        "findings-missing": b'{"version": 1}',
        "findings-not-list": b'{"findings": {"fingerprint": "a"}}',
        "fingerprint-number": b'{"findings": [{"fingerprint": 5}]}',
        "fingerprint-missing": b'{"findings": [{"rule": "r"}]}',
        "row-null": b'{"findings": [null]}',
        "top-level-list": b'[{"fingerprint": "a"}]',
        "yaml-not-json": b"findings:\n  - fingerprint: a\n",
        "version-text": b'{"version": "one", "findings": []}',
    }
    hostile = {**file_hostility(BASELINE_JSON.encode(), "baseline", b'{"findings": ['),
               **{k: (_write(v), False) for k, v in specific.items()}}
    for name, (put, nobody) in hostile.items():
        def make(tmp: Path, put=put):
            (tmp / "c.yaml").write_text(CLAIMS_YAML)
            p = tmp / "base.json"
            put(p)
            return ["check", "c.yaml", "--no-db", "--baseline", str(p)], tmp, p.name
        _add("baseline", name, make, nobody)


# -- rule files: rules validate, rules test, --rules -----------------------------------------

def _rule_cases() -> None:
    r = RULE_YAML
    specific = {
        **_yaml_hostility(lambda v: f"rules:\n  - id: x\n    kind: opposing\n    description: {v}\n"),
        "example-31-february-date": r.replace('["Troops advanced on the city.", "Troops retreated from the city."]',
                                              "[2022-02-31, Troops retreated from the city.]").encode(),
        "example-31-february-text": r.replace("Troops advanced on the city.\", \"Troops retreated",
                                              "Troops advanced on 31 February 2022.\", \"Troops retreated").encode(),
        "example-30-february-text": r.replace("Troops did not retreat from the city.",
                                              "Troops did not retreat on February 30.").encode(),
        "unknown-kind": r.replace("kind: opposing", "kind: opposite").encode(),
        "missing-id": r.replace("  - id: test.advance-vs-retreat\n    kind", "  - kind").encode(),
        "bad-severity": r.replace("severity: warning", "severity: fatal").encode(),
        "min_similarity-above-one": r.replace("severity: warning", "severity: warning\n    min_similarity: 2").encode(),
        "groups-not-lists": r.replace("      - [advance, push forward]\n      - [retreat, fall back]\n",
                                      "      - advance\n").encode(),
        "example-pair-of-three": r.replace('["Troops advanced on the city.", "Troops retreated from the city."]',
                                           '["a", "b", "c"]').encode(),
        "example-not-text": r.replace('"Troops advanced on the city."', "5", 1).encode(),
        "rules-not-a-list": b"rules: 5\n",
        "rule-not-a-mapping": b"rules: [text]\n",
        "top-level-list-of-scalars": b"- 1\n- 2\n",
        "unknown-top-level-key": b"rulez: []\n",
        "unknown-field": r.replace("severity: warning", "severity: warning\n    colour: red").encode(),
        "pattern-invalid-regex": b"rules:\n  - id: p\n    kind: pattern\n    description: d\n    severity: info\n"
                                 b"    a: '(unclosed'\n    b: 'x'\n",
    }
    hostile = {**file_hostility(RULE_YAML.encode(), "rule file", b"rules: [a: b: c]\n"),
               **{k: (_write(v), False) for k, v in specific.items()}}
    for name, (put, nobody) in hostile.items():
        for entry in ("rules-validate", "rules-test", "check--rules"):
            if entry != "rules-validate" and name not in specific and name not in (
                    "nul-byte", "utf16-without-bom-broken", "directory", "symlink-loop", "too-large"):
                continue  # one reader for all three: the file-level cases run in full once
            def make(tmp: Path, put=put, entry=entry):
                p = tmp / "rules.yaml"
                put(p)
                if entry == "check--rules":
                    (tmp / "c.yaml").write_text(CLAIMS_YAML)
                    return ["check", "c.yaml", "--no-db", "--rules", str(p)], tmp, p.name
                return ["rules", entry.split("-")[1], str(p)], tmp, p.name
            _add(entry, name, make, nobody, lines="one" if entry == "check--rules" else "problems")


# -- articles: compare, extract, check (the path that held up; kept so it stays that way) -----

def _article_cases() -> None:
    valid = "Troops withdrew from Kyiv on Monday, the ministry said.\n".encode()
    for name, (put, nobody) in file_hostility(valid, "file", b"\x00").items():
        if name in ("utf16-without-bom-broken", "utf16be-without-bom-broken"):
            continue  # any decodable text is a valid article
        for entry in ("compare", "extract"):
            def make(tmp: Path, put=put, entry=entry):
                p = tmp / "article.txt"
                put(p)
                argv = ["compare", A, str(p), "--no-db"] if entry == "compare" else ["extract", str(p)]
                return argv, tmp, p.name
            _add(f"{entry}-article", name, make, nobody)


# -- options ---------------------------------------------------------------------------------

def _option_cases() -> None:
    def simple(argv: list[str], needle: str):
        def make(tmp: Path):
            (tmp / "c.yaml").write_text(CLAIMS_YAML)
            return [a.replace("{tmp}", str(tmp)) for a in argv], tmp, needle
        return make

    values = {
        "compare--top-k-huge": (["compare", A, B, "--top-k", "1000000000"], "--top-k"),
        "compare--top-k-zero": (["compare", A, B, "--top-k", "0"], "--top-k"),
        "compare--top-k-negative": (["compare", A, B, "--top-k", "-5"], "--top-k"),
        "compare--top-k-text": (["compare", A, B, "--top-k", "many"], "--top-k"),
        "compare--min-similarity-nan": (["compare", A, B, "--min-similarity", "nan"], "--min-similarity"),
        "compare--min-similarity-two": (["compare", A, B, "--min-similarity", "2"], "--min-similarity"),
        "compare--min-confidence-inf": (["compare", A, B, "--min-confidence", "inf"], "--min-confidence"),
        "compare--fail-on-unknown": (["compare", A, B, "--fail-on", "fatal"], "--fail-on"),
        "compare--format-unknown": (["compare", A, B, "--format", "pdf"], "--format"),
        "compare--severity-bad": (["compare", A, B, "--severity", "markets=fatal"], "--severity"),
        "compare--relation-unknown": (["compare", A, B, "--relation", "feud"], "--relation"),
        "compare--db-regular-file": (["compare", A, B, "--db", "c.yaml"], "c.yaml"),
        "compare--db-missing": (["compare", A, B, "--db", "{tmp}/nothing"], "nothing"),
        "compare--output-is-directory": (["compare", A, B, "-o", "{tmp}"], "is a directory"),
        "compare--output-no-such-dir": (["compare", A, B, "-o", "{tmp}/no/such/out.txt"], "out.txt"),
        "check--top-k-10^12": (["check", "c.yaml", "--no-db", "--top-k", "1000000000000"], "--top-k"),
        "check--min-similarity-negative": (["check", "c.yaml", "--no-db", "--min-similarity", "-1"],
                                           "--min-similarity"),
        "check--db-regular-file": (["check", "c.yaml", "--db", "c.yaml"], "c.yaml"),
        "check--write-baseline-directory": (["check", "c.yaml", "--no-db", "--write-baseline", "{tmp}"],
                                            "is a directory"),
        "check--output-no-such-dir": (["check", "c.yaml", "--no-db", "-o", "{tmp}/no/out.sarif"], "out.sarif"),
        "check--format-unknown": (["check", "c.yaml", "--format", "xml"], "--format"),
        "check--relation-unknown": (["check", "c.yaml", "--no-db", "--relation", "x"], "--relation"),
        "check-no-such-path": (["check", "{tmp}/nope.yaml"], "nope.yaml"),
        "check-glob-matches-nothing": (["check", "{tmp}/*.nothing"], "*.nothing"),
        "db-search-k-10^12": (["db", "search", "x", "-k", "1000000000000", "--db", "{tmp}/db"], "-k"),
        "db-search-k-zero": (["db", "search", "x", "-k", "0", "--db", "{tmp}/db"], "-k"),
        "db-search-db-regular-file": (["db", "search", "x", "--db", "c.yaml"], "c.yaml"),
        "db-search-db-missing": (["db", "search", "x", "--db", "{tmp}/none"], "none"),
        "db-stats-db-regular-file": (["db", "stats", "--db", "c.yaml"], "c.yaml"),
        "db-verify-db-regular-file": (["db", "verify", "--db", "c.yaml"], "c.yaml"),
        "db-rebuild-db-regular-file": (["db", "rebuild", "--db", "c.yaml"], "c.yaml"),
        "db-export-db-regular-file": (["db", "export", "--db", "c.yaml"], "c.yaml"),
        "db-remove-db-regular-file": (["db", "remove", "x", "--db", "c.yaml"], "c.yaml"),
        "db-add-db-regular-file": (["db", "add", "c.yaml", "--db", "c.yaml"], "c.yaml"),
        "db-add-db-under-a-file": (["db", "add", "c.yaml", "--db", "c.yaml/sub/db"], "c.yaml"),
        "db-add-batch-size-zero": (["db", "add", "c.yaml", "--db", "{tmp}/db", "--batch-size", "0"], "--batch-size"),
        "db-add-batch-size-huge": (["db", "add", "c.yaml", "--db", "{tmp}/db", "--batch-size", "10000000000"],
                                   "--batch-size"),
        "db-add-lock-timeout-negative": (["db", "add", "c.yaml", "--db", "{tmp}/db", "--lock-timeout", "-1"],
                                         "--lock-timeout"),
        "db-add-lock-timeout-nan": (["db", "add", "c.yaml", "--db", "{tmp}/db", "--lock-timeout", "nan"],
                                    "--lock-timeout"),
        "db-add-ann-threshold-zero": (["db", "add", "c.yaml", "--db", "{tmp}/db", "--ann-threshold", "0"],
                                      "--ann-threshold"),
        "db-add-index-unknown": (["db", "add", "c.yaml", "--db", "{tmp}/db", "--index", "btree"], "--index"),
        "db-export-output-directory": (["db", "export", "--db", "{tmp}/db", "-o", "{tmp}"], "db"),
        "extract-format-unknown": (["extract", A, "--format", "xml"], "--format"),
        "extract-output-directory": (["extract", A, "-o", "{tmp}"], "is a directory"),
        "eval-errors-negative": (["eval", "{tmp}/c.yaml", "--errors", "-1"], "--errors"),
        "schema-unknown": (["schema", "everything"], "everything"),
        "rules-new-unknown-kind": (["rules", "new", "opposite"], "opposite"),
        "rules-show-unknown-id": (["rules", "show", "no.such.rule"], "no.such.rule"),
        "unknown-command": (["frobnicate"], "frobnicate"),
        "unknown-option": (["check", "c.yaml", "--frobnicate"], "--frobnicate"),
    }
    for name, (argv, needle) in values.items():
        _add("options", name, simple(argv, needle))

    def read_only_parent(tmp: Path):
        (tmp / "c.yaml").write_text(CLAIMS_YAML)
        parent = tmp / "ro"
        parent.mkdir()
        _make_read_only(parent)
        return ["db", "add", "c.yaml", "--db", str(parent / "db")], tmp, "ro"
    _add("options", "db-add-read-only-parent", read_only_parent)

    def read_only_db(tmp: Path):
        (tmp / "c.yaml").write_text(CLAIMS_YAML)
        db = tmp / "db"
        db.mkdir()
        _make_read_only(db)
        return ["db", "add", "c.yaml", "--db", str(db)], tmp, "db"
    _add("options", "db-add-read-only-db-dir", read_only_db)

    def unreadable_db(tmp: Path):
        db = tmp / "db"
        db.mkdir()
        (db / "claims.sqlite").write_bytes(b"")
        db.chmod(0)
        return ["db", "stats", "--db", str(db)], tmp, "db"
    _add("options", "db-stats-unreadable-db-dir", unreadable_db, as_nobody=True)


def _small_db(d: Path) -> Path:
    """A real claims DB with three stored claims, built without the model (fixed random vectors)."""
    import numpy as np

    from factcheck.claims import Claim
    from factcheck.db.store import ClaimStore
    from factcheck.db.vindex import build_index

    store = ClaimStore(d, create=True)
    store.bind_model("test-vectors", 8)
    vecs = np.random.default_rng(14).normal(size=(3, 8)).astype("float32")
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    store.add_batch([Claim(f"claim {i}", source="s", id=f"c{i}") for i in range(3)], vecs)
    build_index(store)
    store.close()
    return d


def _corrupt_db_cases() -> None:
    def foreign_sqlite(p: Path) -> None:
        import sqlite3

        for f in p.parent.glob("claims.sqlite*"):
            f.unlink()
        conn = sqlite3.connect(p)
        conn.execute("CREATE TABLE invoices (n INTEGER)")
        conn.commit()
        conn.close()

    def garbage(seed: int):
        def put(p: Path) -> None:
            p.unlink()
            p.write_bytes(random.Random(seed).randbytes(5000))
        return put

    def directory(p: Path) -> None:
        p.unlink()
        p.mkdir()

    damage = {
        "index-json-garbage": ("index.json", _write(b"garbage")),
        "index-json-list": ("index.json", _write(b"[1, 2]")),
        "index-json-wrong-fields": ("index.json", _write(b'{"type": "flat", "count": "x"}')),
        "index-faiss-garbage": ("index.faiss", _write(random.Random(3).randbytes(300))),
        "sqlite-garbage": ("claims.sqlite", garbage(4)),
        "sqlite-foreign": ("claims.sqlite", foreign_sqlite),
        "sqlite-is-directory": ("claims.sqlite", directory),
    }
    for name, (target, put) in damage.items():
        if target == "claims.sqlite":  # the records: every command refuses, and leaves the file as it was
            cmds = (["db", "stats"], ["db", "verify"], ["db", "remove", "c0"], ["db", "export"],
                    ["db", "add", "{tmp}/c.yaml"], ["db", "rebuild"], ["check", "{tmp}/c.yaml"])
        else:  # the derived index: readers refuse it (remove and rebuild repair it, by design)
            cmds = (["db", "verify"],) if target == "index.faiss" else (["db", "stats"], ["db", "verify"])
        for cmd in cmds:
            def make(tmp: Path, target=target, put=put, cmd=cmd):
                db = _small_db(tmp / "db")
                for f in db.glob("claims.sqlite-*"):
                    f.unlink()
                put(db / target)
                (tmp / "c.yaml").write_text(CLAIMS_YAML)
                return [a.replace("{tmp}", str(tmp)) for a in cmd] + ["--db", str(db)], tmp, target
            _add(f"{'-'.join(c for c in cmd if not c.startswith('{'))}-corrupt-db", name, make)


def _snapshot(base: Path) -> dict[str, bytes | None]:
    """What exists under base (SQLite's -wal/-shm side files excepted), with the bytes of DB files."""
    out: dict[str, bytes | None] = {}
    for p in base.rglob("*"):
        if p.name.endswith(("-wal", "-shm")):
            continue
        out[str(p)] = p.read_bytes() if p.name == "claims.sqlite" and p.is_file() else None
    return out


def _make_read_only(d: Path) -> None:
    """A directory nobody may write in; root ignores modes, so it gets the immutable flag instead."""
    if IS_ROOT:
        import subprocess

        subprocess.run(["chattr", "+i", str(d)], check=True, capture_output=True)
    else:
        d.chmod(0o555)


def _undo_read_only(tmp: Path) -> None:
    if IS_ROOT:
        import subprocess

        for d in tmp.rglob("*"):
            if d.is_dir():
                subprocess.run(["chattr", "-i", str(d)], capture_output=True)
    for d in [tmp, *tmp.rglob("*")]:
        if d.is_dir() and not d.is_symlink():
            d.chmod(0o755)


_claim_cases()
_config_cases()
_eval_cases()
_baseline_cases()
_rule_cases()
_option_cases()
_article_cases()
_corrupt_db_cases()


# -- running ---------------------------------------------------------------------------------

def _run_as_nobody(argv: list[str], cwd: Path):
    """Permission cases need an unprivileged reader; under root, fork and drop to 'nobody'."""
    if not IS_ROOT:
        return run_cli(*argv, cwd=cwd)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.close(r)
            os.setgid(65534)
            os.setuid(65534)
            res = run_cli(*argv, cwd=cwd)
            payload = json.dumps([res.returncode, res.stdout, res.stderr]).encode()
        except BaseException as exc:  # noqa: BLE001
            payload = json.dumps([99, "", f"child failed: {exc!r}"]).encode()
        with os.fdopen(w, "wb") as f:
            f.write(payload)
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    rc, out, err = json.loads(data)
    return type("R", (), {"returncode": rc, "stdout": out, "stderr": err})()


@pytest.fixture
def world_tmp():
    """A tmp dir an unprivileged user can enter (pytest's own are private to their owner)."""
    d = Path(tempfile.mkdtemp(prefix="factcheck-badinput-"))
    d.chmod(0o755)
    yield d
    _undo_read_only(d)
    import shutil

    shutil.rmtree(d, ignore_errors=True)


def test_catalogue_size():
    by_entry: dict[str, int] = {}
    for c in CASES:
        by_entry[c.id.split(":")[0]] = by_entry.get(c.id.split(":")[0], 0) + 1
    assert len(CASES) >= 600, by_entry
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path: Path, world_tmp: Path):
    base = world_tmp if case.as_nobody else tmp_path
    try:
        argv, cwd, needle = case.make(base)
        before = _snapshot(base) if not case.as_nobody else None
        res = _run_as_nobody(argv, cwd) if case.as_nobody else run_cli(*argv, cwd=cwd)
        after = _snapshot(base) if not case.as_nobody else None
    finally:
        _undo_read_only(base)
    out = res.stdout + res.stderr
    assert "Traceback" not in out and "internal error" not in out, out
    assert res.returncode == 2, (res.returncode, out[-2000:])
    assert needle in out, out[-2000:]
    if case.lines == "one":
        lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("factcheck: error: "), res.stderr[-2000:]
    else:
        assert all(ln.startswith(str(cwd)) or needle in ln for ln in out.splitlines() if ln.strip()), out
    if before is not None:
        assert after.keys() == before.keys(), "bad input must create nothing: " + str(set(after) - set(before))
        assert after == before, "bad input must change no stored database"


# -- what must work: every loader reads every common encoding --------------------------------

# Legacy 8-bit encodings are a statistical guess (charset-normalizer) that needs article-length text:
# test_textio covers cp1252 articles; short claim or rule files in cp1252 may be misread as cp1250.
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]


@pytest.mark.parametrize("enc", ENCODINGS)
def test_every_loader_reads_common_encodings(tmp_path: Path, enc: str):
    """UTF-16/32 without a BOM used to crash claim files and rules; now all loaders decode alike."""
    from factcheck.baseline import read_baseline
    from factcheck.claimfile import load_claim_file
    from factcheck.config import find_config
    from factcheck.evaluate import load_pairs
    from factcheck.ruleset import parse_rule_file

    def put(name: str, text: str) -> Path:
        p = tmp_path / name
        p.write_bytes(text.encode(enc))
        return p

    accent = "Der Präsident trat zurück — am Montag, 北京."
    claims = load_claim_file(put("c.yaml", f"claims:\n  - id: c1\n    text: {accent}\n"))
    assert claims[0].text == accent
    assert load_claim_file(put("c.jsonl", json.dumps({"id": "c1", "text": accent}, ensure_ascii=False)))[0].text == accent
    rules, problems = parse_rule_file(put("r.yaml", RULE_YAML.replace("Advance and retreat", accent)))
    assert not problems and rules[0].description.startswith(accent)
    pairs = load_pairs(put("p.jsonl", json.dumps({"premise": accent, "hypothesis": "x", "label": "neutral"},
                                                 ensure_ascii=False)))
    assert pairs[0].premise == accent
    assert read_baseline(put("b.json", json.dumps({"findings": [{"fingerprint": accent}]}, ensure_ascii=False))) == {
        accent}
    put(".factcheck.yaml", f"model: {accent}\ntop_k: 3\n")
    assert find_config(tmp_path).model == accent


# -- the outer layer: a bug is exit 3, one line, full traceback only with --debug -------------

def _boom(*args, **kwargs):
    raise ZeroDivisionError("simulated bug in the pipeline")


def test_internal_error_is_one_line_exit_3(tmp_path: Path, monkeypatch):
    (tmp_path / "c.yaml").write_text(CLAIMS_YAML)
    monkeypatch.setattr("factcheck.settings.read_config", _boom)  # a bug, not bad input: fault injected
    res = run_cli("check", "c.yaml", "--no-db", cwd=tmp_path)
    assert res.returncode == 3
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert lines == ["factcheck: internal error: ZeroDivisionError: simulated bug in the pipeline; please report it "
                     "with --debug output"]
    assert "Traceback" not in res.stdout + res.stderr


@pytest.mark.parametrize("how", ["flag-first", "flag-after-command", "env"])
def test_debug_shows_the_traceback(tmp_path: Path, monkeypatch, how: str):
    (tmp_path / "c.yaml").write_text(CLAIMS_YAML)
    monkeypatch.setattr("factcheck.settings.read_config", _boom)
    argv = {"flag-first": ["--debug", "check", "c.yaml", "--no-db"],
            "flag-after-command": ["check", "c.yaml", "--no-db", "--debug"],
            "env": ["check", "c.yaml", "--no-db"]}[how]
    res = run_cli(*argv, cwd=tmp_path, env={"FACTCHECK_DEBUG": "1"} if how == "env" else None)
    assert res.returncode == 3
    assert "Traceback (most recent call last)" in res.stderr and "_boom" in res.stderr
    assert res.stderr.rstrip().splitlines()[-1] == \
        "factcheck: internal error: ZeroDivisionError: simulated bug in the pipeline"


def test_bad_input_stays_exit_2_under_debug(tmp_path: Path):
    (tmp_path / "c.yaml").write_text("claims: [a: b: c]\n")
    res = run_cli("--debug", "check", "c.yaml", "--no-db", cwd=tmp_path)
    assert res.returncode == 2 and "Traceback" not in res.stderr and "c.yaml:1:" in res.stderr


# -- memory is never sized from an unchecked number -----------------------------------------

def test_search_k_is_capped_by_stored_claims(tmp_path: Path):
    """FAISS allocates queries x k up front: a k of 10^12 against 3 claims must return 3 rows."""
    import numpy as np

    from factcheck.claims import Claim
    from factcheck.db.store import ClaimStore
    from factcheck.db.vindex import VectorIndex, build_index

    store = ClaimStore(tmp_path / "db", create=True)
    store.bind_model("test-vectors", 8)
    rng = np.random.default_rng(14)
    vecs = rng.normal(size=(3, 8)).astype("float32")
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    store.add_batch([Claim(f"claim {i}", source="s", id=f"c{i}") for i in range(3)], vecs)
    build_index(store)
    for k in (10**12, 2**63 - 1):
        hits = VectorIndex(store).search(vecs[:2], k)
        assert [len(h) for h in hits] == [3, 3]
        assert hits[0][0][0] == 1 and hits[0][0][1] == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("kwargs", [{"top_k": 10**12}, {"top_k": 0}, {"top_k": True}, {"min_similarity": float("nan")},
                                    {"min_similarity": 2}, {"batch_size": 0}])
def test_checker_api_has_the_cli_bounds(kwargs):
    from factcheck import Checker
    from factcheck.errors import FactcheckError

    with pytest.raises(FactcheckError):
        Checker(**kwargs)


def test_db_add_into_read_only_parent_creates_nothing(tmp_path: Path):
    (tmp_path / "c.yaml").write_text(CLAIMS_YAML)
    parent = tmp_path / "ro"
    parent.mkdir()
    _make_read_only(parent)
    try:
        res = run_cli("db", "add", "c.yaml", "--db", str(parent / "deep" / "db"), cwd=tmp_path)
        assert res.returncode == 2 and "nothing was created" in res.stderr
        assert list(parent.iterdir()) == []
    finally:
        _undo_read_only(tmp_path)
