"""Project configuration: `.factcheck.yaml` or `[tool.factcheck]` in pyproject.toml, found by
walking up from the working directory. Command-line flags override it."""
from __future__ import annotations

from dataclasses import dataclass, field
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


def _from_yaml(path: Path) -> Config:
    from .yamlpos import load_yaml

    doc = load_yaml(path.read_text(encoding="utf-8"), str(path))
    return _build(doc.data or {}, path, lambda key: doc.where((key,), key=True))


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
            value = [str((path.parent / v).resolve()) if not Path(v).is_absolute() else v for v in value]
        if key == "db":
            from .db.base import is_url

            if is_url(value):
                _no_credentials(value, path, line, col)
            else:
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
