"""Read and write the dotted property paths of the documents in nested records.

Paths name nested objects and elements of lists alike, with no index (FORMAT.md):
`address.city`, `Emails.Value`. The rules for a list on the way:

- Reading a single value (`get_path`), a path through a list reads the first element that
  holds the rest of the path: `Emails.Value` of {"Emails": [{"Value": "a"}, {"Value": "b"}]}
  is "a". `get_all` reads every element's value: ["a", "b"].
- Writing (`set_path`) goes where `get_path` reads, so a written value reads back; when no
  element holds the path yet, into the first element (creating `[{}]` for an empty list).
- A path the record does not have reads as MISSING, which differs from a null it holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from talk.dataflow.model import BracketCondition
from talk.types.compare import same_value
from talk.types.values import MISSING, Missing, show

__all__ = [
    "MISSING",
    "Missing",
    "PathError",
    "condition_holds",
    "get_all",
    "get_path",
    "has_path",
    "set_path",
    "top_level",
]


class PathError(ValueError):
    """A path that cannot be written: the record holds a plain value where an object must be."""


def _segments(path: str) -> list[str]:
    segments = path.strip().split(".")
    if not all(segments):
        raise PathError(f"not a property path: {path!r}")
    return segments


def top_level(path: str) -> str:
    """The first segment of a path: the field a create must carry (`address.city` -> `address`)."""
    return path.strip().split(".", 1)[0]


def get_path(record: Mapping[str, Any], path: str) -> object:
    """The value at a path; through a list, the first element holding it; MISSING if none."""
    return _get(record, _segments(path))


def _get(node: object, segments: list[str]) -> object:
    if not segments:
        return node
    if isinstance(node, Mapping):
        if segments[0] not in node:
            return MISSING
        return _get(node[segments[0]], segments[1:])
    if isinstance(node, list | tuple):
        for element in node:
            found = _get(element, segments)
            if found is not MISSING:
                return found
    return MISSING


def has_path(record: Mapping[str, Any], path: str) -> bool:
    """Whether the record has the path at all (holding null counts as having it)."""
    return get_path(record, path) is not MISSING


def get_all(record: Mapping[str, Any], path: str) -> list[object]:
    """Every value at a path: all elements of lists on the way, and of a list at the end."""
    found: list[object] = []
    _collect(record, _segments(path), found)
    return found


def _collect(node: object, segments: list[str], found: list[object]) -> None:
    if isinstance(node, list | tuple):
        for element in node:
            _collect(element, segments, found)
    elif not segments:
        found.append(node)
    elif isinstance(node, Mapping) and segments[0] in node:
        _collect(node[segments[0]], segments[1:], found)


def set_path(record: dict[str, Any], path: str, value: object) -> None:
    """Write a value at a path, creating the objects (and a one-element list) it needs."""
    segments = _segments(path)
    node: object = record
    for depth, segment in enumerate(segments[:-1]):
        node = _container(node, segments[depth:], path)
        assert isinstance(node, dict)
        child = node.get(segment)
        if child is None:
            child = node[segment] = {}
        elif not isinstance(child, dict | list):
            where = ".".join(segments[: depth + 1])
            raise PathError(f"cannot write {path}: {where} holds {show(child)}, not an object")
        node = child
    _container(node, segments[-1:], path)[segments[-1]] = value


def _container(node: object, rest: list[str], path: str) -> dict[str, Any]:
    """The object to write `rest` into: the node itself, or the list element `get_path` reads."""
    if isinstance(node, dict):
        return node
    if isinstance(node, list):
        for element in node:
            if isinstance(element, dict) and _get(element, rest) is not MISSING:
                return element
        if not node:
            node.append({})
        first = node[0]
        if isinstance(first, dict):
            return first
        raise PathError(f"cannot write {path}: a list of {show(first)} holds no objects")
    raise PathError(f"cannot write {path}: {show(node)} is not an object")


def condition_holds(record: Mapping[str, Any], condition: BracketCondition) -> bool | None:
    """docs/design.md#bracket-conditions: whether the record's path holds the value (or a list
    element equals it).

    None when the condition is not understood: the caller reports it, never guesses.
    """
    if not condition.understood or condition.path is None or condition.value is None:
        return None
    wanted = condition.value.strip()
    return any(_matches(found, wanted) for found in get_all(record, condition.path))


def _matches(found: object, wanted: str) -> bool:
    if isinstance(found, bool):
        return wanted.lower() == ("true" if found else "false")
    return same_value(found, wanted)
