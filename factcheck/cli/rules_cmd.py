"""`factcheck rules ...`: list, show, validate, test, new, schema. Only `test` loads the model."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import FactcheckError
from enum import Enum

from ..kinds import KINDS
from .common import Backend, BackendOpt, ConfigOpt, Format, ModelOpt, settings_from

app = typer.Typer(help="Inspect, validate and test YAML rules.", no_args_is_help=True)
PathsArg = typer.Argument(None, help="Rule files or directories; 'builtin' names the bundled rules. Default: "
                          "the config's rules, else builtin.")
Kind = Enum("Kind", {name: name for name in sorted(KINDS)}, type=str)


def _load(paths, config=None):
    """Paths given here, else the rules the configuration names (as compare would run them)."""
    from ..ruleset import load_rules

    if paths:
        return load_rules(paths)
    return load_rules(settings_from(config=config, with_rules=False).rule_paths)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _shown(path: str) -> str:
    """Paths under the working directory are shown relative, as users typed them."""
    import os

    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


@app.command("list")
def list_rules(paths: Optional[List[Path]] = PathsArg,
               fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
               config: Optional[Path] = ConfigOpt) -> None:
    """List rules: id, kind, severity and where each is defined."""
    rules, problems = _load(paths, config)
    if fmt == Format.json:
        typer.echo(json.dumps([r.to_dict() for r in rules], indent=2))
    else:
        width = max((len(r.id) for r in rules), default=10)
        for r in rules:
            off = "" if r.enabled else "  (disabled)"
            typer.echo(f"{r.id:<{width}}  {r.kind:<9} {r.severity:<8} {_shown(r.source)}:{r.line}{off}")
    if problems:
        typer.echo(f"factcheck: {_plural(len(problems), 'problem')} in rule files; run 'factcheck rules validate'",
                   err=True)
        raise typer.Exit(2)


@app.command()
def show(rule_id: str = typer.Argument(..., help="Rule id."), paths: Optional[List[Path]] = PathsArg,
         config: Optional[Path] = ConfigOpt) -> None:
    """Show one rule in full, as YAML."""
    import yaml

    rules, _ = _load(paths, config)
    for r in rules:
        if r.id == rule_id:
            doc = {"id": r.id, "kind": r.kind, "description": r.description, "severity": r.severity,
                   "min_similarity": r.min_similarity, **({"tags": list(r.tags)} if r.tags else {}),
                   **r.params, "examples": r.examples}
            typer.echo(f"# {r.source}:{r.line}")
            typer.echo(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100).rstrip())
            return
    import difflib

    close = difflib.get_close_matches(rule_id, [r.id for r in rules], n=1)
    raise FactcheckError(f"no rule with id '{rule_id}'" + (f" (did you mean '{close[0]}'?)" if close else ""))


@app.command()
def validate(paths: Optional[List[Path]] = PathsArg,
             fmt: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
             config: Optional[Path] = ConfigOpt) -> None:
    """Check rule files without loading the model; every problem as file:line:col. Exit 2 on any."""
    rules, problems = _load(paths, config)
    if fmt == Format.json:
        typer.echo(json.dumps({"rules": len(rules), "problems": [p.__dict__ for p in problems]}, indent=2))
    else:
        for p in problems:
            typer.echo(str(p))
        if not problems:
            typer.echo(f"{_plural(len(rules), 'rule')} OK")
    if problems:
        raise typer.Exit(2)


@app.command()
def test(paths: Optional[List[Path]] = PathsArg, model: Optional[str] = ModelOpt,
         backend: Optional[Backend] = BackendOpt,
         verbose: bool = typer.Option(False, "--verbose", "-v", help="Show every example."),
         config: Optional[Path] = ConfigOpt) -> None:
    """Run each rule's fire/quiet examples through the real pipeline. Exit 1 on a failure."""
    from ..ruletest import run_rule_examples

    rules, problems = _load(paths, config)
    settings = settings_from(config=config, with_rules=False, backend=backend)  # model and backend: flag > config
    model = model or settings.model
    if problems:
        for p in problems:
            typer.echo(str(p), err=True)
        raise typer.Exit(2)
    results = run_rule_examples(rules, model=model, backend=settings.backend)
    failed = 0
    for res in results:
        status = "PASS" if res.ok else "FAIL"
        failed += not res.ok
        typer.echo(f"{status}  {res.rule.id}  ({res.passed}/{res.total} examples)")
        for line in (res.lines if verbose else res.failures):
            typer.echo(f"      {line}")
    typer.echo(f"{len(results) - failed} passed, {failed} failed")  # "1 passed" reads right either way
    if failed:
        raise typer.Exit(1)


@app.command()
def new(kind: Kind = typer.Argument(..., help=f"Rule kind: {', '.join(sorted(KINDS))}.")) -> None:
    """Print a commented template for a new rule of KIND."""
    cls = KINDS[kind.value]
    typer.echo(f"# {cls.name}: {cls.summary}\n# Fields: " + ", ".join(f"{k} ({v.get('description', '')})"
                                                                   for k, v in cls.schema.items()))
    typer.echo("rules:\n" + cls.template.rstrip())


@app.command()
def schema() -> None:
    """Print the JSON Schema of rule files (for editors and the YAML language server)."""
    from ..ruleset import file_schema

    typer.echo(json.dumps(file_schema(), indent=2))
