"""Client of any API served from its description: paths, envelopes and paging as the
entity profile gives them (talk.profiles.build, talk.profiles.shapes).

Changes are read in full and compared (no description here offers a change feed). A
reference answered as an object is read as the value a write sends (its gid), so what a
row wrote compares equal to what it reads back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import requests

from talk.connectors.base import ApiError, ChangePage, Record
from talk.connectors.generic import GenericConnector
from talk.profiles.shapes import PAGE_SIZE, as_written, record_url_path, unwrap, wrap
from talk.systems.profile import EntityProfile

__all__ = ["DescribedConnector"]


class DescribedConnector(GenericConnector):
    """The generic client's reads and errors, in the described paths and envelopes."""

    def _url(self, entity: EntityProfile, record_id: str | None = None) -> str:
        if record_id is None:
            return f"{self.base_url}/{entity.resource.strip('/')}"
        return f"{self.base_url}/{record_url_path(entity, quote(record_id, safe=''))}"

    def _rows(self, entity: EntityProfile, body: Any, url: str) -> list[Record]:
        rows = unwrap(entity.list_key, body)
        if not isinstance(rows, list):
            raise ApiError(self.profile.key, 200, f"expected a list at "
                           f"{entity.list_key or 'the top'} of the answer", "GET", url)
        return [as_written(entity, row) for row in rows if isinstance(row, dict)]

    def list_all(self, entity: EntityProfile) -> Iterator[Record]:
        url = self._url(entity)
        style = entity.paging
        if style == "odata_next":
            next_url: str | None = url
            while next_url:
                body = self.request("GET", next_url).json()
                yield from self._rows(entity, body, next_url)
                next_url = body.get("@odata.nextLink") if isinstance(body, dict) else None
            return
        if style not in ("from_count", "offset_limit", "page_size", "page_per_page"):
            yield from self._rows(entity, self.request("GET", url).json(), url)
            return
        start, page = 0, (0 if style == "page_size" else 1)
        while True:
            params = {
                "from_count": {"from": start, "count": PAGE_SIZE},
                "offset_limit": {"offset": start, "limit": PAGE_SIZE},
                "page_size": {"page": page, "size": PAGE_SIZE},
                "page_per_page": {"page": page, "per_page": PAGE_SIZE},
            }[style]
            rows = self._rows(entity, self.request("GET", url, params=params).json(), url)
            yield from rows
            if len(rows) < PAGE_SIZE:
                return
            start, page = start + len(rows), page + 1

    def read_changes(self, entity: EntityProfile, cursor: str | None) -> ChangePage:
        return ChangePage(self.list_all(entity), lambda: None)

    def get(self, entity: EntityProfile, record_id: str) -> Record | None:
        found = unwrap(entity.record_key, super().get(entity, record_id))
        return as_written(entity, found) if isinstance(found, dict) else None

    def create(self, entity: EntityProfile, payload: Record) -> Record:
        response = self.request("POST", self._url(entity), json=wrap(entity.create_key, payload))
        created = unwrap(entity.record_key, response.json())
        if not isinstance(created, dict):
            raise ApiError(self.profile.key, response.status_code,
                           "create answered without a record", "POST", self._url(entity))
        return as_written(entity, created)

    def update(self, entity: EntityProfile, record_id: str, payload: Record) -> None:
        self.request(entity.update_method, self._url(entity, record_id),
                     json=wrap(entity.create_key, payload))

    def error_message(self, response: requests.Response) -> str:
        """The shapes of talk.systems.described: Tripletex, OData, Asana, Shopify (and the
        generic client's plain `{"error": ...}`)."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            if isinstance(body.get("developerMessage"), str):
                return str(body["developerMessage"])
            error = body.get("error")
            if isinstance(error, dict) and isinstance(error.get("message"), str):
                return str(error["message"])
            errors = body.get("errors")
            if isinstance(errors, list):
                return "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e)
                                 for e in errors)
            if isinstance(errors, dict):
                return "; ".join(f"{k} {', '.join(map(str, v)) if isinstance(v, list) else v}"
                                 for k, v in errors.items())
        return super().error_message(response)
