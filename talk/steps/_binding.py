"""Bind a step function to its phrase of `talk.harness.vocabulary`, and read data tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pytest_bdd import parsers, step

from talk.gherkin.escape import decode_cell
from talk.harness.vocabulary import phrase

__all__ = ["bind", "table_values"]

F = TypeVar("F", bound=Callable[..., Any])
_TYPES = {"Given": "given", "When": "when", "Then": "then"}


def bind(key: str) -> Callable[[F], F]:
    """Register the function for the phrase `key` (in the module that applies this)."""
    entry = phrase(key)

    def decorate(function: F) -> F:
        type_ = _TYPES[entry.keywords[0]] if len(entry.keywords) == 1 else None
        # stacklevel 2: pytest-bdd puts the step fixture into the calling module
        step(parsers.re(entry.pattern), type_, stacklevel=2)(function)  # type: ignore[arg-type]
        return function

    return decorate


def table_values(datatable: list[list[str]] | None, step_text: str) -> dict[str, Any]:
    """`| path | value |` rows as {path: value}; a `| property | value |` header is skipped."""
    if not datatable:
        raise AssertionError(f"{step_text!r} needs a data table: | property | value |")
    rows = datatable
    if [cell.strip().lower() for cell in rows[0]] == ["property", "value"]:
        rows = rows[1:]
    values: dict[str, Any] = {}
    for row in rows:
        if len(row) != 2:
            raise AssertionError(f"{step_text!r}: each table row is | property | value |, "
                                 f"got {len(row)} cells: {row}")
        values[row[0].strip()] = decode_cell(row[1].strip())
    return values
