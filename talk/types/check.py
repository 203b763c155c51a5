"""Check a value sent to a target API against the documented type of its row (FORMAT.md).

The check is on the JSON value at the HTTP boundary. A null passes every type: it is how
an update clears a value (docs/design.md#comparing-values); whether a value arrived is checked
apart from its type.
"""

from __future__ import annotations

import math
from decimal import Decimal

from talk.dataflow.model import DataType, TypeKind
from talk.types.dates import matches_format
from talk.types.numbers import float_is_exact, parse_json_number
from talk.types.values import is_blank, json_kind, show

__all__ = ["check_type", "describe"]

_DESCRIPTIONS = {
    TypeKind.STRING: "a string",
    TypeKind.INTEGER: "an integer",
    TypeKind.FLOAT: "a number",
    TypeKind.DECIMAL: "a number written without loss of precision",
    TypeKind.BOOLEAN: "a boolean",
    TypeKind.LIST: "a list",
    TypeKind.NOT_APPLICABLE: "not checked: N/A transformation",
}


def describe(dtype: DataType) -> str:
    """What the check of this documented type expects, in a tester's words."""
    if dtype.kind is TypeKind.EXPRESSION:
        fmt = dtype.datetime_format
        if fmt is not None:
            return f"a date-time text in the format {fmt}"
        return f"not checked: expression {dtype.written.strip()}"
    return _DESCRIPTIONS[dtype.kind]


def check_type(value: object, dtype: DataType) -> str | None:
    """None when the value has the documented type (or the type is not checked), else why not."""
    if is_blank(value) or not dtype.is_checked:
        return None
    if _has_type(value, dtype):
        return None
    return f"expected {describe(dtype)}, got {show(value)} ({json_kind(value)})"


def _has_type(value: object, dtype: DataType) -> bool:
    kind = dtype.kind
    if kind is TypeKind.STRING:
        return isinstance(value, str)
    if kind is TypeKind.INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is TypeKind.FLOAT:
        return _is_json_number(value)
    if kind is TypeKind.DECIMAL:
        return _is_json_number(value) or _is_numeral_beyond_double(value)
    if kind is TypeKind.BOOLEAN:
        return isinstance(value, bool)
    if kind is TypeKind.LIST:
        return isinstance(value, list | tuple)
    fmt = dtype.datetime_format
    return fmt is not None and isinstance(value, str) and matches_format(value, fmt)


def _is_json_number(value: object) -> bool:
    """An int, float or Decimal (a body parsed with parse_float=Decimal), finite, not a boolean."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float | Decimal) and math.isfinite(value)


def _is_numeral_beyond_double(value: object) -> bool:
    """A numeral text that no double holds exactly: how a "decimal" travels without loss."""
    if not isinstance(value, str):
        return False
    number = parse_json_number(value)
    return number is not None and not float_is_exact(number)
