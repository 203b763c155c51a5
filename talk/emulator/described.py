"""A stateful emulator that behaves as a distilled API description says.

Paths, keys, envelopes and paging come from the entity profiles (talk.profiles.build):
`GET|POST <collection>`, `GET|<update method>|DELETE <record path>`, where the
description offers them, else 405 with `Allow`. A create or update is validated against
the description's property schema (required fields, JSON types, enums, lengths, null)
with `jsonschema`; a refusal answers in the API's error shape (talk.systems.described).
Writes are typed as the request bodies take them, answers shaped as reads give them (a
gid written is answered as the object holding it). Read-only fields are ignored on write
and set by the server (the key; a modified stamp where the description has one). Unknown
fields are stored as sent: descriptions are older than the live APIs.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlencode

from jsonschema import Draft202012Validator

from talk.emulator.base import Emulator, HttpRequest, HttpResponse, Record
from talk.profiles.shapes import (
    PAGE_SIZE,
    answered,
    key_value,
    record_url_pattern,
    unwrap,
    wrap,
)
from talk.systems.described import ERROR_SHAPES
from talk.systems.profile import EntityProfile, SystemProfile

__all__ = ["DescribedEmulator", "answer_schema", "record_schema"]

_JSON_TYPES = {"string": "string", "datetime": "string", "guid": "string",
               "integer": "integer", "number": "number", "boolean": "boolean",
               "array": "array", "object": "object"}


class Refused(Exception):
    """A write the API refuses; `problems` are (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))
        self.problems = problems


def _json_type(prop: Mapping[str, Any], *, written: bool) -> Any:
    """The JSON type of a property as a request body takes it (written) or as answers
    hold it: a request may take another type (a gid where answers hold an object)."""
    retyped = written and "write_type" in prop
    kind = _JSON_TYPES.get(str(prop["write_type"] if retyped else prop.get("type")), "string")
    return [kind, "null"] if retyped or prop.get("nullable", True) else kind


def record_schema(entity: EntityProfile, *, creating: bool) -> dict[str, Any]:
    """The JSON Schema a write body must satisfy, from the described properties: JSON
    type as the request body takes it, null where the description forbids it, and (on
    create) the required fields.

    Enums and lengths are not enforced: the checklist's sample values are made up, and a
    refusal must mean the document or the API is wrong, not the sample."""
    properties = {name: {"type": _json_type(prop, written=True)}
                  for name, prop in entity.properties.items()}
    required = [group[0] for group in entity.required_on_create if len(group) == 1] \
        if creating else []
    return {"type": "object", "properties": properties, "required": required}


def answer_schema(entity: EntityProfile) -> dict[str, Any]:
    """The JSON Schema of a record as reads answer it (the described read types)."""
    return {"type": "object", "properties": {
        name: {"type": _json_type(prop, written=False)}
        for name, prop in entity.properties.items()}}


def _now_text(moment: datetime, declared: Mapping[str, Any] | None = None) -> str:
    """A stamp in the declared format: a date where the description says `date`."""
    utc = moment.astimezone(UTC)
    if declared and declared.get("format") == "date":
        return utc.date().isoformat()
    return utc.isoformat(timespec="seconds").replace("+00:00", "Z")


_BLANKS: dict[str, Any] = {"string": "", "integer": 0, "number": 0, "boolean": False,
                           "guid": "00000000-0000-0000-0000-000000000000"}


def _blank(declared: Mapping[str, Any], moment: datetime) -> Any:
    """A value for a field every answer has but the write left out: null where the
    description says so, else the first enum value or an empty value of its type (as
    Business Central answers unset fields: "", 0, the empty GUID)."""
    if declared.get("nullable") is True:
        return None
    if declared.get("enum"):
        return declared["enum"][0]
    kind = str(declared.get("type", "string"))
    if kind == "datetime" or declared.get("format") == "date":
        return _now_text(moment, declared)
    if kind in ("array", "object"):
        return [] if kind == "array" else {}
    return copy.copy(_BLANKS.get(kind, ""))


_ROUTES: dict[int, tuple[SystemProfile, list[tuple[EntityProfile, re.Pattern[str] | None]]]] = {}


def _routes_of(profile: SystemProfile) -> list[tuple[EntityProfile, re.Pattern[str] | None]]:
    """Each entity with its record-path pattern, worked out once per profile: every
    checklist scenario builds its emulators anew (Asana's 43 patterns took 0.7 ms)."""
    known = _ROUTES.get(id(profile))
    if known is None or known[0] is not profile:
        if len(_ROUTES) >= 64:  # profiles built on the fly (tests, imports): keep a few
            _ROUTES.clear()
        known = (profile, [(entity, record_url_pattern(entity))
                           for entity in profile.entities.values()])
        _ROUTES[id(profile)] = known
    return known[1]


class DescribedEmulator(Emulator):
    """Any system whose profile comes from its API description."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._routes = _routes_of(self.profile)

    # -- identity and stamps ----------------------------------------------------------------

    def new_record(self, entity: EntityProfile, record: Record) -> Record:
        """A stored record with its key and stamps. Read-only fields a seeded record holds
        are kept (the server set them: Tripletex's `isCustomer`); a create through the API
        has them dropped before (`_body`)."""
        record.pop(entity.id_field, None)
        key = self.new_key(entity)
        stored = {entity.id_field: key, **record}
        self.touch(entity, stored)
        for name in entity.answer_required:
            if name not in stored:
                stored[name] = _blank(entity.properties.get(name, {}), self.clock.peek())
        return stored

    def new_key(self, entity: EntityProfile) -> Any:
        """A key as the description spells it: the first of a few spellings of the next
        number its key's `pattern` accepts (Trello's 24 hex digits, Wikidata's `Q42`)."""
        key = super().new_key(entity)
        pattern = entity.properties.get(entity.id_field, {}).get("pattern")
        if not isinstance(key, str) or not isinstance(pattern, str):
            return key
        number = int(key) if key.isdigit() else 0
        spellings = (key, f"{number:024x}", f"Q{number}", f"P{number}", f"{number:09d}")
        return next((s for s in spellings if re.search(pattern, s)), key)

    def edit(self, entity: str, record_id: object, changes: Record) -> Record:
        """A change made in the system itself (its UI, its own logic) may change a field
        its API marks read-only (Tripletex sets a customer's `isCustomer`): only the key
        stays as it is."""
        profile = self.entity(entity)
        with self._lock:
            stored = self.table(profile)[str(record_id)]
            for name, value in copy.deepcopy(changes).items():
                if name == profile.id_field:
                    continue
                if value is None and self.null_clears_field:
                    stored.pop(name, None)
                else:
                    stored[name] = value
            self.touch(profile, stored)
            return copy.deepcopy(stored)

    def id_of(self, entity: EntityProfile, record: Record) -> str:
        return str(record[entity.id_field]).lower()

    def touch(self, entity: EntityProfile, record: Record) -> None:
        if entity.modified_field:
            declared = entity.properties.get(entity.modified_field, {})
            record[entity.modified_field] = _now_text(self.clock.now(), declared)

    def read_only_fields(self, entity: EntityProfile) -> tuple[str, ...]:
        return tuple(sorted({entity.id_field, *entity.read_only}))

    def credential(self, request: HttpRequest) -> str | None:
        """Bearer, or Basic as Tripletex and WooCommerce take it; WooCommerce also takes its
        consumer key in the query (`consumer_key`, or OAuth 1.0a's `oauth_consumer_key`
        over plain HTTP), as its REST API documentation says."""
        auth = request.header("Authorization") or ""
        if auth.lower().startswith("basic "):
            return auth[6:].strip() or None
        if self.key == "woocommerce":
            for name in ("consumer_key", "oauth_consumer_key"):
                if request.param(name):
                    return request.param(name)
        return super().credential(request)

    # -- answers in the API's style ---------------------------------------------------------

    def error(self, status: int, problems: list[tuple[str, str]]) -> HttpResponse:
        """An error answer in the system's shape (assumed where the description is silent)."""
        _, shape = ERROR_SHAPES.get(self.key, (400, "plain"))
        text = "; ".join(f"{f}: {m}" if f else m for f, m in problems)
        body: Any
        if shape == "tripletex":
            body = {"status": status, "code": 15000 if status == 422 else status * 10,
                    "message": "Validering feilet." if status == 422 else text,
                    "developerMessage": text, "requestId": f"emulated-{len(self.requests)}",
                    "validationMessages": [{"field": f, "message": m} for f, m in problems]}
        elif shape == "odata":
            body = {"error": {"code": "BadRequest" if status < 500 else "InternalServerError",
                              "message": text}}
        elif shape == "asana":
            body = {"errors": [{"message": f"{f}: {m}" if f else m} for f, m in problems]}
        elif shape == "woocommerce":
            body = {"code": "rest_invalid_param", "message": text, "data": {"status": status}}
        elif shape == "shopify":
            body = {"errors": {f or "base": [m] for f, m in problems}}
        else:
            body = {"error": text}
        return HttpResponse(status, body)

    def unauthorized(self) -> HttpResponse:
        response = self.error(401, [("", "unauthorized")])
        response.headers["WWW-Authenticate"] = "Bearer"
        return response

    def rate_limited(self) -> HttpResponse:
        response = self.error(429, [("", "rate limit exceeded")])
        response.headers["Retry-After"] = "1"
        return response

    def server_error(self, status: int) -> HttpResponse:
        return self.error(status, [("", "service unavailable" if status == 503
                                    else "internal server error")])

    # -- routing ------------------------------------------------------------------------------

    def dispatch(self, request: HttpRequest) -> HttpResponse:
        path = unquote(self.relative_path(request))  # Tripletex paths hold `>` and `:`
        method = request.method.upper()
        for entity, _ in self._routes:
            if path.lower() == entity.resource.lower().strip("/"):
                return self._collection(request, entity, method)
        for entity, pattern in self._routes:
            match = pattern.match(path) if pattern else None
            if match:
                return self._item(request, entity, method, match.group("key"))
        return self.error(404, [("", f"no such resource: {request.path}")])

    def _collection(self, request: HttpRequest, entity: EntityProfile,
                    method: str) -> HttpResponse:
        allowed = [m for m, ok in (("GET", entity.can_read), ("POST", entity.can_create)) if ok]
        if method == "GET" and entity.can_read:
            return self._list(request, entity)
        if method == "POST" and entity.can_create:
            try:
                payload = self._body(request, entity, creating=True)
            except Refused as exc:
                return self._refused(exc)
            stored = self.new_record(entity, payload)
            self.table(entity)[self.id_of(entity, stored)] = stored
            return HttpResponse(201, self._answer(entity, stored))
        return self._not_allowed(allowed)

    def _item(self, request: HttpRequest, entity: EntityProfile, method: str,
              key: str) -> HttpResponse:
        update = entity.update_method.upper()
        allowed = [m for m, ok in (("GET", entity.can_read or entity.record_path is not None),
                                   (update, entity.can_update), ("DELETE", entity.can_delete))
                   if ok]
        if method not in allowed:
            return self._not_allowed(allowed)
        record_id = str(key_value(entity, key)).lower()
        stored = self.table(entity).get(record_id)
        if stored is None:
            return self.error(404, [("", f"{entity.name} {key} not found")])
        if method == "GET":
            return HttpResponse(200, self._answer(entity, stored))
        if method == "DELETE":
            del self.table(entity)[record_id]
            return HttpResponse(204)
        try:
            payload = self._body(request, entity, creating=False)
        except Refused as exc:
            return self._refused(exc)
        self.apply_changes(entity, stored, payload)
        self.touch(entity, stored)
        return HttpResponse(200, self._answer(entity, stored))

    def _answer(self, entity: EntityProfile, stored: Record) -> Any:
        """A stored record in its envelope and in the read shape."""
        return wrap(entity.record_key, answered(entity, copy.deepcopy(stored)))

    def _not_allowed(self, allowed: list[str]) -> HttpResponse:
        response = self.error(405, [("", "method not allowed")])
        response.headers["Allow"] = ", ".join(allowed)
        return response

    def _refused(self, exc: Refused) -> HttpResponse:
        status, _ = ERROR_SHAPES.get(self.key, (400, "plain"))
        return self.error(status, exc.problems)

    # -- writes -------------------------------------------------------------------------------

    def _body(self, request: HttpRequest, entity: EntityProfile, *, creating: bool) -> Record:
        """The fields a create (or update) may set: validated against the write shape, without
        read-only fields and those only the other kind of write takes (ignored, as the API
        does)."""
        try:
            body = request.json()
        except ValueError:
            raise Refused([("", "the body is not valid JSON")]) from None
        payload = unwrap(entity.create_key, body)
        if not isinstance(payload, dict):
            raise Refused([("", "the body must be a JSON object")])
        validator = Draft202012Validator(record_schema(entity, creating=creating))
        read_only = self.read_only_fields(entity)
        ignored = {*read_only, *(entity.update_only if creating else entity.create_only)}
        problems = []
        for error in sorted(validator.iter_errors(payload), key=lambda e: list(e.path)):
            field = ".".join(str(p) for p in error.path)
            if error.validator == "required":
                missing = re.findall(r"'([^']+)' is a required property", error.message)
                problems.append((missing[0] if missing else field, "is required"))
            elif field.split(".")[0] in read_only:
                continue  # dropped below
            else:
                problems.append((field, _plain(error.validator, error.validator_value)))
        if problems:
            raise Refused(problems)
        return {k: v for k, v in payload.items() if k not in ignored}

    # -- reads --------------------------------------------------------------------------------

    def _list(self, request: HttpRequest, entity: EntityProfile) -> HttpResponse:
        rows = [answered(entity, copy.deepcopy(r)) for r in self.table(entity).values()]
        style = entity.paging
        total = len(rows)
        if style == "from_count":
            start = _int(request.param("from"), 0)
            size = _int(request.param("count"), 1000)
            page = rows[start:start + size]
            # versionDigest: "Hash of full result, null if no result" (the description).
            digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest() \
                if rows else None
            return HttpResponse(200, {"fullResultSize": total, "from": start, "count": len(page),
                                      "versionDigest": digest, **wrap(entity.list_key, page)})
        if style == "odata_next":
            start = _int(request.param("$skip"), 0)
            size = min(_int(request.param("$top"), PAGE_SIZE), PAGE_SIZE)
            page = rows[start:start + size]
            body: dict[str, Any] = {"@odata.context": f"{self.base_url}/$metadata#"
                                                      f"{entity.resource}", "value": page}
            if start + size < total:
                body["@odata.nextLink"] = self._url(request, {"$skip": start + size,
                                                              "$top": size})
            return HttpResponse(200, body)
        if style in ("offset_limit", "page_size", "page_per_page"):
            size_name = {"offset_limit": "limit", "page_size": "size",
                         "page_per_page": "per_page"}[style]
            size = max(1, min(_int(request.param(size_name), PAGE_SIZE), PAGE_SIZE))
            if style == "offset_limit":
                start = _int(request.param("offset"), 0)
            else:  # Spring pages count from 0 (page_size), WordPress pages from 1
                first = 0 if style == "page_size" else 1
                start = (_int(request.param("page"), first) - first) * size
            page = rows[start:start + size]
            answer: Any = wrap(entity.list_key, page)
            if isinstance(answer, dict) and style == "offset_limit":
                answer["next_page"] = {"offset": str(start + size)} \
                    if start + size < total else None
            response = HttpResponse(200, answer)
            response.headers["X-Total-Count"] = str(total)
            return response
        return HttpResponse(200, wrap(entity.list_key, rows))

    def _url(self, request: HttpRequest, params: dict[str, Any]) -> str:
        query = {k: v[0] for k, v in request.query.items()}
        query.update({k: str(v) for k, v in params.items()})
        return f"{self.base_url}/{self.relative_path(request)}?{urlencode(query, safe='$')}"


def _int(text: str | None, default: int) -> int:
    if text is None or not text.strip().lstrip("-").isdigit():
        return default
    return max(0, int(text))


def _plain(validator: Any, expected: Any) -> str:
    """A jsonschema failure in words, without Python's repr of the schema."""
    if validator == "type":
        kinds = [expected] if isinstance(expected, str) else list(expected)
        return f"must be {' or '.join(k for k in kinds if k != 'null')}"
    return f"is not valid ({validator})"
