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


def load_yaml(text: str, source: str) -> LoadedYaml:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return LoadedYaml(None, {}, {}, [])
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise FactcheckError(f"invalid YAML: {problem}", source,
                             mark.line + 1 if mark else None, mark.column + 1 if mark else None)
    except yaml.YAMLError as exc:
        raise FactcheckError(f"invalid YAML: {exc}", source)
    finally:
        loader.dispose()
    positions: dict[tuple, Position] = {}
    key_positions: dict[tuple, Position] = {}
    duplicates: list[tuple[tuple, Position]] = []
    ends: dict[tuple, Position] = {}
    _walk(node, (), positions, key_positions, duplicates, ends)
    loaded = LoadedYaml(data, positions, key_positions, duplicates)
    loaded.ends = ends
    return loaded


def _mark(node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _walk(node, path, positions, key_positions, duplicates, ends) -> None:
    positions[path] = _mark(node)
    ends[path] = node.end_mark.line + 1, node.end_mark.column + 1
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for knode, vnode in node.value:
            key = knode.value
            if key in seen:
                duplicates.append((path + (key,), _mark(knode)))
            seen.add(key)
            key_positions[path + (key,)] = _mark(knode)
            _walk(vnode, path + (key,), positions, key_positions, duplicates, ends)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), positions, key_positions, duplicates, ends)
