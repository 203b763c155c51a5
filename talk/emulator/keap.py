"""Keap REST v1 (`/crm/rest/v1`): contacts, companies, opportunities, products, users.

Routes below the base URL, as the v1 description has them:
`GET|POST|PUT contacts`, `GET|PATCH|DELETE contacts/{id}`, `GET|POST companies`,
`GET|PATCH companies/{id}` (and the legacy `PATCH company/{id}`), `GET|POST|PUT
opportunities`, `GET|PATCH opportunities/{id}`, `GET|POST products`, `GET products/sync`,
`GET|PATCH|DELETE products/{id}`, `GET|POST users`. Anything else is refused as the API
does: 405 for a method a route lacks, 404 for a route that does not exist (`users/{id}`).
`GET contacts/{id}` is served although the description omits it (the live API has it).
Error bodies have v1's `Error` shape; their wording is ours (the real texts are unverified).

Answers are Gson's: null fields are left out, a number field holds a number even when a
numeric string was sent, a string field holds the text of a number sent for it
(docs/design.md#api-types).
Every answer carries Keap's throttle and quota headers; a 429 has no Retry-After.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from talk.emulator.base import Emulator, HttpRequest, HttpResponse, Record
from talk.systems.keap import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    OPTIONAL_PROPERTIES,
    format_timestamp,
    parse_timestamp,
)
from talk.systems.profile import EntityProfile, FieldType

__all__ = ["BadInput", "KeapEmulator", "convert_like_gson", "keap_error"]

THROTTLE_LIMIT = 1500  # OAuth client: requests per minute
QUOTA_LIMIT = 150_000  # OAuth client: requests per day

_COLLECTION_METHODS = {
    "Contacts": ("GET", "POST", "PUT"),
    "Companies": ("GET", "POST"),
    "Opportunity": ("GET", "POST", "PUT"),
    "Product": ("GET", "POST"),
    "Users": ("GET", "POST"),
}
_ITEM_METHODS = {
    "Contacts": ("GET", "PATCH", "DELETE"),
    "Companies": ("GET", "PATCH"),
    "Opportunity": ("GET", "PATCH"),
    "Product": ("GET", "PATCH", "DELETE"),
}
_READ_ONLY = ("id", "date_created", "last_updated")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class BadInput(Exception):
    """A request the API refuses with 400; the message is the API's own."""


def keap_error(status: int, message: str,
               headers: dict[str, str] | None = None) -> HttpResponse:
    """An answer in v1's error shape (`Error`: message, localizedMessage, ...)."""
    return HttpResponse(status, {"message": message}, headers or {})


# -- Gson's default conversions (docs/design.md#api-types) ---------------------------------------


def convert_like_gson(entity: EntityProfile, body: Record, prefix: str = "") -> Record:
    """The body as the API stores it: typed fields converted, unknown fields kept as sent."""
    converted: Record = {}
    for name, value in body.items():
        path = prefix + name
        field_type = entity.field_type(path)
        if field_type is None or value is None:
            converted[name] = value
        elif field_type is FieldType.OBJECT:
            if not isinstance(value, dict):
                raise BadInput(f"Invalid value for {path}: expected an object")
            converted[name] = convert_like_gson(entity, value, path + ".")
        else:
            converted[name] = _gson_value(value, field_type, path)
    return converted


def _gson_value(value: Any, field_type: FieldType, path: str) -> Any:
    def refuse(reason: str) -> BadInput:
        return BadInput(f"Invalid value for {path}: {reason}")

    if field_type is FieldType.STRING:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, str):
            return value
        raise refuse("expected a string")
    if field_type in (FieldType.INTEGER, FieldType.NUMBER):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise refuse(f"expected a number but was {type(value).__name__}")
        if isinstance(value, str):
            text = value.strip()
            if field_type is FieldType.INTEGER and _INTEGER.fullmatch(text):
                return int(text)
            if not _DECIMAL.fullmatch(text):
                raise refuse(f'For input string: "{value}"')
            value = float(text)
        if field_type is FieldType.NUMBER:
            return float(value)
        if isinstance(value, float) and not value.is_integer():
            raise refuse(f"Expected a long but was {value}")
        return int(value)
    if field_type is FieldType.BOOLEAN:
        if isinstance(value, bool):
            return value
        if isinstance(value, str):  # Boolean.parseBoolean: anything but "true" is false
            return value.strip().lower() == "true"
        raise refuse("expected a boolean")
    if field_type is FieldType.DATETIME:
        moment = parse_timestamp(value) if isinstance(value, str) else None
        if moment is None:
            raise refuse(f'Unparseable date: "{value}"')
        return format_timestamp(moment)
    if field_type is FieldType.ARRAY and not isinstance(value, list):
        raise refuse("expected an array")
    return value


# -- the product sync log ------------------------------------------------------------------


@dataclass
class _ProductChange:
    created: int
    changed: int
    deleted: bool = False

    def status(self, since: int | None) -> str:
        if self.deleted:
            return "DELETED"
        return "CREATED" if since is None or self.created > since else "UPDATED"


class KeapEmulator(Emulator):
    """Stateful Keap REST v1.

    `rate_limit_signal` says which limit an injected 429 reports as exhausted: "throttle"
    (per minute, no reset time) or "quota" (per day, with its expiry in epoch ms).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rate_limit_signal = "throttle"
        self._calls: dict[tuple[str, datetime], int] = {}  # per (window kind, start)
        self._sync_sequence = 0
        self._product_log: dict[str, _ProductChange] = {}

    # -- identity and stamps ----------------------------------------------------------------

    def new_record(self, entity: EntityProfile, record: Record) -> Record:
        for name in _READ_ONLY:
            record.pop(name, None)
        if entity.name == "Users":  # CreateUser's `email` is the user's `email_address`
            email = record.pop("email", None)
            if email is not None:
                record["email_address"] = email
            record.setdefault("status", "Invited")  # "remain Invited until they accept"
        stored: Record = {"id": self.next_sequence()}
        stored.update((k, v) for k, v in record.items() if v is not None)
        if entity.modified_field:
            stamp = format_timestamp(self.clock.now())
            stored["date_created"] = stamp
            stored[entity.modified_field] = stamp
        if entity.name == "Product":
            sequence = self._next_sync_sequence()
            self._product_log[str(stored["id"])] = _ProductChange(sequence, sequence)
        return stored

    def id_of(self, entity: EntityProfile, record: Record) -> str:
        return str(record["id"])

    def touch(self, entity: EntityProfile, record: Record) -> None:
        if entity.modified_field:
            record[entity.modified_field] = format_timestamp(self.clock.now())
        if entity.name == "Product":
            change = self._product_log.get(str(record["id"]))
            if change is not None:
                change.changed = self._next_sync_sequence()

    null_clears_field = True  # Gson leaves nulls out

    def read_only_fields(self, entity: EntityProfile) -> tuple[str, ...]:
        return _READ_ONLY

    def delete(self, entity: str, record_id: object) -> None:
        profile = self.entity(entity)
        with self._lock:
            super().delete(entity, record_id)
            self._log_deleted(profile, str(record_id))

    def _log_deleted(self, entity: EntityProfile, record_id: str) -> None:
        change = self._product_log.get(record_id)
        if entity.name == "Product" and change is not None:
            change.deleted = True
            change.changed = self._next_sync_sequence()

    def _next_sync_sequence(self) -> int:
        self._sync_sequence += 1
        return self._sync_sequence

    def credential(self, request: HttpRequest) -> str | None:
        """A bearer header, an `X-Keap-API-Key` header or an `access_token` parameter."""
        for value in (super().credential(request), request.header("X-Keap-API-Key"),
                      request.param("access_token")):
            if value and value.strip():
                return value.strip()
        return None

    # -- answers in Keap's style ------------------------------------------------------------

    def unauthorized(self) -> HttpResponse:
        return keap_error(401, "Invalid Access Token")

    def rate_limited(self) -> HttpResponse:
        body = {"code": "429", "message": "Quota Exceeded", "status": "Request Throttled",
                "details": None}
        return HttpResponse(429, body, self.limit_headers(exhausted=self.rate_limit_signal))

    def server_error(self, status: int) -> HttpResponse:
        message = "Service Unavailable" if status == 503 else "Internal Server Error"
        return keap_error(status, message)

    def limit_headers(self, exhausted: str | None = None) -> dict[str, str]:
        """Keap's product throttle (per minute) and quota (per day) headers."""
        minute, day = self._windows()
        throttle_used = min(THROTTLE_LIMIT, self._calls.get(minute, 0))
        quota_used = min(QUOTA_LIMIT, self._calls.get(day, 0))
        if exhausted == "throttle":
            throttle_used = THROTTLE_LIMIT
        if exhausted == "quota":
            quota_used = QUOTA_LIMIT
        expiry = day[1] + timedelta(days=1)
        return {
            "x-keap-product-throttle-limit": str(THROTTLE_LIMIT),
            "x-keap-product-throttle-time-unit": "minute",
            "x-keap-product-throttle-interval": "1",
            "x-keap-product-throttle-available": str(THROTTLE_LIMIT - throttle_used),
            "x-keap-product-throttle-used": str(throttle_used),
            "x-keap-product-quota-limit": str(QUOTA_LIMIT),
            "x-keap-product-quota-time-unit": "day",
            "x-keap-product-quota-interval": "1",
            "x-keap-product-quota-available": str(QUOTA_LIMIT - quota_used),
            "x-keap-product-quota-used": str(quota_used),
            "x-keap-product-quota-expiry-time": str(round(expiry.timestamp() * 1000)),
        }

    def _windows(self) -> tuple[tuple[str, datetime], tuple[str, datetime]]:
        """The current minute and day of the emulator's clock (without moving it)."""
        now = self.clock.peek()
        return (("minute", now.replace(second=0, microsecond=0)),
                ("day", now.replace(hour=0, minute=0, second=0, microsecond=0)))

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Count the call in its minute and day, answer, and add the limit headers."""
        with self._lock:
            for window in self._windows():
                self._calls[window] = self._calls.get(window, 0) + 1
            response = super().handle(request)
            for name, value in self.limit_headers().items():
                response.headers.setdefault(name, value)
            return response

    # -- routing ------------------------------------------------------------------------------

    def dispatch(self, request: HttpRequest) -> HttpResponse:
        parts = self.relative_path(request).split("/")
        method = request.method.upper()
        resource = parts[0].lower()
        if resource == "company" and len(parts) == 2:  # the legacy PATCH company/{id}
            resource = "companies"
        entity = next((e for e in self.profile.entities.values() if e.resource == resource),
                      None)
        if entity is None or len(parts) > 2:
            return keap_error(404, f"No resource found at /{'/'.join(parts)}")
        try:
            if len(parts) == 1:
                return self._collection(request, entity, method)
            if entity.name == "Product" and parts[1] == "sync":
                if method != "GET":
                    return _not_allowed(method, ("GET",))
                return self._sync(request, entity)
            return self._item(request, entity, method, parts[1])
        except BadInput as exc:
            return keap_error(400, str(exc))

    def _collection(self, request: HttpRequest, entity: EntityProfile,
                    method: str) -> HttpResponse:
        allowed = _COLLECTION_METHODS[entity.name]
        if method not in allowed:
            return _not_allowed(method, allowed)
        if method == "GET":
            return self._list(request, entity)
        if method == "POST":
            return self._create(request, entity)
        if entity.name == "Contacts":
            return self._upsert_contact(request, entity)
        return self._replace_opportunity(request, entity)

    def _item(self, request: HttpRequest, entity: EntityProfile, method: str,
              text_id: str) -> HttpResponse:
        allowed = _ITEM_METHODS.get(entity.name)
        if allowed is None:  # users/{id}: v1 has no such route
            return keap_error(404, f"No resource found at /{entity.resource}/{text_id}")
        if method not in allowed:
            return _not_allowed(method, allowed)
        if not _INTEGER.fullmatch(text_id):
            raise BadInput(f"Invalid id: {text_id} is not an integer")
        record_id = str(int(text_id))
        stored = self.table(entity).get(record_id)
        if stored is None:
            return keap_error(404, f"{entity.name} with id {record_id} was not found")
        if method == "GET":
            return HttpResponse(200, self._shown(entity, stored, _optional(request)))
        if method == "PATCH":
            return self._patch(request, entity, stored)
        del self.table(entity)[record_id]
        self._log_deleted(entity, record_id)
        return HttpResponse(204)

    # -- operations ---------------------------------------------------------------------------

    def _list(self, request: HttpRequest, entity: EntityProfile) -> HttpResponse:
        limit, offset = _paging(request)
        rows = sorted(self.iter_table(entity, _filter(entity, request)),
                      key=lambda r: int(r["id"]))
        if (request.param("order_direction") or "").lower() == "descending":
            rows.reverse()
        # The opportunity list takes no optional_properties (only the read by id does).
        optional = _optional(request) if entity.name != "Opportunity" else set()
        page = [self._shown(entity, r, optional, listing=True)
                for r in rows[offset:offset + limit]]
        body: Record = {entity.list_key or entity.resource: page, "count": len(rows)}
        body.update(self._links(request, entity.resource, limit, offset))
        return HttpResponse(200, body)

    def _create(self, request: HttpRequest, entity: EntityProfile) -> HttpResponse:
        payload = convert_like_gson(entity, _json_object(request))
        _check_required(entity, payload)
        stored = self.new_record(entity, payload)
        self.table(entity)[self.id_of(entity, stored)] = stored
        status = 200 if entity.name == "Opportunity" else 201
        return HttpResponse(status, self._shown(entity, stored, None, full=True))

    def _patch(self, request: HttpRequest, entity: EntityProfile,
               stored: Record) -> HttpResponse:
        payload = convert_like_gson(entity, _json_object(request))
        mask = request.query.get("update_mask")
        if mask:
            wanted = {name.strip() for value in mask for name in value.split(",")}
            payload = {k: v for k, v in payload.items() if k in wanted}
        cleared = [name for group in entity.required_on_create for name in group
                   if name in payload and _empty(payload[name]) and len(group) == 1]
        if cleared:
            raise BadInput(f"{cleared[0]} is required and cannot be cleared")
        self.apply_changes(entity, stored, payload)
        self.touch(entity, stored)
        return HttpResponse(200, self._shown(entity, stored, None, full=True))

    def _upsert_contact(self, request: HttpRequest, entity: EntityProfile) -> HttpResponse:
        """PUT /contacts: update the contact the duplicate option finds, else create one."""
        payload = convert_like_gson(entity, _json_object(request))
        option = str(payload.pop("duplicate_option", None) or "Email")
        match = next((r for r in self.iter_table(entity)
                      if _same_contact(option, r, payload)), None)
        if match is None:
            _check_required(entity, payload)
            match = self.new_record(entity, payload)
            self.table(entity)[self.id_of(entity, match)] = match
        else:
            self.apply_changes(entity, match, payload)
            self.touch(entity, match)
        return HttpResponse(200, self._shown(entity, match, None, full=True))

    def _replace_opportunity(self, request: HttpRequest, entity: EntityProfile) -> HttpResponse:
        """PUT /opportunities: replace every value of the opportunity the body's id names."""
        payload = convert_like_gson(entity, _json_object(request))
        stored = self.table(entity).get(str(payload.get("id")))
        if stored is None:
            return keap_error(404, f"{entity.name} with id {payload.get('id')} was not found")
        _check_required(entity, payload)
        kept = {name: stored[name] for name in _READ_ONLY if name in stored}
        stored.clear()
        stored.update(kept)
        self.apply_changes(entity, stored, payload)
        self.touch(entity, stored)
        return HttpResponse(200, self._shown(entity, stored, None, full=True))

    def _sync(self, request: HttpRequest, entity: EntityProfile) -> HttpResponse:
        """GET products/sync: products created, updated or deleted after the sync token."""
        token = request.param("sync_token")
        since: int | None = None
        if token:
            if not _INTEGER.fullmatch(token):
                raise BadInput(f"Invalid sync_token: {token}")
            since = int(token)
        limit, offset = _paging(request)
        changes = sorted(((key, change) for key, change in self._product_log.items()
                          if (since is None and not change.deleted)
                          or (since is not None and change.changed > since)),
                         key=lambda item: item[1].changed)
        statuses = []
        for key, change in changes[offset:offset + limit]:
            stored = self.table(entity).get(key)
            product = ({"id": int(key)} if stored is None or change.deleted
                       else self._shown(entity, stored, None, listing=True))
            statuses.append({"product": product, "status": change.status(since)})
        body: Record = {"product_statuses": statuses, "sync_token": str(self._sync_sequence),
                        "count": len(changes)}
        body.update(self._links(request, "products/sync", limit, offset))
        return HttpResponse(200, body)

    # -- shapes -------------------------------------------------------------------------------

    def _shown(self, entity: EntityProfile, record: Record, optional: set[str] | None,
               *, listing: bool = False, full: bool = False) -> Record:
        """A record as an answer carries it: nulls left out, optional properties on request."""
        hidden = set() if full else set(OPTIONAL_PROPERTIES.get(entity.name, ())) - (
            optional or set())
        shown = {k: v for k, v in record.items() if v is not None and k not in hidden}
        if listing and entity.name == "Product" and "active" in shown:
            shown["status"] = 1 if shown.pop("active") else 0  # list items are `Product_`
        return shown

    def _links(self, request: HttpRequest, path: str, limit: int, offset: int) -> Record:
        """`next` on every page (the last one leads to an empty page) and `previous`."""
        kept = {k: v[0] for k, v in request.query.items()
                if k not in {"limit", "offset", "access_token"} and v}

        def link(at: int) -> str:
            return f"{self.base_url}/{path}/?" + urlencode(
                {**kept, "limit": limit, "offset": at})

        return {"next": link(offset + limit), "previous": link(max(0, offset - limit))}


# -- request helpers ---------------------------------------------------------------------------


def _not_allowed(method: str, allowed: tuple[str, ...]) -> HttpResponse:
    return keap_error(405, f"Request method '{method}' not supported",
                      {"Allow": ", ".join(allowed)})


def _json_object(request: HttpRequest) -> Record:
    try:
        payload = request.json()
    except ValueError:
        raise BadInput("Input could not be converted to a valid request: "
                       "malformed JSON") from None
    if not isinstance(payload, dict):
        raise BadInput("Input could not be converted to a valid request: "
                       "expected a JSON object")
    return payload


def _paging(request: HttpRequest) -> tuple[int, int]:
    values = []
    for name, default in (("limit", DEFAULT_LIMIT), ("offset", 0)):
        text = request.param(name)
        if text is None or text == "":
            values.append(default)
            continue
        if not _INTEGER.fullmatch(text.strip()):
            raise BadInput(f"Invalid {name}: {text}")
        values.append(int(text))
    limit, offset = values
    if limit <= 0:
        limit = DEFAULT_LIMIT
    return min(limit, MAX_LIMIT), max(offset, 0)


def _optional(request: HttpRequest) -> set[str]:
    values = request.query.get("optional_properties", [])
    return {name.strip() for value in values for name in value.split(",") if name.strip()}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _check_required(entity: EntityProfile, payload: Record) -> None:
    """docs/design.md#create-requirements: refuse a create without what the API requires, in its
    own words."""
    present = {name for name, value in payload.items() if not _empty(value)}
    missing = entity.missing_required(present)
    if entity.name == "Contacts" and missing:
        raise BadInput("Contact must contain at least one item in email_addresses or "
                       "phone_numbers")
    if missing:
        names = ", ".join(group[0] for group in missing)
        raise BadInput(f"{entity.name} must contain values for: {names}")
    if entity.name == "Opportunity":
        for reference in ("contact", "stage"):
            value = payload[reference]
            if not isinstance(value, dict) or value.get("id") is None:
                raise BadInput(f"{reference}.id is required")


def _emails(record: Record) -> list[str]:
    return [str(e.get("email", "")).lower() for e in record.get("email_addresses") or []
            if isinstance(e, dict)]


def _same_contact(option: str, record: Record, payload: Record) -> bool:
    wanted = _emails(payload)
    if not wanted or not set(wanted) & set(_emails(record)):
        return False
    if option in ("EmailAndName", "EmailAndNameAndCompany") and any(
            record.get(name) != payload.get(name) for name in ("given_name", "family_name")):
        return False
    if option == "EmailAndNameAndCompany":
        return (record.get("company") or {}).get("id") == (payload.get("company") or {}).get(
            "id")
    return True


def _filter(entity: EntityProfile, request: HttpRequest) -> Callable[[Record], bool]:
    """The list filters of the v1 description (the ones a client of ours may send),
    checked before any record is, so a bad parameter is a 400 even on an empty list."""
    params = {name: request.param(name) or None for name in (
        "email", "given_name", "family_name", "company_name", "active", "include_inactive")}
    since, until = (_date(request, name) for name in ("since", "until"))

    def keep(record: Record) -> bool:
        if entity.name == "Contacts":
            wanted = params["email"]
            if wanted and wanted.lower() not in _emails(record):
                return False
            if any(params[name] and record.get(name) != params[name]
                   for name in ("given_name", "family_name")):
                return False
            stamp = parse_timestamp(record.get("last_updated"))
            if (since or until) and stamp is None:
                return False
            if stamp is not None and ((since and stamp < since) or (until and stamp > until)):
                return False
        if entity.name == "Companies" and params["company_name"]:
            return bool(record.get("company_name") == params["company_name"])
        if entity.name == "Product" and params["active"]:
            return bool(record.get("active")) == (params["active"].lower() == "true")
        if entity.name == "Users" and (params["include_inactive"] or "").lower() == "false":
            return bool(record.get("status") != "Inactive")
        return True

    return keep


def _date(request: HttpRequest, name: str) -> datetime | None:
    """`since` / `until` (on a contact's last_updated, both inclusive)."""
    text = request.param(name)
    if not text:
        return None
    moment = parse_timestamp(text)
    if moment is None:
        raise BadInput(f"Invalid date for {name}: {text}")
    return moment
