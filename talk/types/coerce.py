"""Coerce values between a source field, the documented target type and a target field.

Three directions, one set of rules:

- `to_target`: a source value to the documented type of its row (the third column).
- `to_source`: a target value back to the source field's own type (a "string" row carries
  Keap's number 12.5 to WebCRM as "12.5", and WebCRM's "99.9" back to Keap as 99.9).
- `to_field`: what an API itself does when it stores a value into a field
(docs/design.md#api-types),
  used by the emulators: strict like Java's and .NET's default JSON conversion.

The rules, in one place:

- None and MISSING stay as they are: no value is never invented, never sent as "" or "None".
- Numbers keep their exact value: a float is taken at its shortest text, so 0.1 stays 0.1
  and 12.5 -> "12.5" -> 12.5. Numbers become text as "7", "12.5", "1e+21" (never "7.0").
- Booleans become the text "true" / "false" (JSON's words); from text, true/false, yes/no,
  y/n, on/off and 1/0 are understood, in any case.
- Objects and lists become their compact JSON text for a "string" row; a JSON array or
  object text comes back as the list or object.
- An empty (or blank) text is no value (None) for every type but a string, as Jackson
  and Json.NET read "" for a number.
- "decimal" is a number without loss: an int when whole, a float when a double holds the
  value exactly, else the exact numeral as text (a value with more digits than a double).
- A value that cannot be converted raises CoercionError: a per-record failure, with a
  message a tester understands ('cannot convert "abc" to integer').
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from talk.dataflow.model import DataType, TypeKind
from talk.systems.profile import FieldType
from talk.types.dates import format_datetime, parse_datetime
from talk.types.numbers import (
    as_decimal,
    decimal_to_int,
    decimal_to_json,
    decimal_to_number,
    number_text,
    parse_number,
)
from talk.types.values import is_blank, show

__all__ = ["CoercionError", "field_type_of", "to_field", "to_source", "to_target"]

_TRUE_WORDS = frozenset({"true", "yes", "y", "on", "1"})
_FALSE_WORDS = frozenset({"false", "no", "n", "off", "0"})


class CoercionError(ValueError):
    """A value that cannot become the wanted type: the record fails, the run goes on."""

    def __init__(self, value: object, target: str, reason: str | None = None) -> None:
        self.value = value
        self.target = target
        self.reason = reason
        message = f"cannot convert {show(value)} to {target}"
        super().__init__(f"{message}: {reason}" if reason else message)


# --- conversions shared by the three directions --------------------------------------------


def _text(value: object, target: str = "string") -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return number_text(_finite(value, target))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping | list | tuple):
        try:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                              default=_json_default)
        except (TypeError, ValueError) as error:
            raise CoercionError(value, target, "not JSON data") from error
    raise CoercionError(value, target, f"a {type(value).__name__} has no text form")


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return decimal_to_json(as_decimal(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _finite(value: int | float | Decimal, target: str) -> int | float | Decimal:
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise CoercionError(value, target, "not a finite number")
    return value


def _exact_number(value: object, target: str) -> Decimal:
    """The exact decimal a value holds, for every numeric target."""
    if isinstance(value, bool):
        raise CoercionError(value, target, "a boolean is not a number")
    if isinstance(value, int | float | Decimal):
        return as_decimal(_finite(value, target))
    if isinstance(value, str):
        number = parse_number(value)
        if number is None:
            raise CoercionError(value, target)
        return number
    word = _kind_word(value)
    article = "an" if word[0] in "aeiou" else "a"
    raise CoercionError(value, target, f"{article} {word} is not a number")


def _integer(value: object, target: str = "integer") -> int:
    whole = decimal_to_int(_exact_number(value, target))
    if whole is None:
        raise CoercionError(value, target, "not a whole number")
    return whole


def _float(value: object, target: str = "float") -> float:
    result = float(_exact_number(value, target))
    if not math.isfinite(result):
        raise CoercionError(value, target, "too large for a float")
    return result


def _decimal(value: object) -> int | float | str:
    return decimal_to_json(_exact_number(value, "decimal"))


def _number(value: object) -> int | float:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return value  # already a JSON number: sent as it is, the API keeps its own precision
    result = decimal_to_number(_exact_number(value, "number"))
    if isinstance(result, float) and not math.isfinite(result):
        raise CoercionError(value, "number", "too large for a number")
    return result


def _boolean(value: object, target: str = "boolean") -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise CoercionError(value, target, "not true/false, yes/no or 1/0")


def _list(value: object, target: str = "list") -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str) and value.lstrip().startswith("["):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if isinstance(parsed, list):
            return parsed
    return [value]


def _object(value: object) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            return parsed
    raise CoercionError(value, "object")


def _datetime_text(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str) and parse_datetime(value) is not None:
        return value
    raise CoercionError(value, "datetime", "not an ISO 8601 date-time or /Date(ms)/")


def _guid(value: object) -> str:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):
        try:
            uuid.UUID(value)
        except ValueError:
            pass
        else:
            return value
    raise CoercionError(value, "guid")


def _formatted(value: object, fmt: str) -> str:
    text = format_datetime(value, fmt)
    if text is None:
        raise CoercionError(value, f"a date-time in the format {fmt}", "not a date-time")
    return text


def _kind_word(value: object) -> str:
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "list"
    return type(value).__name__


def _is_blank_text(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


# --- the three directions ------------------------------------------------------------------

_TO_TARGET: dict[TypeKind, Callable[[object], object]] = {
    TypeKind.STRING: _text,
    TypeKind.INTEGER: _integer,
    TypeKind.FLOAT: _float,
    TypeKind.DECIMAL: _decimal,
    TypeKind.BOOLEAN: _boolean,
    TypeKind.LIST: _list,
}


def to_target(value: object, dtype: DataType) -> object:
    """The value as the documented target type of its row; CoercionError if it cannot be.

    `N/A` and expressions other than `"datetime-format"` pass the value through unchanged.
    """
    if is_blank(value):
        return value
    if dtype.kind is TypeKind.STRING:
        return _text(value)
    if dtype.kind is TypeKind.EXPRESSION and dtype.datetime_format is not None:
        return None if _is_blank_text(value) else _formatted(value, dtype.datetime_format)
    convert = _TO_TARGET.get(dtype.kind)
    if convert is None:
        return value
    return None if _is_blank_text(value) else convert(value)


def _source_text(value: object) -> str:
    """A target value back into a text field. A list of one plain value gives that value:
    a single value travels to a `"list"` row's target as a list of one (`_list`), so an
    edit there comes back as the value, not as the list's JSON text."""
    if isinstance(value, list | tuple) and len(value) == 1 \
            and isinstance(value[0], str | int | float | Decimal):
        return _text(value[0])
    return _text(value)


_TO_SOURCE: dict[FieldType, Callable[[object], object]] = {
    FieldType.STRING: _source_text,
    FieldType.INTEGER: _integer,
    FieldType.NUMBER: _number,
    FieldType.BOOLEAN: _boolean,
    FieldType.ARRAY: _list,
    FieldType.OBJECT: _object,
    FieldType.DATETIME: _datetime_text,
    FieldType.GUID: _guid,
}


def field_type_of(value: object) -> FieldType | None:
    """The field type a JSON value suggests (any number: NUMBER), None for no value."""
    if isinstance(value, bool):
        return FieldType.BOOLEAN
    if isinstance(value, int | float | Decimal):
        return FieldType.NUMBER
    if isinstance(value, str):
        return FieldType.STRING
    if isinstance(value, list | tuple):
        return FieldType.ARRAY
    if isinstance(value, Mapping):
        return FieldType.OBJECT
    return None


def to_source(value: object, field_type: FieldType | None, previous: object = None) -> object:
    """A target value back in the source field's own type; CoercionError if it cannot be.

    Without a known field type, the source's last known value (`previous`) shows the type
    (a number of any kind means a number); with neither, the value passes through.
    """
    if is_blank(value):
        return value
    wanted = field_type if field_type is not None else field_type_of(previous)
    if wanted is None:
        return value
    if wanted is not FieldType.STRING and _is_blank_text(value):
        return None
    return _TO_SOURCE[wanted](value)


def to_field(value: object, field_type: FieldType | None) -> object:
    """What an API stores when a client sends this value for a field of this type.

    docs/design.md#api-types, the default conversion of Java's and .NET's JSON libraries: a numeric
    text
    becomes a number in a number field (a double), a number or boolean becomes its text in
    a text field; anything they cannot convert (a list for a number, "abc" for an integer)
    is refused with CoercionError, which an emulator answers with the API's own 400.
    """
    if is_blank(value) or field_type is None:
        return value
    if field_type is not FieldType.STRING and _is_blank_text(value):
        return None
    if field_type is FieldType.STRING:
        if isinstance(value, Mapping | list | tuple):
            raise CoercionError(value, "string", f"the API takes no {_kind_word(value)} as text")
        return _text(value)
    if field_type is FieldType.NUMBER:
        return _float(value, "number")
    if field_type is FieldType.ARRAY:
        if isinstance(value, list | tuple):
            return list(value)
        raise CoercionError(value, "array", "the API takes no single value as a list")
    if field_type is FieldType.OBJECT:
        if isinstance(value, Mapping):
            return dict(value)
        raise CoercionError(value, "object", "the API takes no text or number as an object")
    if field_type is FieldType.BOOLEAN and isinstance(value, str):
        word = value.strip().lower()
        if word in ("true", "false"):
            return word == "true"
        raise CoercionError(value, "boolean")
    return _TO_SOURCE[field_type](value)
