"""Project configuration: `.factcheck.yaml` or `[tool.factcheck]` in pyproject.toml, found by
walking up from the working directory. Command-line flags override it.

Every value is checked against CONFIG_SCHEMA (types, ranges, allowed words) before use, and a
bad one is reported at its line and column in either file format.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from typing import Callable
from pathlib import Path

from .errors import FactcheckError

MAX_TOP_K = 1000  # neighbours per claim: beyond this candidates are noise, and memory grows with claims x k
SEVERITIES = ("info", "warning", "error")  # the same words as ruleset.SEVERITIES (kept import-light)
FAIL_ON = (*SEVERITIES, "never")
VETO_MODES = ("demote", "drop", "off")  # what a confident verifier "no" does to a rule finding

_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}
CONFIG_SCHEMA = {
    "type": "object",
    "properties": {
        "rules": _STRINGS,
        "enable": _STRINGS,
        "disable": _STRINGS,
        "severity": {"type": "object", "additionalProperties": {"enum": list(SEVERITIES)}},
        "fail_on": {"enum": list(FAIL_ON)},
        "min_similarity": {"type": "number", "minimum": 0, "maximum": 1},
        "top_k": {"type": "integer", "minimum": 1, "maximum": MAX_TOP_K},
        "model": {"type": "string", "minLength": 1},
        "db": {"type": "string", "minLength": 1},
        "backend": {"enum": ["onnx", "torch"]},
        "verifier": {"type": "string", "minLength": 1},  # a model directory, relative to the config file
        "verifier_veto": {"enum": list(VETO_MODES)},
        "parser": {"type": "string", "minLength": 1},  # an installed spaCy pipeline (claim frames)
    },
}
KEYS = tuple(CONFIG_SCHEMA["properties"])


@dataclass
class Config:
    rules: list[str] = field(default_factory=list)
    enable: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    min_similarity: float | None = None
    top_k: int | None = None
    model: str | None = None
    db: str | None = None
    backend: str | None = None
    verifier: str | None = None       # NLI model directory for the optional verifier stage
    verifier_veto: str | None = None  # demote | drop | off
    parser: str | None = None  # an installed spaCy pipeline for claim frames (factcheck.frames)
    path: str | None = None
    # (key, index...) -> (line, column) in the file, so errors about values can point at them
    locate: Callable[[tuple], tuple] = field(default=lambda sub, key=False: (None, None), repr=False, compare=False)

    def where(self, *sub) -> tuple:
        return self.locate(tuple(sub))


def find_config(start: Path | None = None) -> Config:
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        y = d / ".factcheck.yaml"
        if os.path.lexists(y):  # a directory or dangling link here is an error, not "no config"
            return _from_yaml(y)
        p = d / "pyproject.toml"
        if os.path.lexists(p):
            cfg = _from_pyproject(p)
            if cfg is not None:
                return cfg
    return Config()


def load_config(path: Path) -> Config:
    """An explicit --config PATH: a YAML file, or a TOML file with a [tool.factcheck] table."""
    if not path.is_file():
        raise FactcheckError("no such configuration file", str(path))
    if path.suffix.lower() == ".toml":
        cfg = _from_pyproject(path)
        if cfg is None:
            raise FactcheckError("no [tool.factcheck] table in this file", str(path))
        return cfg
    return _from_yaml(path)


def _from_yaml(path: Path) -> Config:
    from .userfile import read_user_text
    from .yamlpos import load_yaml

    doc = load_yaml(read_user_text(path, "configuration", allow_empty=True).text, str(path))
    cfg = _build(doc.data if doc.data is not None else {}, path,
                 lambda p: doc.where(p, key=len(p) == 1 and p[0] not in KEYS))
    cfg.locate = doc.where
    return cfg


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def _from_pyproject(path: Path) -> Config | None:
    import tomllib

    from .structured import check_tree
    from .userfile import read_user_text

    text = read_user_text(path, "configuration", allow_empty=True).text
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_POS.search(str(exc))
        msg = _TOML_POS.sub("", str(exc)).strip()
        raise FactcheckError(f"invalid TOML: {msg}", str(path), *(map(int, m.groups()) if m else ()))
    except RecursionError:
        raise FactcheckError("invalid TOML: nested too deeply", str(path))
    tool = data.get("tool", {})
    section = tool.get("factcheck") if isinstance(tool, dict) else None
    if section is None:
        return None
    where = _toml_locator(text)
    check_tree(section, str(path), where)
    cfg = _build(section, path, where)
    cfg.locate = lambda sub, key=False: where(tuple(sub))
    return cfg


def _toml_locator(text: str):
    """(line, column) of keys under [tool.factcheck] (tomllib keeps no positions): line-based, for
    the plain layouts people write (key = value, [tool.factcheck.severity] tables, dotted keys)."""
    header = re.compile(r"^\s*\[\s*([^\]\[]+?)\s*\]\s*(?:#.*)?$")
    assign = re.compile(r"^(\s*)((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+))*)"
                        r"\s*=\s*")
    found: dict[tuple, tuple[int, int]] = {}
    prefix: tuple | None = None
    for n, line in enumerate(text.split("\n"), 1):
        h = header.match(line)
        if h:
            parts = tuple(p.strip().strip("\"'") for p in h.group(1).split("."))
            prefix = parts[2:] if parts[:2] == ("tool", "factcheck") else None
            if prefix is not None:
                found.setdefault(prefix or ("<section>",), (n, 1))
            continue
        a = assign.match(line)
        if a and prefix is not None:
            key = tuple(p.strip().strip("\"'") for p in a.group(2).split("."))
            found.setdefault(prefix + key, (n, a.end() + 1))
    section = found.get(("<section>",), (None, None))

    def where(path: tuple):
        p = tuple(path)
        while p:
            if p in found:
                return found[p]
            p = p[:-1]
        return section
    return where


def _build(data, path: Path, where) -> Config:
    import difflib

    from .structured import check_schema

    if not isinstance(data, dict):
        raise FactcheckError("configuration must be a mapping of settings", str(path), *where(()))
    for key in data:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), list(KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise FactcheckError(f"unknown configuration key '{key}'{hint}", str(path), *where((key,)))
    if data.get("verifier_veto") is False:  # YAML 1.1 reads a bare `off` as false: the word was meant
        data = {**data, "verifier_veto": "off"}
    check_schema(data, CONFIG_SCHEMA, str(path), where)
    cfg = Config(path=str(path))
    for key, value in data.items():
        if key == "min_similarity":
            if not math.isfinite(value):
                raise FactcheckError(f"min_similarity: must be a number from 0 to 1, got {value!r}", str(path),
                                     *where((key,)))
            value = float(value)
        if key == "top_k":
            value = int(value)
        if key == "rules":
            value = [v if v == "builtin" or Path(v).is_absolute() else str((path.parent / v).resolve())
                     for v in value]
        if key == "db":
            from .db.base import is_url

            if is_url(value):
                _no_credentials(value, path, *where((key,)))
            else:
                value = str((path.parent / value).resolve())
        if key == "verifier":
            value = str((path.parent / value).resolve())
        setattr(cfg, key, value)
    return cfg


def _no_credentials(url: str, path: Path, line, col) -> None:
    """Credentials never live in configuration files (they get committed): the token comes from
    the environment only."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.username or parts.password or "token=" in parts.query:
        raise FactcheckError("credentials do not belong in configuration; set FACTCHECK_MILVUS_TOKEN instead",
                             str(path), line, col)
