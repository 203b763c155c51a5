"""When two values are the same value (docs/design.md#comparing-values), for change detection and
agreement checks.

- None, MISSING and "" are all "no value" (APIs answer "" or null for a cleared text).
- Numbers compare as numbers: 7, 7.0 and Decimal("7") are one value, and so is "7" where the
  documented type is a number, or where the text is a JSON number literal ("12.5", not "007").
- Non-whole numbers compare as doubles, which is how the APIs hold them; whole numbers
  compare exactly, a float by its shortest text (1e16 is 10000000000000000).
- Under a "string" row a boolean is its text ("true") and JSON text is its data; under a
  "boolean" row the words of `to_target` (yes/no, 1/0) are the boolean; under a "list" row
  a single value is a list of one; under a `"datetime-format"` row dates compare formatted.
- Lists compare element-wise with the same rule, objects key by key; other text is exact.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from talk.dataflow.model import DataType, TypeKind
from talk.types.dates import format_datetime
from talk.types.numbers import as_decimal, decimal_to_int, parse_json_number, parse_number
from talk.types.values import is_blank

__all__ = ["normalize", "same_value", "value_key"]

_NUMERIC = frozenset({TypeKind.INTEGER, TypeKind.FLOAT, TypeKind.DECIMAL})
_TRUE_WORDS = frozenset({"true", "yes", "y", "on", "1"})
_FALSE_WORDS = frozenset({"false", "no", "n", "off", "0"})


def same_value(a: object, b: object, dtype: DataType | None = None) -> bool:
    """Whether two values are one value under the row's documented type (None: no type)."""
    return value_key(a, dtype) == value_key(b, dtype)


def value_key(value: object, dtype: DataType | None = None) -> str:
    """A text equal for same values and only for them: a dictionary key for merge matching."""
    return json.dumps(normalize(value, dtype), sort_keys=True, ensure_ascii=False)


def normalize(value: object, dtype: DataType | None = None) -> object:
    """The canonical JSON form of a value under a documented type (see the module rules)."""
    if dtype is not None and dtype.kind is TypeKind.LIST and _has_value(value) \
            and not isinstance(value, list | tuple):
        value = _list_from(value)
    return _canonical(value, dtype)


def _has_value(value: object) -> bool:
    return not is_blank(value) and value != ""


def _list_from(value: object) -> list[object]:
    if isinstance(value, str) and value.lstrip().startswith("["):
        parsed = _json_data(value)
        if isinstance(parsed, list):
            return parsed
    return [value]


def _canonical(value: object, dtype: DataType | None) -> object:
    kind = dtype.kind if dtype is not None else None
    if not _has_value(value):
        return None
    if isinstance(value, bool):
        if kind is TypeKind.STRING:
            return "true" if value else "false"
        return value
    if isinstance(value, int | float | Decimal):
        if kind is TypeKind.BOOLEAN and value in (0, 1):
            return bool(value)
        return _number(value)
    if isinstance(value, str):
        return _text(value, dtype)
    if isinstance(value, datetime | date):
        fmt = dtype.datetime_format if dtype is not None else None
        return value.strftime(fmt) if fmt is not None else value.isoformat()
    if isinstance(value, list | tuple):
        element_type = None if kind is TypeKind.LIST else dtype
        return [_canonical(element, element_type) for element in value]
    if isinstance(value, Mapping):
        return {str(key): _canonical(item, None) for key, item in value.items()
                if _has_value(item)}
    return str(value)


def _number(value: int | float | Decimal) -> object:
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        return float(value)
    return _exact(as_decimal(value))


def _exact(number: Decimal) -> int | float:
    """A whole number as its exact int (a float by its shortest text), else as a double."""
    whole = decimal_to_int(number)
    return float(number) if whole is None else whole


def _text(value: str, dtype: DataType | None) -> object:
    kind = dtype.kind if dtype is not None else None
    if kind in _NUMERIC:
        number = parse_number(value)
        return value if number is None else _exact(number)
    if kind is TypeKind.BOOLEAN:
        word = value.strip().lower()
        if word in _TRUE_WORDS or word in _FALSE_WORDS:
            return word in _TRUE_WORDS
        return value
    fmt = dtype.datetime_format if dtype is not None else None
    if fmt is not None:
        formatted = format_datetime(value, fmt)
        return value if formatted is None else formatted
    if kind is TypeKind.STRING and value.lstrip()[:1] in ("[", "{"):
        parsed = _json_data(value)
        if isinstance(parsed, list | dict):
            return _canonical(parsed, None)
    number = parse_json_number(value)
    return value if number is None else _exact(number)


def _json_data(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None
