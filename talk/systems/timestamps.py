"""ISO 8601 timestamps as the Keap, WebCRM and generic APIs write them."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["parse_iso_timestamp"]


def parse_iso_timestamp(text: object) -> datetime | None:
    """An ISO 8601 date-time as an aware datetime (UTC when it names no offset); None for
    anything that is not one."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
