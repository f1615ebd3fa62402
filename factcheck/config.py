"""Project configuration: `.factcheck.yaml` or `[tool.factcheck]` in pyproject.toml, found by
walking up from the working directory. Command-line flags override it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable
from pathlib import Path

from .errors import FactcheckError

KEYS = {"rules": list, "enable": list, "disable": list, "severity": dict, "fail_on": str,
        "min_similarity": float, "top_k": int, "model": str, "db": str}


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
    path: str | None = None
    # (key, index...) -> (line, column) in the file, so errors about values can point at them
    locate: Callable[[tuple], tuple] = field(default=lambda sub, key=False: (None, None), repr=False, compare=False)

    def where(self, *sub) -> tuple:
        return self.locate(tuple(sub))


def find_config(start: Path | None = None) -> Config:
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        y = d / ".factcheck.yaml"
        if y.is_file():
            return _from_yaml(y)
        p = d / "pyproject.toml"
        if p.is_file():
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
    from .yamlpos import load_yaml

    doc = load_yaml(path.read_text(encoding="utf-8"), str(path))
    cfg = _build(doc.data or {}, path, lambda key: doc.where((key,), key=True))
    cfg.locate = doc.where
    return cfg


def _from_pyproject(path: Path) -> Config | None:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise FactcheckError(f"invalid TOML: {exc}", str(path))
    section = data.get("tool", {}).get("factcheck")
    if section is None:
        return None
    return _build(section, path, lambda key: (None, None))


def _build(data, path: Path, where) -> Config:
    import difflib

    if not isinstance(data, dict):
        raise FactcheckError("configuration must be a mapping", str(path))
    cfg = Config(path=str(path))
    for key, value in data.items():
        line, col = where(key)
        if key not in KEYS:
            close = difflib.get_close_matches(key, list(KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise FactcheckError(f"unknown configuration key '{key}'{hint}", str(path), line, col)
        want = KEYS[key]
        if want is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, want):
            raise FactcheckError(f"'{key}' must be a {want.__name__}", str(path), line, col)
        if key == "rules":
            value = [v if v == "builtin" or Path(v).is_absolute() else str((path.parent / v).resolve())
                     for v in value]
        if key == "db":
            value = str((path.parent / value).resolve())
        setattr(cfg, key, value)
    return cfg
