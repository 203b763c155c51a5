"""Client of Exact Online REST v1 (OData v2): every entity set of the REST reference.

Records are returned without the OData `__metadata` envelope entry. Rate limits: a 429
waits until `X-RateLimit-Minutely-Reset` (epoch ms), or the daily reset when the daily
quota is the one used up; Exact does not send Retry-After.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from talk.connectors.base import ApiError, ChangePage, Connector, Record, RetryPolicy
from talk.systems.exact import datetime_literal, key_literal, parse_odata_date
from talk.systems.profile import EntityProfile, SystemProfile

__all__ = ["ExactConnector"]

_ONE_MS = timedelta(milliseconds=1)


def _unwrap(body: Any) -> Any:
    """`{"d": {"results": [...]}}`, `{"d": [...]}` or `{"d": {...}}` -> the inner value."""
    inner = body.get("d", body) if isinstance(body, dict) else body
    if isinstance(inner, dict) and isinstance(inner.get("results"), list):
        return inner["results"]
    return inner


def _plain(record: Record) -> Record:
    return {k: v for k, v in record.items() if k != "__metadata"}


class ExactConnector(Connector):
    """`wall_clock` (epoch seconds) turns the epoch-ms reset headers into a delay."""

    def __init__(self, profile: SystemProfile, base_url: str, token: str | None, *,
                 session: requests.Session | None = None, retry: RetryPolicy | None = None,
                 wall_clock: Callable[[], float] = time.time) -> None:
        super().__init__(profile, base_url, token, session=session, retry=retry)
        self.wall_clock = wall_clock

    def _url(self, entity: EntityProfile, record_id: str | None = None) -> str:
        url = f"{self.base_url}/{entity.resource}"
        if record_id is None:
            return url
        return f"{url}({key_literal(entity, {entity.id_field: record_id})})"

    # -- reads ----------------------------------------------------------------------------

    def _pages(self, entity: EntityProfile, params: dict[str, Any] | None) -> Iterator[Record]:
        url: str | None = self._url(entity)
        guard = self.page_guard()
        while url:
            body = self.request("GET", url, params=params,
                                headers={"Accept": "application/json"}).json()
            rows = _unwrap(body)
            if not isinstance(rows, list):
                raise ApiError(self.profile.key, 200, f"expected a list answer, got {body!r}"
                               [:300], "GET", url)
            guard.step(url, params, rows)
            yield from (_plain(row) for row in rows)
            inner = body.get("d") if isinstance(body, dict) else None
            url = inner.get("__next") if isinstance(inner, dict) else None
            params = None  # __next carries every option

    def list_all(self, entity: EntityProfile) -> Iterator[Record]:
        return self._pages(entity, None)

    def read_changes(self, entity: EntityProfile, cursor: str | None) -> ChangePage:
        """`Modified ge datetime'<cursor>'`; the cursor is the first instant not yet read.

        The stored cursor is the newest `Modified` seen plus one millisecond (Exact's
        resolution), so the next read returns exactly the records modified after it.
        """
        params = None
        if cursor:
            since = datetime.fromisoformat(cursor)
            if since.tzinfo is None:  # a cursor without offset is UTC, never local time
                since = since.replace(tzinfo=UTC)
            params = {"$filter": f"{entity.modified_field or 'Modified'} ge "
                                 f"{datetime_literal(since)}"}
        newest: list[datetime] = []

        def records() -> Iterator[Record]:
            for record in self._pages(entity, params):
                modified = self.modified_at(entity, record)
                if modified is not None and (not newest or modified > newest[0]):
                    newest[:] = [modified]
                yield record

        def next_cursor() -> str | None:
            if not newest:
                return cursor
            return (newest[0] + _ONE_MS).isoformat(timespec="milliseconds")

        return ChangePage(records(), next_cursor)

    def get(self, entity: EntityProfile, record_id: str) -> Record | None:
        try:
            body = self.request("GET", self._url(entity, record_id),
                                headers={"Accept": "application/json"}).json()
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        found = _unwrap(body)
        if isinstance(found, list):  # some OData servers answer a keyed read as a list
            found = found[0] if found else None
        return _plain(found) if isinstance(found, dict) else None

    # -- writes ---------------------------------------------------------------------------

    def create(self, entity: EntityProfile, payload: Record) -> Record:
        response = self.request("POST", self._url(entity), json=payload,
                                headers={"Accept": "application/json",
                                         "Prefer": "return=representation"})
        created = _unwrap(response.json())
        if not isinstance(created, dict):
            raise ApiError(self.profile.key, response.status_code,
                           f"create answered without a record: {created!r}"[:300], "POST",
                           self._url(entity))
        return _plain(created)

    def update(self, entity: EntityProfile, record_id: str, payload: Record) -> None:
        self.request("PUT", self._url(entity, record_id), json=payload,
                     headers={"Accept": "application/json"})

    def parse_timestamp(self, value: object) -> datetime | None:
        return parse_odata_date(value)  # `/Date(ms)/`

    # -- Exact's signals ------------------------------------------------------------------

    def retry_delay(self, response: requests.Response) -> float | None:
        """On 429: seconds until the exhausted window resets (minutely, else daily)."""
        if response.status_code != 429:
            return super().retry_delay(response)
        headers = response.headers
        window = "X-RateLimit-Minutely-Reset"
        if headers.get("X-RateLimit-Remaining") == "0" and \
                headers.get("X-RateLimit-Minutely-Remaining") != "0":
            window = "X-RateLimit-Reset"
        reset = headers.get(window)
        if reset is None or not reset.strip().isdigit():
            return super().retry_delay(response)
        seconds = int(reset) / 1000 - self.wall_clock()
        return min(max(0.0, seconds), self.retry.max_delay)

    def error_message(self, response: requests.Response) -> str:
        """`{"error": {"message": {"value": "..."}}}`, else the generic reading."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            message = body["error"].get("message")
            if isinstance(message, dict) and isinstance(message.get("value"), str):
                return str(message["value"])
            if isinstance(message, str):
                return message
        reason = response.headers.get("Reason")
        return reason or super().error_message(response)
