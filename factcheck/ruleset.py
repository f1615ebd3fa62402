"""YAML rule files -> validated Rule objects, with every problem located at file:line:col.

The schema is assembled from the registered kinds, so a new kind brings its own fields. Loading
reports all problems at once (authors fix a file in one pass); running refuses any problem.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from .config import SEVERITIES  # one list of severity words, shared with the config schema
from .errors import FactcheckError
from .paths import expand_paths
from .kinds import KINDS, Match, RuleKind
from .yamlpos import LoadedYaml, load_yaml

SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
_PAIRS = {"type": "array", "items": {"type": "array", "minItems": 2, "maxItems": 2,
                                     "items": {"type": "string", "minLength": 1}}}
BASE_PROPERTIES: dict[str, Any] = {
    "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$",
           "description": "Unique rule id: lowercase letters, digits, '.', '_' and '-'."},
    "kind": {"enum": sorted(KINDS), "description": "Which rule kind judges the pair."},
    "description": {"type": "string", "minLength": 1, "description": "What the rule catches, for people."},
    "severity": {"enum": list(SEVERITIES), "description": "info, warning or error."},
    "min_similarity": {"type": "number", "minimum": 0, "maximum": 1,
                       "description": "Claims less similar than this are never judged by this rule."},
    "tags": {"type": "array", "items": {"type": "string"}, "description": "Free labels for selection."},
    "enabled": {"type": "boolean", "description": "false keeps the rule in the file but switched off."},
    "examples": {"type": "object", "additionalProperties": False,
                 "properties": {"fire": _PAIRS, "quiet": _PAIRS},
                 "description": "Claim pairs the rule must flag (fire) and must not flag (quiet)."},
}
BASE_REQUIRED = ("id", "kind", "description", "severity")


def rule_schema(kind: str | None = None) -> dict:
    props = dict(BASE_PROPERTIES)
    required = list(BASE_REQUIRED)
    if kind in KINDS:
        props.update(KINDS[kind].schema)
        required += list(KINDS[kind].required)
    return {"type": "object", "properties": props, "required": required}


def file_schema() -> dict:
    """The JSON Schema of a rule file, for editors (YAML language server) and `rules schema`."""
    branches = []
    for name, cls in sorted(KINDS.items()):
        props = {k: {} for k in BASE_PROPERTIES}
        props.update(cls.schema)
        branches.append({"if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
                         "then": {"properties": props, "required": list(BASE_REQUIRED) + list(cls.required),
                                  "additionalProperties": False}})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://factcheck.dev/schemas/rules.json",
        "title": "factcheck rule file",
        "type": "object",
        "properties": {
            "rules": {"type": "array", "items": {"type": "object", "properties": BASE_PROPERTIES,
                                                 "required": list(BASE_REQUIRED), "allOf": branches}},
        },
        "required": ["rules"],
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: int
    message: str
    rule: str | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"

    @property
    def location(self):
        from .location import Location

        return Location(self.path, self.line, self.column)


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    description: str
    severity: str
    min_similarity: float
    params: dict[str, Any]
    tags: tuple[str, ...] = ()
    examples: dict[str, list[list[str]]] = field(default_factory=dict)
    enabled: bool = True
    source: str = ""
    line: int = 0
    impl: RuleKind | None = field(default=None, repr=False, compare=False)

    def check(self, a, b) -> Match | None:
        return self.impl.check_both_ways(a, b)

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "severity": self.severity, "description": self.description,
                "min_similarity": self.min_similarity, "tags": list(self.tags), "enabled": self.enabled,
                "source": self.source, "line": self.line}


def default_rule_dirs() -> list[Path]:
    """The rules/ folder of a checkout or editable install, else the copy installed as package data."""
    here = Path(__file__).resolve().parent.parent / "rules"
    if here.is_dir():
        return [here]
    try:
        from importlib.resources import files

        return [Path(str(files("factcheck_rules")))]
    except (ImportError, ModuleNotFoundError, TypeError):
        return []


def _is_bundled(path: Path) -> bool:
    try:
        return path.resolve().parent in {d.resolve() for d in default_rule_dirs()}
    except OSError:
        return False


def rule_files(paths: Iterable[str | Path]) -> list[Path]:
    return expand_paths(paths, (".yaml", ".yml"), what="rule file or directory")


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


_PARSED: dict[tuple[str, str], tuple[list[Rule], list[Problem]]] = {}


def parse_rule_file(path: Path) -> tuple[list[Rule], list[Problem]]:
    """Rules of one file, parsed once per process for the same path and bytes: a process that runs
    many commands (the test suite, the service, an editor integration) would otherwise re-read and
    re-compile ~70 bundled rules on each (~0.2 s; lemmas and regexes). Keyed by content, so an
    edited file is always read afresh; the rules are never mutated after loading."""
    import hashlib

    from .userfile import read_user_text

    src = str(path)
    try:
        text = read_user_text(path, "rule file").text
    except FactcheckError as exc:
        return [], [Problem(src, exc.line or 1, exc.column or 1, exc.message)]
    key = (src, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    if key not in _PARSED:
        if len(_PARSED) > 256:
            _PARSED.clear()
        _PARSED[key] = _parse_rule_text(path, src, text, key[1])
    rules, problems = _PARSED[key]
    return list(rules), list(problems)


def _parse_rule_text(path: Path, src: str, text: str, digest: str) -> tuple[list[Rule], list[Problem]]:
    from . import rulecache

    trusted = _is_bundled(path)
    digest = f"{digest}{'t' if trusted else 'u'}"  # the YAML limits differ (yamlpos.load_yaml)
    cached = rulecache.lookup(digest)
    if cached is not None:
        try:
            return [_build_rule(item, src, line) for item, line in cached], []
        except Exception:  # noqa: BLE001 - whatever the cache holds, the full path below decides
            pass
    try:
        doc = load_yaml(text, src, trusted=trusted)
    except FactcheckError as exc:
        return [], [Problem(src, exc.line or 1, exc.column or 1, exc.message)]
    problems = [Problem(src, *pos, f"duplicate key '{p[-1]}'") for p, pos in doc.duplicates]
    data = doc.data
    if data is None:
        return [], problems + [Problem(src, 1, 1, "rule file is empty: expected a mapping with a 'rules' list")]
    if isinstance(data, list):
        items, base = data, ()
    elif isinstance(data, dict):
        for key in data:
            if key != "rules":
                problems.append(Problem(src, *doc.where((key,), key=True), f"unknown top-level key '{key}'"
                                        + _suggest(key, ["rules"])))
        if "rules" not in data:
            return [], problems + [Problem(src, 1, 1, "missing 'rules': expected a list of rules")]
        items, base = data["rules"], ("rules",)
        if not isinstance(items, list):
            return [], problems + [Problem(src, *doc.where(base), "'rules' must be a list of rules")]
    else:
        return [], problems + [Problem(src, *doc.where(()), "expected a mapping with a 'rules' list")]
    rules, clean = [], []
    for i, item in enumerate(items):
        rule, probs = _parse_rule(item, base + (i,), doc, src)
        problems.extend(probs)
        if rule is not None:
            rules.append(rule)
            clean.append((item, rule.line))
    if not problems:
        rulecache.store(digest, clean)
    return rules, problems


def _parse_rule(item: Any, path: tuple, doc: LoadedYaml, src: str) -> tuple[Rule | None, list[Problem]]:
    import jsonschema

    rid = item.get("id") if isinstance(item, dict) else None
    rid = rid if isinstance(rid, str) else None

    def problem(sub: tuple, msg: str, key: bool = False) -> Problem:
        return Problem(src, *doc.where(path + sub, key=key), msg, rid)

    if not isinstance(item, dict):
        return None, [problem((), "each rule must be a mapping with id, kind, description and severity")]
    problems: list[Problem] = []
    kind = item.get("kind")
    kind_cls = KINDS.get(kind) if isinstance(kind, str) else None
    if "kind" in item and kind_cls is None:
        problems.append(problem(("kind",), f"unknown kind '{kind}'" + _suggest(kind, KINDS)
                                + f"; known kinds: {', '.join(sorted(KINDS))}"))
    allowed = set(BASE_PROPERTIES) | (set(kind_cls.schema) if kind_cls else set())
    for key in item:
        if key not in allowed:
            hint = _suggest(key, allowed)
            problems.append(problem((key,), f"unknown key '{key}'{hint}", key=True))
    validator = jsonschema.Draft202012Validator(rule_schema(kind if kind_cls else None))
    for err in sorted(validator.iter_errors(item), key=lambda e: list(map(str, e.absolute_path))):
        sub = tuple(err.absolute_path)
        if err.validator == "enum" and sub == ("kind",):
            continue
        if err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            problems.append(problem(sub, f"missing required field '{missing}'"))
            continue
        where = ".".join(map(str, sub)) or "rule"
        problems.append(problem(sub, f"{where}: {_plain(err)}"))
    if kind_cls is not None and not problems:
        for sub, msg in kind_cls.problems(item):
            problems.append(problem(sub, msg))
        for sub, msg in _example_date_problems(item.get("examples") or {}):
            problems.append(problem(sub, msg))
    if problems:
        return None, problems
    try:
        return _build_rule(item, src, doc.where(path)[0]), []
    except Exception as exc:  # a kind that cannot compile its fields is a rule-file problem
        return None, [problem((), f"cannot build rule: {exc}")]


def _build_rule(item: dict, src: str, line: int) -> Rule:
    """A validated item -> Rule (from the YAML just read, or from rulecache)."""
    kind_cls = KINDS[item["kind"]]
    params = {k: v for k, v in item.items() if k in kind_cls.schema}
    return Rule(id=item["id"], kind=item["kind"], description=item["description"], severity=item["severity"],
                min_similarity=float(item.get("min_similarity", kind_cls.default_min_similarity)),
                params=params, tags=tuple(item.get("tags", ())), examples=item.get("examples", {}) or {},
                enabled=item.get("enabled", True), source=src, line=line, impl=kind_cls(params))


def _example_date_problems(examples: dict):
    """Examples are meant to be real claims: a date no calendar has (31 February) is a typo."""
    import calendar

    from .dates import find_dates

    for side, pairs in examples.items():
        for i, pair in enumerate(pairs or []):
            for j, text in enumerate(pair):
                for d in find_dates(text):
                    if d.month and d.day:
                        last = calendar.monthrange(d.year or 2000, d.month)[1]  # 2000: 29 February allowed
                        if d.day > last:
                            yield (("examples", side, i, j), f"example has an impossible date '{d.text}' "
                                   f"({calendar.month_name[d.month]} has {last} days"
                                   + (f" in {d.year})" if d.year else ")"))


def _plain(err) -> str:
    from .structured import plain_message

    return plain_message(err)


BUILTIN = "builtin"


def expand_rule_paths(paths: Iterable[str | Path] | None) -> list[Path]:
    """Rule paths as given, with the word 'builtin' standing for the bundled rules: `--rules builtin
    --rules mine.yaml` extends the defaults (as semgrep's repeated --config does); no paths means builtin."""
    out: list[Path] = []
    for p in (list(paths) if paths else [BUILTIN]):
        out.extend(default_rule_dirs() if str(p) == BUILTIN else [Path(p)])
    return out


def load_rules(paths: Iterable[str | Path] | None = None) -> tuple[list[Rule], list[Problem]]:
    """All rules from files and directories, plus every problem found (duplicate ids included)."""
    files = rule_files(expand_rule_paths(paths))
    rules: list[Rule] = []
    problems: list[Problem] = []
    seen: dict[str, Rule] = {}
    for f in dict.fromkeys(files):  # builtin named twice, or a file inside a named directory: read once
        rs, ps = parse_rule_file(f)
        problems.extend(ps)
        for r in rs:
            if r.id in seen:
                first = seen[r.id]
                problems.append(Problem(r.source, r.line, 1, f"duplicate rule id '{r.id}' "
                                        f"(first defined at {first.source}:{first.line})", r.id))
                continue
            seen[r.id] = r
            rules.append(r)
    return rules, problems


def load_rules_strict(paths: Iterable[str | Path] | None = None) -> list[Rule]:
    rules, problems = load_rules(paths)
    if problems:
        p = problems[0]
        more = f" (and {len(problems) - 1} more problems; run 'factcheck rules validate')" if len(problems) > 1 else ""
        raise FactcheckError(p.message + more, p.path, p.line, p.column)
    return rules


def rule_keys(rules: Iterable[Rule]) -> set[str]:
    """Every id and tag a selection may name."""
    return {k for r in rules for k in (r.id, *r.tags)}


def unknown_keys(rules: Iterable[Rule], names: Iterable[str]) -> list[tuple[str, str]]:
    """(name, did-you-mean hint) for each name that is neither a rule id nor a tag."""
    known = rule_keys(rules)
    return [(n, _suggest(n, known)) for n in names if n not in known]


def select_rules(rules: Iterable[Rule], enable: Iterable[str] = (), disable: Iterable[str] = (),
                 severity: dict[str, str] | None = None) -> list[Rule]:
    """Apply configuration: ids or tags to switch on (only these; a rule marked `enabled: false`
    included), off, and severity overrides by id or tag (an id wins over a tag).

    Returns new Rule objects: the loaded rules are never changed, so a second selection from the
    same rules (a test, a long-running service) starts from the files again.
    """
    enable, disable = set(enable), set(disable)
    severity = severity or {}
    out = []
    for r in rules:
        keys = {r.id, *r.tags}
        on = bool(keys & enable) if enable else r.enabled
        if keys & disable:
            on = False
        if not on:
            continue
        level = next((severity[k] for k in (r.id, *r.tags) if k in severity), r.severity)
        out.append(replace(r, severity=level, enabled=True))
    return out
