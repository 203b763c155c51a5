"""Date-times as the APIs write them: ISO 8601 text (Keap, Exact answers) and `/Date(ms)/` (.NET).

A datetime keeps its own wall time: `"datetime-format","%Y-%m-%d"` of
2024-01-01T23:30:00-05:00 is 2024-01-01, the date the source system shows.
`/Date(ms)/` counts milliseconds since the epoch in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

__all__ = ["format_datetime", "matches_format", "parse_datetime"]

_DOTNET_DATE = re.compile(r"/Date\((?P<ms>-?\d+)(?P<offset>[+-]\d{4})?\)/")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_datetime(value: object) -> datetime | date | None:
    """A date or datetime from a datetime object, ISO 8601 text or `/Date(ms)/`; else None."""
    if isinstance(value, datetime | date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    dotnet = _DOTNET_DATE.fullmatch(text)
    if dotnet:
        return _EPOCH + timedelta(milliseconds=int(dotnet.group("ms")))
    if not text or not text[0].isdigit():
        return None
    try:
        if len(text) <= 10:  # 2024-01-02, 20240102
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def format_datetime(value: object, fmt: str) -> str | None:
    """The value written with a strftime format, or None when it is not a date-time."""
    parsed = parse_datetime(value)
    if parsed is None:
        return None
    return parsed.strftime(fmt)


def matches_format(text: str, fmt: str) -> bool:
    """Whether the text is a date-time written in the strftime format."""
    try:
        datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True
