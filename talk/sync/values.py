"""When the sync sees two values as one value: the documented type's rule, and timestamps as
the instants they name.

APIs write one instant in several ways (`2024-01-02T10:11:23Z`, `...23.000Z`, `+00:00`):
a change detection comparing the text would see an edit on every read and write it back,
so two texts that are both ISO 8601 date-times compare as instants.
"""

from __future__ import annotations

from datetime import datetime

from talk.dataflow.model import DataType
from talk.types.compare import same_value
from talk.types.dates import parse_datetime

__all__ = ["same_synced"]


def same_synced(a: object, b: object, dtype: DataType | None = None) -> bool:
    """Whether the sync treats `a` and `b` as one value under the row's documented type."""
    if same_value(a, b, dtype):
        return True
    moment_a, moment_b = _moment(a), _moment(b)
    if moment_a is None or moment_b is None:
        return False
    if (moment_a.tzinfo is None) != (moment_b.tzinfo is None):
        return False  # a wall time and an instant are not comparable
    return moment_a == moment_b


def _moment(value: object) -> datetime | None:
    """A date-time (not a bare date) written as ISO 8601 text or held as a datetime."""
    if not isinstance(value, str | datetime) or (isinstance(value, str) and "T" not in value):
        return None
    parsed = parse_datetime(value)
    return parsed if isinstance(parsed, datetime) else None
