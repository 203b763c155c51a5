"""Deterministic sample values that fit both ends of a property row (docs/design.md#sample-values).

Every value derives from a seed text through SHA-256, never from a random generator,
a counter or the clock, so runs under pytest-xdist produce the same values.

A sample fits the source field's own type, the documented type and, where a profile knows
it, the target field's type: a "string" row into a number field gets a numeric text, an
"integer" row from a text field gets "42". Where the ends cannot agree (a boolean field
under an "integer" row), the documented type wins, so the value sent always passes its
check. Hard strings (quotes, pipes, unicode, HTML-like text) go only where the value is a
string at both ends and on the way (an end whose type no profile knows counts as text).

One source field often feeds several rows (a "string" row and an "integer" row from the
same field): `fitting_sample` picks the one value every row can carry, and says which rows
no value can serve, so that the generator never fails on a document and lint can tell.
"""

from __future__ import annotations

import hashlib
import math
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from talk.dataflow.model import DataType, TypeKind
from talk.systems.profile import FieldType
from talk.types.coerce import CoercionError, to_field, to_target
from talk.types.dates import parse_datetime
from talk.types.numbers import as_decimal, decimal_to_number, number_text, parse_number

__all__ = ["HARD_FRAGMENTS", "Fit", "RowEnd", "edited_value", "fitting_sample", "sample_value"]

HARD_FRAGMENTS = (
    "O'Brien & \"Sons\"",
    "pipe | in | text",
    "Ærøskøbing æøå \u2013 ß ✓",  # an en dash
    "日本語テキスト",
    "<b>bold</b> <script>alert(1)</script>",
    "back\\slash and 100%",
    "rocket 🚀 emoji",
)
_WORDS = ("Nordlys", "Fjord", "Birch", "Harbour", "Granite", "Aurora", "Meadow", "Lantern")
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
_SPAN_SECONDS = 8 * 365 * 24 * 3600
_DOTNET_DATE = re.compile(r"/Date\((-?\d+)([+-]\d{4})?\)/")
_FLIPPED_WORDS = {"true": "false", "false": "true", "yes": "no", "no": "yes"}
_NUMERIC_KINDS = frozenset({TypeKind.INTEGER, TypeKind.FLOAT, TypeKind.DECIMAL})
_PASSED_THROUGH = frozenset({TypeKind.STRING, TypeKind.NOT_APPLICABLE, TypeKind.EXPRESSION})


class _Kind(Enum):
    TEXT = "text"
    HARD_TEXT = "hard text"
    WHOLE = "whole number"
    FRACTION = "number with a fraction"
    FLAG = "0 or 1"
    BOOLEAN = "boolean"
    DATETIME = "date-time"
    GUID = "guid"
    LIST = "list"
    OBJECT = "object"


def _digest(seed: str, purpose: str) -> bytes:
    return hashlib.sha256(f"{purpose}\x00{seed}".encode()).digest()


def _number(seed: str, purpose: str) -> int:
    return int.from_bytes(_digest(seed, purpose)[:8], "big")


def sample_value(seed: str, field_type: FieldType | None, dtype: DataType, *,
                 hard: bool = False, target_field_type: FieldType | None = None) -> object:
    """A value for a source field of `field_type` on a row of documented type `dtype`."""
    kind, as_text = _plan(field_type, dtype, target_field_type)
    if kind is _Kind.TEXT and hard and _strings_at_both_ends(field_type, dtype,
                                                             target_field_type):
        kind = _Kind.HARD_TEXT
    value = _make(kind, seed)
    return _as_text(value) if as_text else value


@dataclass(frozen=True)
class RowEnd:
    """What one row that reads the source field does with it: its type and target field."""

    dtype: DataType
    target_field_type: FieldType | None = None


@dataclass(frozen=True)
class Fit:
    """The sample chosen for a source field, and the rows (by index) it cannot serve."""

    value: object
    unfit: tuple[int, ...] = ()


def _serves(value: object, row: RowEnd) -> bool:
    """Whether the value, and an edit of it, become the row's documented type and then
    what its target field holds."""
    try:
        for candidate in (value, edited_value(value, "fit")):
            to_field(to_target(candidate, row.dtype), row.target_field_type)
    except CoercionError:
        return False
    return True


def fitting_sample(seed: str, field_type: FieldType | None, rows: Sequence[RowEnd], *,
                   hard: bool = False) -> Fit:
    """A value of the source field that every row reading it can carry to its target.

    The first row's own sample comes first (a field read by one row gets exactly
    `sample_value`); then each other row's, so a "string" row and an "integer" row of one
    field get a numeric text. Where none serves all, the one serving most rows is kept."""
    best: Fit | None = None
    candidates = [sample_value(seed, field_type, row.dtype, hard=hard and index == 0,
                               target_field_type=row.target_field_type)
                  for index, row in enumerate(rows)]
    if len(rows) > 1:  # 0 or 1 is a number, a boolean and a text at once
        flag = _make(_Kind.FLAG, seed)
        candidates.append(_as_text(flag) if field_type in (None, FieldType.STRING) else flag)
    for value in candidates:
        unfit = tuple(i for i, other in enumerate(rows) if not _serves(value, other))
        if not unfit:
            return Fit(value)
        if best is None or len(unfit) < len(best.unfit):
            best = Fit(value, unfit)
    return best if best is not None else Fit(None)


def _as_text(value: object) -> object:
    """A sample as a text field holds it: "42", "123.45", "true"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(value)
    return value


def _strings_at_both_ends(field_type: FieldType | None, dtype: DataType,
                          target_field_type: FieldType | None) -> bool:
    text_field = (None, FieldType.STRING)
    passes_text = dtype.kind in _PASSED_THROUGH and dtype.datetime_format is None
    return field_type in text_field and target_field_type in text_field and passes_text


def _plan(field_type: FieldType | None, dtype: DataType,
          target: FieldType | None) -> tuple[_Kind, bool]:
    """Which kind of value to make, and whether the source field holds it as text."""
    source_is_text = field_type is FieldType.STRING
    if dtype.datetime_format is not None:
        return _Kind.DATETIME, False
    if dtype.kind in _NUMERIC_KINDS:
        ends = {field_type, target}
        if FieldType.BOOLEAN in ends:
            return _Kind.FLAG, False
        whole = dtype.kind is TypeKind.INTEGER or FieldType.INTEGER in ends
        return (_Kind.WHOLE if whole else _Kind.FRACTION), source_is_text
    if dtype.kind is TypeKind.BOOLEAN:
        if field_type in (FieldType.INTEGER, FieldType.NUMBER):
            return _Kind.FLAG, False
        return _Kind.BOOLEAN, source_is_text
    if field_type is None or source_is_text:
        return _by_target(target), source_is_text or field_type is None
    return _by_field(field_type, target), False


def _by_target(target: FieldType | None) -> _Kind:
    """A text source: make the text the target field can take."""
    if target is FieldType.INTEGER:
        return _Kind.WHOLE
    if target is FieldType.NUMBER:
        return _Kind.FRACTION
    if target is FieldType.BOOLEAN:
        return _Kind.BOOLEAN
    if target is FieldType.DATETIME:
        return _Kind.DATETIME
    if target is FieldType.GUID:
        return _Kind.GUID
    return _Kind.TEXT


def _by_field(field_type: FieldType, target: FieldType | None) -> _Kind:
    if field_type is FieldType.INTEGER:
        return _Kind.WHOLE
    if field_type is FieldType.NUMBER:
        return _Kind.WHOLE if target is FieldType.INTEGER else _Kind.FRACTION
    return {
        FieldType.BOOLEAN: _Kind.BOOLEAN,
        FieldType.DATETIME: _Kind.DATETIME,
        FieldType.GUID: _Kind.GUID,
        FieldType.ARRAY: _Kind.LIST,
        FieldType.OBJECT: _Kind.OBJECT,
    }.get(field_type, _Kind.TEXT)


def _make(kind: _Kind, seed: str) -> object:
    n = _number(seed, kind.value)
    if kind is _Kind.TEXT:
        return _text(seed)
    if kind is _Kind.HARD_TEXT:
        first = HARD_FRAGMENTS[n % len(HARD_FRAGMENTS)]
        second = HARD_FRAGMENTS[(n // len(HARD_FRAGMENTS)) % len(HARD_FRAGMENTS)]
        return f"{first} {_token(seed)} {second}"
    if kind is _Kind.WHOLE:
        return 1 + n % 99_999
    if kind is _Kind.FRACTION:
        return float(Decimal(f"{n % 10_000}.{1 + (n // 10_000) % 99:02d}"))
    if kind is _Kind.FLAG:
        return n % 2
    if kind is _Kind.BOOLEAN:
        return n % 2 == 0
    if kind is _Kind.DATETIME:
        moment = _EPOCH + timedelta(seconds=n % _SPAN_SECONDS)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind is _Kind.GUID:
        return str(uuid.UUID(bytes=_digest(seed, "guid")[:16], version=4))
    if kind is _Kind.LIST:
        return [_text(seed + "#1"), _text(seed + "#2")][: 1 + n % 2]
    return {"name": _text(seed)}


def _token(seed: str) -> str:
    return _digest(seed, "token").hex()[:6]


def _text(seed: str) -> str:
    word = _WORDS[_number(seed, "word") % len(_WORDS)]
    return f"Sample {word} {_token(seed)}"


def edited_value(value: object, seed: str) -> object:
    """A different value of the same kind, for an "edited" step: text stays text (a numeric
    text stays numeric, a date stays a date in its own format), numbers keep their wholeness,
    a boolean flips, a list gains an element, an object has a value edited."""
    n = _number(seed, "edit")
    if value is None:
        return _text(seed)
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float | Decimal):
        return _edited_number(value, n)
    if isinstance(value, str):
        return _edited_text(value, seed, n)
    if isinstance(value, datetime | date):
        return value + timedelta(days=1 + n % 300)
    if isinstance(value, list | tuple):
        extra = edited_value(value[-1], seed) if value else _text(seed)
        return [*value, extra]
    if isinstance(value, Mapping):
        return _edited_object(value, seed)
    return _text(seed)


def _edited_number(value: int | float | Decimal, n: int) -> int | float | Decimal:
    step = 1 + n % 997
    if isinstance(value, int):
        # 0 and 1 flip: they may stand for a boolean (a flag field under a "boolean" row)
        return 1 - value if value in (0, 1) else value + step
    if not value.is_finite() if isinstance(value, Decimal) else not math.isfinite(value):
        return type(value)(step)
    exact = as_decimal(value)
    changed = exact + step + (Decimal(0) if exact == exact.to_integral_value()
                              else Decimal(1 + n % 99) / 100)
    if isinstance(value, Decimal):
        return changed
    result = float(changed)
    return result if result != value else value * 2 + step  # too large for the step to show


def _edited_text(value: str, seed: str, n: int) -> str:
    word = value.strip().lower()
    if word in _FLIPPED_WORDS:
        flipped = _FLIPPED_WORDS[word]
        return flipped.upper() if value.isupper() else \
            flipped.capitalize() if value[:1].isupper() else flipped
    number = parse_number(value)
    if number is not None:
        edited = _edited_number(decimal_to_number(number), n)
        return number_text(edited)
    dotnet = _DOTNET_DATE.fullmatch(value)
    if dotnet:
        later = int(dotnet.group(1)) + (1 + n % 300) * 86_400_000
        return f"/Date({later}{dotnet.group(2) or ''})/"
    moment = parse_datetime(value)
    if moment is not None:
        return _edited_date_text(value, moment, n)
    try:
        uuid.UUID(value)
    except ValueError:
        return f"{value} (edited {_token(seed + value)})"
    return str(uuid.UUID(bytes=_digest(seed + value, "guid")[:16], version=4))


def _edited_date_text(value: str, moment: datetime | date, n: int) -> str:
    shifted = moment + timedelta(days=1 + n % 300)
    if not isinstance(shifted, datetime):
        return shifted.isoformat()
    text = shifted.isoformat()
    return text.replace("+00:00", "Z") if value.endswith("Z") else text


def _edited_object(value: Mapping[str, Any], seed: str) -> dict[str, Any]:
    edited = dict(value)
    for key, item in edited.items():
        if not isinstance(item, Mapping | list | tuple):
            edited[key] = edited_value(item, seed)
            return edited
    edited["edited"] = _text(seed)
    return edited
