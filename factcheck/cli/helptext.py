"""Conventional help text: `--top-k N`, `--format [text|json]`, `ARTICLE_A`, not typer's
`<int range>`, `<list[str]>` or `{ARTICLE_A}` (Python types are not for users).

Duck-typed on click's parameter classes: typer may bring its own copy of click."""
from __future__ import annotations


def _metavar(param) -> str:
    from typing import get_args

    desc = getattr(param, "type_descriptor", None)
    if desc is None:  # typer's own options (--install-completion ...) carry no annotation
        return "TEXT"
    if desc.choices:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in desc.choices) + "]"
    if desc.is_path:
        return "PATH"
    ann = desc.annotation
    if desc.is_list and get_args(ann):
        ann = get_args(ann)[0]
    return {int: "N", float: "X"}.get(ann, "TEXT")


def tidy(cmd):
    for param in cmd.params:
        if param.param_type_name == "argument":
            name = (param.metavar or param.name or "ARG").upper()
            if param.nargs != 1 and not name.endswith("..."):
                name += "..."
            param.metavar = name
            param.display_type_rich = lambda ctx: None
            param._usage_display_name = lambda n=name, required=param.required: n if required else f"[{n}]"
        elif param.param_type_name == "option" and not getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = _metavar(param)
    for sub in getattr(cmd, "commands", {}).values():
        tidy(sub)
    return cmd
