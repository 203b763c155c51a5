"""The generic JSON REST API of custom and unknown systems (ours to define; issue 3).

    GET  <base>/<entity>?limit=100&offset=0&updated_since=<ISO 8601>
         -> 200 {"items": [...], "next": "<url with the next offset>" | null}
    POST <base>/<entity>            -> 201 the record
    GET  <base>/<entity>/<id>       -> 200 the record | 404 {"error": "..."}
    PUT  <base>/<entity>/<id>       -> 200 the record, the given fields merged in

`<entity>` is the entity name lower case, spaces as hyphens, bracket qualifier dropped.
Records carry `id` ("<entity>-<n>") and `updated_at` (ISO 8601, UTC, milliseconds).
`updated_since` is exclusive: it lists records with `updated_at` strictly after it. Lists are
in creation order. No field is required. Errors are `{"error": "<message>"}`; 429 carries
`Retry-After` (seconds).
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, datetime
from itertools import islice
from typing import Any
from urllib.parse import unquote, urlencode

from talk.emulator.base import Emulator, HttpRequest, HttpResponse, Record
from talk.systems.profile import EntityProfile
from talk.systems.registry import generic_entity, generic_resource, resolve_entity

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "GenericEmulator", "format_timestamp",
           "parse_timestamp"]

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
_SERVER_ASSIGNED = ("id", "updated_at")


def format_timestamp(moment: datetime) -> str:
    """`2024-01-01T00:00:01.000Z`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime:
    """ISO 8601; a value without an offset is taken as UTC. Raises ValueError."""
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> HttpResponse:
    return HttpResponse(status, {"error": message}, headers or {})


class GenericEmulator(Emulator):
    """Stateful generic JSON REST API; accepts any entity name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._key_names: dict[str, str] = {}  # resource -> the documents' name of its key

    def entity(self, name: str) -> EntityProfile:
        """An entity by document name or by resource (`Contact` and `contact` are one)."""
        resolved = resolve_entity(self.profile, name)
        if resolved.generic:
            return self._generic(resolved.resource)
        return resolved

    def _generic(self, resource: str) -> EntityProfile:
        # Stored under the resource name, so a document name and a URL find one table.
        return dataclasses.replace(generic_entity(self.key, resource), name=resource)

    def _entity_at(self, resource: str) -> EntityProfile:
        for entity in self.profile.entities.values():
            if entity.resource == resource:
                return entity
        return self._generic(generic_resource(resource))

    # -- identity and stamps ----------------------------------------------------------------

    def spell_key(self, resource: str, name: str) -> None:
        """Also carry each record's key as `name`, the documents' spelling (`PersonId` of a
        Person): a system without a profile has no spelling of its own to prefer."""
        self._key_names[resource] = name

    def _server_assigned(self, entity: EntityProfile) -> tuple[str, ...]:
        spelled = self._key_names.get(entity.resource)
        return _SERVER_ASSIGNED + ((spelled,) if spelled else ())

    def new_record(self, entity: EntityProfile, record: Record) -> Record:
        for name in self._server_assigned(entity):
            record.pop(name, None)
        key = f"{entity.resource}-{self.next_sequence()}"
        spelled = self._key_names.get(entity.resource)
        return {"id": key, **({spelled: key} if spelled else {}), **record,
                "updated_at": format_timestamp(self.clock.now())}

    def keep_key(self, entity: EntityProfile, record: Record, key: object) -> None:
        spelled = self._key_names.get(entity.resource)
        record.update({"id": key, **({spelled: key} if spelled else {})})

    def id_of(self, entity: EntityProfile, record: Record) -> str:
        return str(record["id"])

    def touch(self, entity: EntityProfile, record: Record) -> None:
        record["updated_at"] = format_timestamp(self.clock.now())

    def read_only_fields(self, entity: EntityProfile) -> tuple[str, ...]:
        return self._server_assigned(entity)

    # -- answers ------------------------------------------------------------------------------

    def unauthorized(self) -> HttpResponse:
        return _error(401, "unauthorized", {"WWW-Authenticate": "Bearer"})

    def rate_limited(self) -> HttpResponse:
        return _error(429, "rate limit exceeded", {"Retry-After": "1"})

    def server_error(self, status: int) -> HttpResponse:
        return _error(status, "service unavailable" if status == 503 else "internal server error")

    # -- routing ------------------------------------------------------------------------------

    def dispatch(self, request: HttpRequest) -> HttpResponse:
        # a record id travels percent-encoded in the path, as a REST server decodes it
        parts = [unquote(part) for part in self.relative_path(request).split("/")]
        if not parts[0] or len(parts) > 2:
            return _error(404, f"no such resource: {request.path}")
        entity = self._entity_at(parts[0])
        method = request.method.upper()
        if len(parts) == 1:
            if method == "GET":
                return self._list(request, entity)
            if method == "POST":
                return self._create(request, entity)
        else:
            if method == "GET":
                return self._get(entity, parts[1])
            if method == "PUT":
                return self._put(request, entity, parts[1])
        return _error(405, f"method {method} not allowed on {request.path}")

    def _list(self, request: HttpRequest, entity: EntityProfile) -> HttpResponse:
        try:
            limit = int(request.param("limit") or DEFAULT_LIMIT)
            offset = int(request.param("offset") or 0)
        except ValueError:
            return _error(400, "limit and offset must be integers")
        if not 1 <= limit <= MAX_LIMIT or offset < 0:
            return _error(400, f"limit must be between 1 and {MAX_LIMIT}, offset at least 0")
        since_text = request.param("updated_since")
        table = self.table(entity)
        if since_text:
            try:
                since = parse_timestamp(since_text)
            except ValueError:
                return _error(400, f"updated_since is not an ISO 8601 timestamp: {since_text}")
            rows = [r for r in table.values() if parse_timestamp(r["updated_at"]) > since]
            page, total = rows[offset:offset + limit], len(rows)
        else:
            # No copy of the whole table per page: that made a full listing O(N^2).
            page, total = list(islice(table.values(), offset, offset + limit)), len(table)
        next_url = None
        if offset + limit < total:
            params = {"limit": str(limit), "offset": str(offset + limit)}
            if since_text:
                params["updated_since"] = since_text
            next_url = f"{self.base_url}/{entity.resource}?{urlencode(params)}"
        return HttpResponse(200, {"items": copy.deepcopy(page), "next": next_url})

    def _create(self, request: HttpRequest, entity: EntityProfile) -> HttpResponse:
        payload = _json_object(request)
        if payload is None:
            return _error(400, "the body must be a JSON object")
        stored = self.new_record(entity, payload)
        self.table(entity)[self.id_of(entity, stored)] = stored
        return HttpResponse(201, copy.deepcopy(stored))

    def _get(self, entity: EntityProfile, record_id: str) -> HttpResponse:
        stored = self.table(entity).get(record_id)
        if stored is None:
            return _error(404, f"{entity.resource} {record_id} not found")
        return HttpResponse(200, copy.deepcopy(stored))

    def _put(self, request: HttpRequest, entity: EntityProfile, record_id: str) -> HttpResponse:
        stored = self.table(entity).get(record_id)
        if stored is None:
            return _error(404, f"{entity.resource} {record_id} not found")
        payload = _json_object(request)
        if payload is None:
            return _error(400, "the body must be a JSON object")
        self.apply_changes(entity, stored, payload)
        self.touch(entity, stored)
        return HttpResponse(200, copy.deepcopy(stored))


def _json_object(request: HttpRequest) -> Record | None:
    try:
        payload = request.json()
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None
