"""What every type module shares: the MISSING sentinel and how a value is shown to a tester.

A property that a record does not have (MISSING) differs from one it holds as null (None):
a missing source value is left out of a create, a null one clears the target
(docs/design.md#comparing-values).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Final, Literal

__all__ = ["MISSING", "Missing", "is_blank", "json_kind", "show"]


class _Missing(Enum):
    MISSING = "MISSING"

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing.MISSING
"""The value of a path that a record does not have (as opposed to a null it holds)."""

Missing = Literal[_Missing.MISSING]

_SHOWN_LENGTH = 60


def is_blank(value: object) -> bool:
    """None and MISSING: no value at all."""
    return value is None or value is MISSING


def json_kind(value: object) -> str:
    """The JSON name of a value's type, as a tester reads it in a message."""
    if value is None:
        return "null"
    if value is MISSING:
        return "missing"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, datetime | date):
        return "date-time"
    return type(value).__name__


def show(value: object) -> str:
    """A value as JSON text (strings quoted), cut short so that a message stays readable."""
    if value is MISSING:
        return "MISSING"
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, Decimal):
        text = str(value)
    elif isinstance(value, datetime | date):
        text = value.isoformat()
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except ValueError:  # a circular structure
            text = repr(value)
    if len(text) > _SHOWN_LENGTH:
        text = text[: _SHOWN_LENGTH - 3] + "..."
    return text
