"""Client of the generic JSON REST API (see talk.emulator.generic for the contract).

Pages follow `next` until it is null. Changes are read with `updated_since` (exclusive);
the cursor to persist is the newest `updated_at` seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import requests

from talk.connectors.base import ApiError, ChangePage, Connector, Record
from talk.systems.profile import EntityProfile

__all__ = ["GenericConnector"]


class GenericConnector(Connector):
    def _url(self, entity: EntityProfile, record_id: str | None = None) -> str:
        url = f"{self.base_url}/{entity.resource}"
        return url if record_id is None else f"{url}/{record_id}"

    def _pages(self, entity: EntityProfile, params: dict[str, Any] | None) -> Iterator[Record]:
        url: str | None = self._url(entity)
        guard = self.page_guard()
        while url:
            body = self.request("GET", url, params=params).json()
            items = body.get(entity.list_key or "items") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise ApiError(self.profile.key, 200,
                               f"expected {{'items': [...]}}, got {body!r}"[:300], "GET", url)
            guard.step(url, params, items)
            yield from items
            url = body.get("next") or None
            params = None  # the next URL carries every parameter

    def list_all(self, entity: EntityProfile) -> Iterator[Record]:
        return self._pages(entity, None)

    def read_changes(self, entity: EntityProfile, cursor: str | None) -> ChangePage:
        params = {"updated_since": cursor} if cursor else None
        newest: list[tuple[datetime, str]] = []

        def records() -> Iterator[Record]:
            for record in self._pages(entity, params):
                modified = self.modified_at(entity, record)
                if modified is not None and (not newest or modified > newest[0][0]):
                    newest[:] = [(modified, str(record[entity.modified_field or "updated_at"]))]
                yield record

        def next_cursor() -> str | None:
            return newest[0][1] if newest else cursor

        return ChangePage(records(), next_cursor)

    def get(self, entity: EntityProfile, record_id: str) -> Record | None:
        try:
            body = self.request("GET", self._url(entity, record_id)).json()
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        return body if isinstance(body, dict) else None

    def create(self, entity: EntityProfile, payload: Record) -> Record:
        response = self.request("POST", self._url(entity), json=payload)
        body = response.json()
        if not isinstance(body, dict):
            raise ApiError(self.profile.key, response.status_code,
                           f"create answered without a record: {body!r}"[:300], "POST",
                           self._url(entity))
        return body

    def update(self, entity: EntityProfile, record_id: str, payload: Record) -> None:
        self.request("PUT", self._url(entity, record_id), json=payload)

    def error_message(self, response: requests.Response) -> str:
        """`{"error": "..."}`, else the generic reading."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("error"), str):
            return str(body["error"])
        return super().error_message(response)
