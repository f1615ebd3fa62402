"""Conventional help text: `--top-k N`, `--format [text|json]`, `ARTICLE_A`, not typer's
`<int range>`, `<list[str]>`, `{ARTICLE_A}` or `ARTICLE_A:TEXT` (Python types are not for users).

Duck-typed across typer versions (0.28 keeps click's types on each parameter, 0.29 a type
descriptor) and across typer's own copy of click."""
from __future__ import annotations


def _from_descriptor(desc) -> str:
    from typing import get_args

    if desc.choices:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in desc.choices) + "]"
    if desc.is_path:
        return "PATH"
    ann = desc.annotation
    if desc.is_list and get_args(ann):
        ann = get_args(ann)[0]
    return {int: "N", float: "X"}.get(ann, "TEXT")


def _from_click_type(t) -> str:
    choices = getattr(t, "choices", None)
    if choices:
        return "[" + "|".join(str(getattr(c, "value", c)) for c in choices) + "]"
    kind = type(t).__name__.lower()
    if "path" in kind or "file" in kind:
        return "PATH"
    return "N" if "int" in kind else "X" if "float" in kind else "TEXT"


def _metavar(param) -> str:
    desc = getattr(param, "type_descriptor", None)
    if desc is not None:
        return _from_descriptor(desc)
    t = getattr(param, "type", None)
    return _from_click_type(t) if t is not None else "TEXT"


def tidy(cmd):
    for param in cmd.params:
        if param.param_type_name == "argument":
            name = (param.metavar or param.name or "ARG").upper().rstrip(".")
            if param.nargs != 1:
                name += "..."
            shown = name if param.required else f"[{name}]"
            param.metavar = name
            param.make_metavar = lambda *a, n=name, s=shown, usage=False, **k: s if usage else n
            param.display_type_rich = lambda ctx: None
            param._usage_display_name = lambda s=shown: s
        elif param.param_type_name == "option" and not getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = _metavar(param)
    for sub in getattr(cmd, "commands", {}).values():
        tidy(sub)
    return cmd
