"""Client of WebCRM REST v1: Organisations, Persons, Opportunities, Products and Users.

Lists are bare arrays read `Page` 1, 2, ... until one comes back empty (WebCRM sends no
total). Organisations' changes come from `FindByUpdateDates/{cursor}/{far future}` (the
start is inclusive; the cursor is the newest `OrganisationUpdatedAt` seen); the other
entities are read in full (the description has no update-date read for them).

Writes: POST answers only the new id, so `create` reads the record back; PUT replaces the
whole DTO, so `update` reads the record, merges the changed fields and puts it all back.
A 429 waits what `Retry-After` (or the body's `RetryAfterSeconds`) says.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import requests

from talk.connectors.base import ApiError, ChangePage, Connector, Record, RetryPolicy
from talk.systems.profile import ChangeRead, EntityProfile, SystemProfile
from talk.systems.webcrm import MAX_SIZE, format_timestamp, parse_timestamp

__all__ = ["WebcrmConnector"]

# The end of the update-date range: the API wants one, and the client has no server clock.
RANGE_END = "9999-12-31T23:59:59Z"


class WebcrmConnector(Connector):
    """`page_size` is the `Size` sent (1..1000)."""

    def __init__(self, profile: SystemProfile, base_url: str, token: str | None, *,
                 session: requests.Session | None = None, retry: RetryPolicy | None = None,
                 page_size: int = 500) -> None:
        super().__init__(profile, base_url, token, session=session, retry=retry)
        self.page_size = max(1, min(page_size, MAX_SIZE))
        # What the last `get` read (entity, id, body, request number): an update right after
        # a `get` of the same record puts it back without reading it again.
        self._just_read: tuple[str, str, bytes, int] | None = None

    def _url(self, entity: EntityProfile, record_id: str | None = None) -> str:
        url = f"{self.base_url}/{entity.resource}"
        return url if record_id is None else f"{url}/{record_id}"

    # -- reads ----------------------------------------------------------------------------

    def _pages(self, url: str) -> Iterator[Record]:
        page = 1
        guard = self.page_guard()
        while True:
            params = {"Page": page, "Size": self.page_size}
            body = self.request("GET", url, params=params).json()
            if not isinstance(body, list):
                raise ApiError(self.profile.key, 200, f"expected a JSON array, got "
                               f"{str(body)[:200]}", "GET", url)
            guard.step(url, params, body)
            if not body:
                return
            yield from body
            page += 1

    def list_all(self, entity: EntityProfile) -> Iterator[Record]:
        return self._pages(self._url(entity))

    def read_changes(self, entity: EntityProfile, cursor: str | None) -> ChangePage:
        if entity.change_read is not ChangeRead.UPDATE_DATES:
            return ChangePage(self.list_all(entity), lambda: None)
        url = self._url(entity)
        if cursor:
            start = parse_timestamp(cursor)
            if start is None:
                raise ValueError(f"webcrm: cursor {cursor!r} is not an ISO 8601 timestamp")
            url = f"{url}/FindByUpdateDates/{format_timestamp(start)}/{RANGE_END}"
        newest: list[tuple[datetime, str]] = []

        def records() -> Iterator[Record]:
            for record in self._pages(url):
                stamp = self.modified_at(entity, record)
                if stamp is not None and (not newest or stamp > newest[0][0]):
                    newest[:] = [(stamp, str(record[entity.modified_field or ""]))]
                yield record

        return ChangePage(records(), lambda: newest[0][1] if newest else cursor)

    def get(self, entity: EntityProfile, record_id: str) -> Record | None:
        try:
            response = self.request("GET", self._url(entity, record_id))
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        record: Record = response.json()
        self._just_read = (entity.name, record_id, response.content, self.request_count)
        return record

    # -- writes ---------------------------------------------------------------------------

    def create(self, entity: EntityProfile, payload: Record) -> Record:
        """POST answers the new id only; the record as stored is read back."""
        url = self._url(entity)
        response = self.request("POST", url, json=payload)
        record_id = _new_id(response)
        if record_id is None:
            raise ApiError(self.profile.key, response.status_code,
                           f"the create answered no id: {response.text[:200]!r}", "POST", url)
        record = self.get(entity, record_id)
        if record is None:
            raise ApiError(self.profile.key, 404, f"created {entity.name} {record_id} cannot "
                           "be read back", "GET", self._url(entity, record_id))
        return record

    def update(self, entity: EntityProfile, record_id: str, payload: Record) -> None:
        """PUT replaces the whole DTO: send the current record with the changes merged in.

        The current record is read first, unless this connector's previous request was a
        `get` of the same record (the sync reads it to compare, then writes it)."""
        just_read, self._just_read = self._just_read, None
        if just_read is not None and just_read[:2] == (entity.name, record_id) \
                and just_read[3] == self.request_count:
            current: Record | None = json.loads(just_read[2])
        else:
            current = self.get(entity, record_id)
        if current is None:
            raise ApiError(self.profile.key, 404, f"{entity.name} {record_id} does not exist",
                           "PUT", self._url(entity, record_id))
        self.request("PUT", self._url(entity, record_id), json={**current, **payload})

    # -- WebCRM's signals -------------------------------------------------------------------

    def retry_delay(self, response: requests.Response) -> float | None:
        delay = super().retry_delay(response)
        if delay is not None:
            return delay
        body = _json_or_none(response)
        seconds = body.get("RetryAfterSeconds") if isinstance(body, dict) else None
        if isinstance(seconds, int | float) and not isinstance(seconds, bool):
            return max(0.0, float(seconds))
        return None

    def error_message(self, response: requests.Response) -> str:
        """`{"Message": ...}`, ASP.NET's model state `{"Field": ["..."]}` or
        `{"errors": {...}}`, or the status line when the body is empty (401, 404, 405)."""
        body = _json_or_none(response)
        if isinstance(body, dict):
            for key in ("Message", "message", "ErrorDescription", "title"):
                if isinstance(body.get(key), str) and not isinstance(body.get("errors"), dict):
                    return str(body[key])
            nested = body.get("errors")
            errors: dict[str, Any] = nested if isinstance(nested, dict) else body
            return "; ".join(_model_state(errors)) or str(body)[:500]
        if body is not None:
            return str(body)[:500]
        text = response.text.strip()[:500]
        if text:
            return text
        message = f"{response.status_code} {response.reason or ''}".strip()
        if response.status_code == 401:
            message += " (the bearer token is missing, expired or not accepted)"
        return message


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _model_state(errors: dict[str, Any]) -> list[str]:
    lines = []
    for field, messages in errors.items():
        texts = messages if isinstance(messages, list) else [messages]
        for text in texts:
            lines.append(f"{field}: {text}" if field else str(text))
    return lines


def _new_id(response: requests.Response) -> str | None:
    """The new id from POST's answer: a JSON number (or its text)."""
    body = _json_or_none(response)
    if isinstance(body, int) and not isinstance(body, bool):
        return str(body)
    text = str(body if isinstance(body, str) else response.text).strip().strip('"')
    return text if text.isdigit() else None
