"""Structured user data (JSON, YAML trees) checked before anything uses it.

Parsers and validators recurse, so a 10,000-deep list is a RecursionError, and alias bombs or
lone surrogates fail far from the file that held them. Every check here ends in a FactcheckError
that names the file and, where the parser kept one, the line and column.
"""
from __future__ import annotations

import json
from typing import Any, Callable

from .errors import FactcheckError

MAX_DEPTH = 64            # claim files, rules and configs need under 10 levels
MAX_NODES = 20_000_000    # values after alias expansion; a 200 MB file of short values stays under it

Where = Callable[[tuple], tuple]


def _nowhere(path: tuple) -> tuple:
    return None, None


def check_tree(data: Any, src: str, where: Where = _nowhere, max_depth: int = MAX_DEPTH,
               max_nodes: int = MAX_NODES) -> None:
    """Depth, size after alias expansion and valid Unicode in keys and strings, walked without recursion."""
    stack: list[tuple[Any, tuple]] = [(data, ())]
    seen = 0
    while stack:
        value, path = stack.pop()
        seen += 1
        if seen > max_nodes:
            raise FactcheckError(f"too many values (over {max_nodes:,}; YAML aliases expanding?)", src,
                                 *where(path))
        if len(path) > max_depth:
            raise FactcheckError(f"nested more than {max_depth} levels deep", src, *where(path))
        if isinstance(value, str):
            _check_str(value, src, where, path)
        elif isinstance(value, dict):
            for k, v in value.items():
                if isinstance(k, str):
                    _check_str(k, src, where, path)
                stack.append((v, path + (k,)))
        elif isinstance(value, (list, tuple)):
            stack.extend((v, path + (i,)) for i, v in enumerate(value))


def _check_str(s: str, src: str, where: Where, path: tuple) -> None:
    if "\x00" in s:
        raise FactcheckError(f"{_label(path)}: text holds a NUL character (\\0)", src, *where(path))
    try:
        s.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = s[exc.start]
        raise FactcheckError(f"{_label(path)}: text holds a lone surrogate (U+{ord(bad):04X}), which is not "
                             "valid Unicode", src, *where(path)) from None


def _label(path: tuple) -> str:
    return ".".join(map(str, path)) or "value"


def load_json(text: str, src: str, line: int | None = None, max_depth: int = MAX_DEPTH) -> Any:
    """json.loads with located errors; `line` is the file line of a JSONL row."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FactcheckError(f"invalid JSON: {exc.msg}", src, line or exc.lineno, exc.colno) from None
    except RecursionError:
        data = None
        _raise_depth(text, src, line, max_depth)
    if _depth_over(data, max_depth):
        _raise_depth(text, src, line, max_depth)
    check_tree(data, src, lambda p: (line, None) if line else (None, None), max_depth)
    return data


def _depth_over(data: Any, max_depth: int) -> bool:
    stack = [(data, 0)]
    while stack:
        value, d = stack.pop()
        if d > max_depth:
            return True
        if isinstance(value, dict):
            stack.extend((v, d + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, d + 1) for v in value)
    return False


def _raise_depth(text: str, src: str, line: int | None, max_depth: int) -> None:
    """Find where the brackets first nest deeper than allowed (outside strings), for the message."""
    depth, in_str, esc, ln, col = 0, False, False, 1, 0
    for ch in text:
        col += 1
        if ch == "\n":
            ln, col = ln + 1, 0
            continue
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > max_depth:
                break
        elif ch in "]}":
            depth -= 1
    raise FactcheckError(f"nested more than {max_depth} levels deep", src, (line or 1) + ln - 1 if line else ln, col)


def json_locator(text: str, src: str, first_line: int = 1) -> Where:
    """Positions inside JSON text, for error messages only: JSON is YAML, and the YAML loader keeps
    marks (slow on big files, so this runs only once something is already wrong)."""
    from .yamlpos import load_yaml

    try:
        doc = load_yaml(text, src)
    except FactcheckError:
        return lambda path: (first_line, None)

    def where(path: tuple):
        line, col = doc.where(path)
        return line + first_line - 1, col
    return where


def schema_problem(data: Any, schema: dict, src: str, where: Where = _nowhere, prefix: tuple = (), skip: int = 0
                   ) -> FactcheckError | None:
    """The most specific schema violation as a located error, or None. The message names the value
    by its path, with `skip` leading parts left out (a JSONL row wrapped in a list)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    errors = list(validator.iter_errors(data))
    if not errors:
        return None
    err = max(errors, key=lambda e: (len(e.absolute_path), -len(str(e.message))))
    path = tuple(err.absolute_path)
    label = _label(prefix + path[skip:]) if path[skip:] or prefix else ""
    return FactcheckError(f"{label}: {plain_message(err)}" if label else plain_message(err), src, *where(path))


def check_schema(data: Any, schema: dict, src: str, where: Where = _nowhere, prefix: tuple = (), skip: int = 0
                 ) -> None:
    problem = schema_problem(data, schema, src, where, prefix, skip)
    if problem is not None:
        raise problem


def plain_message(err) -> str:
    """jsonschema's messages, shortened to what a person needs (the value, what was expected)."""
    inst = err.instance
    shown = "" if inst is None or isinstance(inst, (dict, list)) else repr(inst)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    v = err.validator
    if v == "type":
        want = err.validator_value
        want = " or ".join(want) if isinstance(want, list) else want
        return f"expected {want}, got {_type_name(inst)} {shown}".rstrip()
    if v == "enum":
        return f"must be one of {', '.join(map(str, err.validator_value))}, got {shown or _type_name(inst)}"
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        word = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
                "exclusiveMaximum": "less than"}[v]
        return f"must be {word} {err.validator_value}, got {shown}"
    if v == "required":
        return f"missing required field {err.message.split(' is a required')[0]}"
    if v == "pattern" and err.validator_value == "\\S":
        return "must not be blank"
    if v in ("minItems", "maxItems"):
        word = "at least" if v == "minItems" else "at most"
        return f"must have {word} {err.validator_value} item(s), got {len(inst) if isinstance(inst, list) else shown}"
    if v in ("minProperties", "maxProperties", "minLength", "maxLength") and err.validator_value != 1:
        return err.message
    if v == "minLength" and err.validator_value == 1:
        return "must not be empty"
    if v == "minItems" and err.validator_value == 1:
        return "must not be empty"
    if v == "additionalProperties":
        return err.message.replace("Additional properties are not allowed", "unknown field(s)")
    return err.message


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
            dict: "object"}.get(type(value), type(value).__name__)
