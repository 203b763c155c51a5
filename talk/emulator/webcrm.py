"""WebCRM REST v1: every entity of the v1 Swagger description (/Organisations, /Persons,
/QuotationLines, /Deliveries, /Activities, ...).

Routes below the base URL, as the v1 Swagger description has them (matched without
regard to case, as ASP.NET routes are): `GET|POST|PATCH /<Entity>`, `GET|PUT /<Entity>/{id}`,
`DELETE` where the description has it (Products, QuotationLines, Documents, ...), and
`GET /Organisations/FindByUpdateDates/{startDate}/{endDate}` (startDate <= updated < endDate)
with `FindByCreateDates` for Organisations and Opportunities. Other methods get ASP.NET's
405 with an `Allow` header and no body.

Lists are bare arrays paged by `Page` (from 1) and `Size` (1..1000). POST answers 200 with
the new id as the body (docs/design.md#answers-to-writes); PUT replaces the whole DTO and answers
200 without a
body; PATCH upserts an array and answers one string per item. Values are converted the way
Json.NET does by default (docs/design.md#api-types); a value it cannot convert gets ASP.NET's 400
with
the model-state errors (`{"ProductPrice": ["Could not convert string to double: ..."]}`).
Fields the description does not know are stored like any other (docs/design.md#undescribed-fields).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from itertools import islice
from typing import Any
from urllib.parse import unquote

from talk.emulator.base import Emulator, HttpRequest, HttpResponse, Record
from talk.systems.profile import EntityProfile, FieldType
from talk.systems.webcrm import (
    DEFAULT_SIZE,
    MAX_PAGE,
    MAX_SIZE,
    PREFIXES,
    format_timestamp,
    parse_timestamp,
)

__all__ = ["BadRequest", "WebcrmEmulator", "convert_like_json_net"]

THROTTLE_MESSAGE = "The request was throttled. The limit of 250 requests per minute is reached"
_INT32 = (-(2**31), 2**31 - 1)
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")
_FLOAT = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")
# Date-range reads the description offers, per entity.
_DATE_RANGES = {
    "findbyupdatedates": ("Organisations",),
    "findbycreatedates": ("Organisations", "Opportunities"),
}


class BadRequest(Exception):
    """A request ASP.NET refuses with 400; `errors` is its model state."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.errors = {field: [message]}


# -- Json.NET's default conversions (docs/design.md#api-types) -----------------------------------


def convert_like_json_net(entity: EntityProfile, body: Record) -> Record:
    """The DTO as the API stores it: typed fields converted, unknown fields kept as sent."""
    converted: Record = {}
    for name, value in body.items():
        field_type = entity.field_type(name)
        converted[name] = (value if field_type is None or value is None
                           else _json_net_value(value, field_type, name))
    return converted


def _json_net_value(value: Any, field_type: FieldType, path: str) -> Any:
    def refuse(reason: str) -> BadRequest:
        return BadRequest(path, f"{reason}. Path '{path}'.")

    if isinstance(value, dict | list):
        raise refuse(f"Unexpected character encountered while parsing value: "
                     f"{'{' if isinstance(value, dict) else '['}")
    if field_type is FieldType.STRING:
        if isinstance(value, bool):
            return "True" if value else "False"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, str) and value == "":
        return None  # an empty string reads as null for a value type
    if field_type is FieldType.INTEGER:
        if isinstance(value, bool):
            raise refuse("Error reading integer. Unexpected token: Boolean")
        if isinstance(value, str):
            if not _INTEGER.fullmatch(value):
                raise refuse(f"Could not convert string to integer: {value}")
            value = int(value)
        if isinstance(value, float):
            raise refuse(f"Input string '{value}' is not a valid integer")
        if not _INT32[0] <= value <= _INT32[1]:
            raise refuse("Value was either too large or too small for an Int32")
        return value
    if field_type is FieldType.NUMBER:
        if isinstance(value, bool):
            raise refuse("Error reading double. Unexpected token: Boolean")
        if isinstance(value, str):
            if not _FLOAT.fullmatch(value):
                raise refuse(f"Could not convert string to double: {value}")
            return float(value)
        return float(value)
    if field_type is FieldType.BOOLEAN:
        if isinstance(value, str):
            if value.strip().lower() not in ("true", "false"):
                raise refuse(f"Could not convert string to boolean: {value}")
            return value.strip().lower() == "true"
        return bool(value)  # Convert.ToBoolean: any non-zero number is true
    if field_type is FieldType.DATETIME:
        moment = parse_timestamp(value) if isinstance(value, str) else None
        if moment is None:
            raise refuse(f"Could not convert string to DateTime: {value}")
        return format_timestamp(moment)
    return value


class WebcrmEmulator(Emulator):
    """Stateful WebCRM REST v1. `retry_after_seconds` is what an injected 429 asks for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after_seconds = 14

    # -- identity and stamps ----------------------------------------------------------------

    def read_only_fields(self, entity: EntityProfile) -> tuple[str, ...]:
        prefix = PREFIXES.get(entity.name, entity.name)
        return entity.id_field, f"{prefix}CreatedAt", f"{prefix}UpdatedAt"

    def new_record(self, entity: EntityProfile, record: Record) -> Record:
        for name in self.read_only_fields(entity):
            record.pop(name, None)
        stamp = format_timestamp(self.clock.now())
        created, updated = self.read_only_fields(entity)[1:]
        stored: Record = {entity.id_field: self.next_sequence()}
        stored.update((k, v) for k, v in record.items() if v is not None)
        stored.update({created: stamp, updated: stamp})
        return stored

    def id_of(self, entity: EntityProfile, record: Record) -> str:
        return str(record[entity.id_field])

    def touch(self, entity: EntityProfile, record: Record) -> None:
        record[self.read_only_fields(entity)[2]] = format_timestamp(self.clock.now())

    null_clears_field = True  # Json.NET leaves nulls out

    # -- answers in WebCRM's style ----------------------------------------------------------

    def unauthorized(self) -> HttpResponse:
        return HttpResponse(401, None, {"WWW-Authenticate": "Bearer"})

    def rate_limited(self) -> HttpResponse:
        seconds = self.retry_after_seconds
        body = {"RetryAfterSeconds": seconds, "Message": THROTTLE_MESSAGE,
                "Type": "TooManyRequestsException"}
        return HttpResponse(429, body, {"Retry-After": str(seconds)})

    def server_error(self, status: int) -> HttpResponse:
        return HttpResponse(status, None)

    # -- routing ------------------------------------------------------------------------------

    def dispatch(self, request: HttpRequest) -> HttpResponse:
        parts = [unquote(part) for part in self.relative_path(request).split("/")]
        method = request.method.upper()
        entity = next((e for e in self.profile.entities.values()
                       if e.resource.lower() == parts[0].lower()), None)
        if entity is None:
            return HttpResponse(404)
        try:
            if len(parts) == 1:
                return self._collection(request, entity, method)
            if len(parts) == 2 and _INTEGER.fullmatch(parts[1]):
                return self._item(request, entity, method, str(int(parts[1])))
            ranges = _DATE_RANGES.get(parts[1].lower(), ())
            if len(parts) == 4 and entity.name in ranges:
                if method != "GET":
                    return _not_allowed(("GET",))
                return self._by_dates(request, entity, parts[1].lower(), parts[2], parts[3])
        except BadRequest as exc:
            return HttpResponse(400, exc.errors)
        return HttpResponse(404)

    def _collection(self, request: HttpRequest, entity: EntityProfile,
                    method: str) -> HttpResponse:
        if method == "GET" and entity.can_read:
            return HttpResponse(200, self._page(request, entity, self.iter_table(entity)))
        if method == "POST" and entity.can_create:
            payload = convert_like_json_net(entity, _json(request, dict))
            stored = self.new_record(entity, payload)
            self.table(entity)[self.id_of(entity, stored)] = stored
            return HttpResponse(200, stored[entity.id_field])
        if method == "PATCH" and entity.can_create and entity.can_update:
            return self._upsert(request, entity)
        return _not_allowed(_collection_methods(entity))

    def _item(self, request: HttpRequest, entity: EntityProfile, method: str,
              record_id: str) -> HttpResponse:
        allowed = tuple(m for m, offered in (("GET", entity.can_read), ("PUT", entity.can_update),
                                             ("DELETE", entity.can_delete)) if offered)
        if method not in allowed:
            return _not_allowed(allowed)
        stored = self.table(entity).get(record_id)
        if stored is None:
            return HttpResponse(404)
        if method == "GET":
            return HttpResponse(200, dict(stored))
        if method == "DELETE":
            del self.table(entity)[record_id]
            return HttpResponse(200)
        self._replace(entity, stored, convert_like_json_net(entity, _json(request, dict)))
        return HttpResponse(200)

    # -- operations ---------------------------------------------------------------------------

    def _replace(self, entity: EntityProfile, stored: Record, payload: Record) -> None:
        """PUT semantics: the DTO sent is the whole record (what it leaves out is null)."""
        kept = {name: stored[name] for name in self.read_only_fields(entity) if name in stored}
        stored.clear()
        stored.update(kept)
        self.apply_changes(entity, stored, payload)
        self.touch(entity, stored)

    def _upsert(self, request: HttpRequest, entity: EntityProfile) -> HttpResponse:
        """PATCH: update the items whose id exists, insert those without one."""
        items = _json(request, list)
        if not all(isinstance(item, dict) for item in items):
            raise BadRequest("", "Each item must be a JSON object.")
        converted = [convert_like_json_net(entity, item) for item in items]
        answers: list[str] = []
        for item in converted:
            record_id = item.get(entity.id_field)
            if not record_id:
                stored = self.new_record(entity, item)
                self.table(entity)[self.id_of(entity, stored)] = stored
                answers.append(str(stored[entity.id_field]))
                continue
            existing = self.table(entity).get(str(record_id))
            if existing is None:
                answers.append(f"{PREFIXES.get(entity.name, entity.name)} with id "
                               f"{record_id} was not found")
                continue
            self._replace(entity, existing, item)
            answers.append(str(record_id))
        return HttpResponse(200, answers)

    def _by_dates(self, request: HttpRequest, entity: EntityProfile, kind: str,
                  start_text: str, end_text: str) -> HttpResponse:
        start, end = (_date_param(name, text) for name, text in
                      (("startDate", start_text), ("endDate", end_text)))
        prefix = PREFIXES.get(entity.name, entity.name)
        stamp_field = f"{prefix}UpdatedAt" if kind == "findbyupdatedates" else f"{prefix}CreatedAt"

        def within(record: Record) -> bool:
            stamp = parse_timestamp(record.get(stamp_field))
            return stamp is not None and start <= stamp < end

        return HttpResponse(200, self._page(request, entity, self.iter_table(entity, within)))

    def _page(self, request: HttpRequest, entity: EntityProfile,
              rows: Iterable[Record]) -> list[Record]:
        page = _range_param(request, "Page", 1, MAX_PAGE, 1)
        size = _range_param(request, "Size", 1, MAX_SIZE, DEFAULT_SIZE)
        # In id order without sorting the table for every page (that made a full listing
        # O(N^2 log N)): ids are handed out in increasing order and a table keeps the
        # order records were created in.
        return [dict(r) for r in islice(rows, (page - 1) * size, page * size)]


# -- request helpers ---------------------------------------------------------------------------


def _collection_methods(entity: EntityProfile) -> tuple[str, ...]:
    """The methods the description offers on an entity's collection path."""
    return tuple(m for m, offered in (("GET", entity.can_read), ("POST", entity.can_create),
                                      ("PATCH", entity.can_create and entity.can_update))
                 if offered)


def _not_allowed(allowed: tuple[str, ...]) -> HttpResponse:
    return HttpResponse(405, None, {"Allow": ", ".join(allowed)})


def _json(request: HttpRequest, kind: type) -> Any:
    try:
        payload = request.json()
    except ValueError as exc:
        raise BadRequest("", f"Invalid JSON: {exc}") from None
    if payload is None:
        raise BadRequest("", "A non-empty request body is required.")
    if not isinstance(payload, kind):
        raise BadRequest("", f"Expected a JSON {'object' if kind is dict else 'array'}.")
    return payload


def _range_param(request: HttpRequest, name: str, low: int, high: int, default: int) -> int:
    text = request.param(name)
    if text is None or text == "":
        return default
    if not _INTEGER.fullmatch(text):
        raise BadRequest(name, f"The value '{text}' is not valid for {name}.")
    value = int(text)
    if not low <= value <= high:
        raise BadRequest(name, f"The field {name} must be between {low} and {high}.")
    return value


def _date_param(name: str, text: str) -> datetime:
    moment = parse_timestamp(text)
    if moment is None:
        raise BadRequest(name, f"The value '{text}' is not valid.")
    return moment
