"""Client of Keap REST v1: contacts, companies, opportunities, products and users.

Lists are paged with `limit`/`offset` until a page comes back empty, as Keap's own clients
do. Changes: contacts with `since` (the cursor is the newest `last_updated` seen, read
inclusively), products with the `products/sync` token, everything else by a full read.
Properties Keap leaves out unless asked (`job_title` of a contact, ...) are always asked for.

Rate limits: Keap sends no Retry-After. When the daily quota is used up the retry waits
until `x-keap-product-quota-expiry-time` (epoch ms); otherwise (the per-minute throttle)
it backs off exponentially, as Keap's developer guide asks.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import requests

from talk.connectors.base import ApiError, ChangePage, Connector, Record, RetryPolicy
from talk.systems.keap import DEFAULT_LIMIT, OPTIONAL_PROPERTIES, format_timestamp, parse_timestamp
from talk.systems.profile import ChangeRead, EntityProfile, SystemProfile

__all__ = ["KeapConnector"]

# The reads that accept `optional_properties` (the opportunity list does not).
_LIST_OPTIONAL = ("Contacts", "Companies")


class KeapConnector(Connector):
    """`page_size` is the `limit` sent; `wall_clock` (epoch seconds) turns the quota's
    epoch-ms expiry into a delay."""

    def __init__(self, profile: SystemProfile, base_url: str, token: str | None, *,
                 session: requests.Session | None = None, retry: RetryPolicy | None = None,
                 page_size: int = DEFAULT_LIMIT,
                 wall_clock: Callable[[], float] = time.time) -> None:
        super().__init__(profile, base_url, token, session=session, retry=retry)
        self.page_size = page_size
        self.wall_clock = wall_clock

    def _url(self, entity: EntityProfile, record_id: str | None = None) -> str:
        url = f"{self.base_url}/{entity.resource}"
        return url if record_id is None else f"{url}/{record_id}"

    # -- reads ----------------------------------------------------------------------------

    def _pages(self, entity: EntityProfile, path: str, key: str,
               params: dict[str, Any]) -> Iterator[Any]:
        """Every item under `key`, page after page, until a page comes back empty."""
        offset = 0
        guard = self.page_guard()
        while True:
            page = {**params, "limit": self.page_size, "offset": offset}
            body = self.request("GET", f"{self.base_url}/{path}", params=page).json()
            items = body.get(key) if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise ApiError(self.profile.key, 200, f"expected a list under {key!r}, got "
                               f"{str(body)[:200]}", "GET", f"{self.base_url}/{path}")
            guard.step(f"{self.base_url}/{path}", page, items)
            if not items:
                return
            yield from items
            offset += len(items)

    def _optional(self, entity: EntityProfile, listing: bool) -> dict[str, str]:
        names = OPTIONAL_PROPERTIES.get(entity.name, ())
        if not names or (listing and entity.name not in _LIST_OPTIONAL):
            return {}
        return {"optional_properties": ",".join(names)}

    def list_all(self, entity: EntityProfile) -> Iterator[Record]:
        items = self._pages(entity, entity.resource, entity.list_key or entity.resource,
                            self._optional(entity, listing=True))
        return (_as_read(entity, item) for item in items)

    def read_changes(self, entity: EntityProfile, cursor: str | None) -> ChangePage:
        if entity.change_read is ChangeRead.SYNC_TOKEN:
            return self._sync(entity, cursor)
        if entity.change_read is not ChangeRead.SINCE:
            return ChangePage(self.list_all(entity), lambda: None)
        params = self._optional(entity, listing=True)
        if cursor:
            since = parse_timestamp(cursor)
            params["since"] = format_timestamp(since) if since else cursor
        newest: list[tuple[datetime, str]] = []

        def records() -> Iterator[Record]:
            for item in self._pages(entity, entity.resource, entity.list_key or "", params):
                record = _as_read(entity, item)
                stamp = self.modified_at(entity, record)
                if stamp is not None and (not newest or stamp > newest[0][0]):
                    newest[:] = [(stamp, str(record[entity.modified_field or ""]))]
                yield record

        def next_cursor() -> str | None:
            return newest[0][1] if newest else cursor

        return ChangePage(records(), next_cursor)

    def _sync(self, entity: EntityProfile, cursor: str | None) -> ChangePage:
        """`products/sync`: the token to keep is the first page's, so nothing that changes
        while the pages are read is skipped (it is read again next time)."""
        token: list[str] = []

        def records() -> Iterator[Record]:
            offset = 0
            params = {"sync_token": cursor} if cursor else {}
            guard = self.page_guard()
            while True:
                page = {**params, "limit": self.page_size, "offset": offset}
                body = self.request("GET", f"{self._url(entity)}/sync", params=page).json()
                if not token and body.get("sync_token"):
                    token.append(str(body["sync_token"]))
                statuses = body.get("product_statuses") or []
                guard.step(f"{self._url(entity)}/sync", page, statuses)
                if not statuses:
                    return
                for status in statuses:
                    # A deleted product is not a change to sync (deletes are not propagated).
                    if status.get("status") != "DELETED" and status.get("product"):
                        yield _as_read(entity, status["product"])
                offset += len(statuses)

        return ChangePage(records(), lambda: token[0] if token else cursor)

    def get(self, entity: EntityProfile, record_id: str) -> Record | None:
        if entity.name == "Users":  # v1 reads users only as a list
            return next((r for r in self.list_all(entity)
                         if str(r.get(entity.id_field)) == str(record_id)), None)
        try:
            response = self.request("GET", self._url(entity, record_id),
                                    params=self._optional(entity, listing=False))
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        return _as_read(entity, response.json())

    # -- writes ---------------------------------------------------------------------------

    def create(self, entity: EntityProfile, payload: Record) -> Record:
        """POST answers the record as stored (201; 200 for opportunities)."""
        record: Record = self.request("POST", self._url(entity), json=payload).json()
        return record

    def update(self, entity: EntityProfile, record_id: str, payload: Record) -> None:
        if not entity.can_update:
            url = self._url(entity, record_id)
            raise ApiError(self.profile.key, 405, f"Keap REST v1 cannot update {entity.name}: "
                           "it has no update operation for it", "PATCH", url)
        self.request("PATCH", self._url(entity, record_id), json=payload)

    # -- Keap's signals ---------------------------------------------------------------------

    def retry_delay(self, response: requests.Response) -> float | None:
        """Retry-After if ever sent; the quota's expiry when it is used up; else backoff."""
        delay = super().retry_delay(response)
        if delay is not None:
            return delay
        headers = response.headers
        expiry = headers.get("x-keap-product-quota-expiry-time")
        if headers.get("x-keap-product-quota-available") == "0" and expiry:
            try:
                return max(0.0, int(expiry) / 1000 - self.wall_clock())
            except ValueError:
                return None
        return None

    def error_message(self, response: requests.Response) -> str:
        """v1's `{"message": ...}`, the gateway's `{"fault": {"faultstring": ...}}`."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("fault"), dict):
            return str(body["fault"].get("faultstring") or body["fault"])
        return super().error_message(response)


def _as_read(entity: EntityProfile, record: Record) -> Record:
    """A product list item (`Product_`) carries `status` 1/0 where a read has `active`."""
    if entity.name == "Product" and "status" in record and "active" not in record:
        read = {k: v for k, v in record.items() if k != "status"}
        read["active"] = record["status"] == 1
        return read
    return record
