"""Safe YAML loading that remembers where every value came from.

Rule authors need 'file:line:col' for each problem, so values are paired with their marks.
Only yaml.SafeLoader is used: no tags that construct Python objects.
"""
from __future__ import annotations

from typing import Any

import yaml

from .errors import FactcheckError

Position = tuple[int, int]  # 1-based line, column


class LoadedYaml:
    def __init__(self, data: Any, positions: dict[tuple, Position], key_positions: dict[tuple, Position],
                 duplicates: list[tuple[tuple, Position]]) -> None:
        self.data = data
        self.positions = positions          # path -> position of the value
        self.key_positions = key_positions  # path -> position of the mapping key naming it
        self.duplicates = duplicates
        self.ends: dict[tuple, Position] = {}  # path -> position just past the value

    def end(self, path: tuple) -> Position | tuple[None, None]:
        return self.ends.get(tuple(path), (None, None))

    def where(self, path: tuple, key: bool = False) -> Position:
        """Position of `path`, or of its nearest ancestor that has one."""
        table = self.key_positions if key else self.positions
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if not key and p in self.key_positions:
                return self.key_positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))


class _LocatedConstruction:
    """Values PyYAML's constructors cannot build (2022-02-31, !!int abc) become located errors."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except yaml.YAMLError:
            raise
        except Exception as exc:  # noqa: BLE001  (PyYAML's constructors raise IndexError on "!!int ''" and the like)
            what = f"invalid date '{node.value}'" if node.tag.endswith(":timestamp") else \
                f"cannot read value {str(node.value)[:40]!r}"
            raise yaml.constructor.ConstructorError(None, None, f"{what}: {exc}", node.start_mark) from None


class _BoundedLoader(_LocatedConstruction, yaml.SafeLoader):
    """SafeLoader that refuses nesting deeper than MAX_DEPTH (the composer recurses)."""

    _depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _TrustedLoader(_LocatedConstruction, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader, for the rule files factcheck ships: the same nodes and marks, ~18x
    faster (0.36 s -> 0.02 s on the bundled rules, paid by every cold compare). Its C composer
    cannot bound nesting, so user files always go through _BoundedLoader."""


def load_yaml(text: str, source: str, trusted: bool = False) -> LoadedYaml:
    from .structured import check_tree

    loader = None
    try:
        loader = (_TrustedLoader if trusted else _BoundedLoader)(text)
        node = loader.get_single_node()
        if node is None:
            return LoadedYaml(None, {}, {}, [])
        _check_expansion(node, source)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise FactcheckError(f"invalid YAML: {problem}", source,
                             mark.line + 1 if mark else None, mark.column + 1 if mark else None)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise FactcheckError(f"invalid YAML: character U+{code:04X} is not allowed in YAML", source, line, col)
    except yaml.YAMLError as exc:
        raise FactcheckError(f"invalid YAML: {exc}", source)
    except RecursionError:
        raise FactcheckError("invalid YAML: nested too deeply", source)
    finally:
        if loader is not None:
            loader.dispose()
    positions: dict[tuple, Position] = {}
    key_positions: dict[tuple, Position] = {}
    duplicates: list[tuple[tuple, Position]] = []
    ends: dict[tuple, Position] = {}
    _walk(node, positions, key_positions, duplicates, ends)
    duplicates.sort(key=lambda d: d[1])
    doc = LoadedYaml(data, positions, key_positions, duplicates)
    doc.ends = ends
    check_tree(data, source, doc.where)
    return doc


MAX_DEPTH = 64
_ALIAS_GROWTH = 10       # aliases may repeat values, not multiply them (the "billion laughs")
_ALIAS_FLOOR = 100_000


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_expansion(root, source: str) -> None:
    """Values after alias expansion, counted per distinct node (post-order, no recursion)."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        nid = id(node)
        if done:
            on_path.discard(nid)
            size[nid] = 1 + sum(size[id(c)] for c in _children(node))
            continue
        if nid in size:
            continue
        if nid in on_path:
            raise FactcheckError("invalid YAML: an alias refers to a value that contains it", source, *_mark(node))
        on_path.add(nid)
        stack.append((node, True))
        for c in _children(node):
            if id(c) in on_path:
                raise FactcheckError("invalid YAML: an alias refers to a value that contains it", source,
                                     *_mark(c))
            if id(c) not in size:
                stack.append((c, False))
    total, distinct = size[id(root)], len(size)
    if total > _ALIAS_FLOOR and total > _ALIAS_GROWTH * distinct:
        raise FactcheckError(f"invalid YAML: aliases expand {distinct:,} values into {total:,}", source,
                             *_mark(root))


def _mark(node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _walk(root, positions, key_positions, duplicates, ends) -> None:
    """Positions of every path; an aliased collection is walked once (its other paths fall back to
    the alias's own position)."""
    walked: set[int] = set()
    stack = [(root, ())]
    while stack:
        node, path = stack.pop()
        positions.setdefault(path, _mark(node))
        ends.setdefault(path, (node.end_mark.line + 1, node.end_mark.column + 1))
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in walked:
                continue
            walked.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for knode, vnode in node.value:
                key = knode.value
                if key in seen:
                    duplicates.append((path + (key,), _mark(knode)))
                seen.add(key)
                key_positions.setdefault(path + (key,), _mark(knode))
                stack.append((vnode, path + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append((item, path + (i,)))
