"""Exact Online REST v1 (OData v2) for crm/Accounts and crm/Contacts.

Routes under the base URL `.../api/v1/{division}`:
`GET|POST crm/<Set>`, `GET|PUT|DELETE crm/<Set>(guid'...')`. Lists page 60 rows, ordered
by ID, and carry `__next` with `$skiptoken=guid'<last ID>'` until the last page. Every
answer carries Exact's daily and minutely rate-limit headers (resets in epoch ms).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from talk.emulator.base import Emulator, HttpRequest, HttpResponse, Record
from talk.emulator.odata import ODataError, matches, parse_filter
from talk.systems.exact import PAGE_SIZE, key_literal, to_odata_date
from talk.systems.profile import EntityProfile

__all__ = ["ExactEmulator", "exact_error"]

DAILY_LIMIT = 5000
MINUTELY_LIMIT = 60
_KEYED = re.compile(
    r"^(?P<set>.+?)\((?:guid'(?P<guid>[^']*)'|'(?P<text>[^']*)'|(?P<number>-?\d+))\)$")
_READ_ONLY = ("ID", "Created", "Modified", "Division", "__metadata")


def exact_error(status: int, message: str,
                headers: dict[str, str] | None = None) -> HttpResponse:
    """An answer in Exact's error shape."""
    body = {"error": {"code": "", "message": {"lang": "", "value": message}}}
    return HttpResponse(status, body, headers or {})


def _epoch_ms(moment: datetime) -> str:
    return str(round(moment.timestamp() * 1000))


class ExactEmulator(Emulator):
    """Stateful Exact Online CRM API; the division is the last segment of the base URL."""

    guid_keys = True  # Exact's keys are Edm.Guid unless the reference says otherwise

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._calls: dict[tuple[str, datetime], int] = {}  # calls per minute and per day

    @property
    def division(self) -> int:
        last = self.base_path.rsplit("/", 1)[-1]
        return int(last) if last.isdigit() else 0

    # -- identity and stamps ----------------------------------------------------------------

    def new_record(self, entity: EntityProfile, record: Record) -> Record:
        for name in (*self.read_only_fields(entity), *entity.update_only):
            record.pop(name, None)
        stamp = to_odata_date(self.clock.now())
        stored: Record = {name: None for name in entity.field_types}
        stored.update(record)
        stored[entity.id_field] = self.new_key(entity)
        assigned = {"Created": stamp, "Modified": stamp, "Division": self.division}
        stored.update({k: v for k, v in assigned.items() if k in entity.field_types or
                       (k == "Modified" and entity.modified_field)})
        return stored

    def id_of(self, entity: EntityProfile, record: Record) -> str:
        return str(record[entity.id_field]).lower()

    def touch(self, entity: EntityProfile, record: Record) -> None:
        if entity.modified_field:
            record[entity.modified_field] = to_odata_date(self.clock.now())

    def read_only_fields(self, entity: EntityProfile) -> tuple[str, ...]:
        """The reference's read-only properties (neither POST nor PUT takes them)."""
        return tuple(sorted({*_READ_ONLY, *entity.read_only}))

    # -- answers in Exact's style -----------------------------------------------------------

    def unauthorized(self) -> HttpResponse:
        return exact_error(401, "Unauthorized", {"WWW-Authenticate": "Bearer"})

    def rate_limited(self) -> HttpResponse:
        headers = self.rate_limit_headers()
        headers["X-RateLimit-Minutely-Remaining"] = "0"
        return exact_error(429, "API rate limit exceeded", headers)

    def server_error(self, status: int) -> HttpResponse:
        message = "Service unavailable" if status == 503 else "An error occurred"
        return exact_error(status, message)

    def rate_limit_headers(self) -> dict[str, str]:
        """Exact's daily and minutely limits; counts only, never enforced (faults do that)."""
        minute, day = self._windows()
        return {
            "X-RateLimit-Limit": str(DAILY_LIMIT),
            "X-RateLimit-Remaining": str(max(0, DAILY_LIMIT - self._calls.get(("day", day), 0))),
            "X-RateLimit-Reset": _epoch_ms(day + timedelta(days=1)),
            "X-RateLimit-Minutely-Limit": str(MINUTELY_LIMIT),
            "X-RateLimit-Minutely-Remaining": str(
                max(0, MINUTELY_LIMIT - self._calls.get(("minute", minute), 0))),
            "X-RateLimit-Minutely-Reset": _epoch_ms(minute + timedelta(minutes=1)),
        }

    def _windows(self) -> tuple[datetime, datetime]:
        """The current minute and day of the emulator's clock (without moving it)."""
        now = self.clock.peek()
        return (now.replace(second=0, microsecond=0),
                now.replace(hour=0, minute=0, second=0, microsecond=0))

    def handle(self, request: HttpRequest) -> HttpResponse:
        with self._lock:
            for window in zip(("minute", "day"), self._windows(), strict=True):
                self._calls[window] = self._calls.get(window, 0) + 1
            response = super().handle(request)
            for name, value in self.rate_limit_headers().items():
                response.headers.setdefault(name, value)
            return response

    # -- routing ------------------------------------------------------------------------------

    def dispatch(self, request: HttpRequest) -> HttpResponse:
        path = self.relative_path(request)
        keyed = _KEYED.match(path)
        entity = self._entity_at(keyed.group("set") if keyed else path)
        if entity is None:
            return exact_error(404, f"Resource not found: {path}")
        method = request.method.upper()
        try:
            if keyed:
                record_id = next(g for g in keyed.group("guid", "text", "number")
                                 if g is not None).lower()
                if method == "GET" and entity.can_read:
                    return self._get(request, entity, record_id)
                if method == "PUT" and entity.can_update:
                    return self._put(request, entity, record_id)
                if method == "DELETE" and entity.can_delete:
                    return self._delete(entity, record_id)
            elif method == "GET" and entity.can_read:
                return self._list(request, entity)
            elif method == "POST" and entity.can_create:
                return self._post(request, entity)
        except ODataError as exc:
            return exact_error(400, str(exc))
        return exact_error(405, f"The requested resource does not support http method "
                                f"'{method}'.")

    def _entity_at(self, resource: str) -> EntityProfile | None:
        for entity in self.profile.entities.values():
            if entity.resource.lower() == resource.lower():
                return entity
        return None

    # -- operations ---------------------------------------------------------------------------

    def _get(self, request: HttpRequest, entity: EntityProfile, record_id: str) -> HttpResponse:
        stored = self.table(entity).get(record_id)
        if stored is None:
            return exact_error(404, f"{entity.name}: record {record_id} not found")
        return HttpResponse(200, {"d": self._shown(entity, stored, request.param("$select"))})

    def _list(self, request: HttpRequest, entity: EntityProfile) -> HttpResponse:
        text = request.param("$filter")
        comparisons = parse_filter(text) if text else []
        key = entity.id_field
        rows = sorted((r for r in self.iter_table(entity) if matches(r, comparisons)),
                      key=lambda r: _order(r[key]))
        skiptoken = request.param("$skiptoken")
        if skiptoken:
            after = _skiptoken_id(skiptoken)
            rows = [r for r in rows if _order(r[key]) > after]
        top = _top(request.param("$top"))
        limit = PAGE_SIZE if top is None else min(PAGE_SIZE, top)
        page = rows[:limit]
        select = request.param("$select")
        body: dict[str, Any] = {"results": [self._shown(entity, r, select) for r in page]}
        remaining_top = None if top is None else top - len(page)
        if len(rows) > len(page) and remaining_top != 0:
            body["__next"] = self._next_url(request, entity, page[-1], remaining_top)
        return HttpResponse(200, {"d": body})

    def _post(self, request: HttpRequest, entity: EntityProfile) -> HttpResponse:
        payload = _json_object(request)
        missing = entity.missing_required({k for k, v in payload.items() if v not in (None, "")})
        if missing:
            return exact_error(400, f"Mandatory: {missing[0][0]}")
        stored = self.new_record(entity, payload)
        self.table(entity)[self.id_of(entity, stored)] = stored
        prefer = (request.header("Prefer") or "").lower()
        if "return=representation" in prefer:
            return HttpResponse(201, {"d": self._shown(entity, stored, None)})
        minimal = {"__metadata": self._metadata(entity, stored),
                   entity.id_field: stored[entity.id_field]}
        return HttpResponse(201, {"d": minimal})

    def _put(self, request: HttpRequest, entity: EntityProfile, record_id: str) -> HttpResponse:
        stored = self.table(entity).get(record_id)
        if stored is None:
            return exact_error(404, f"{entity.name}: record {record_id} not found")
        payload = _json_object(request)
        cleared = [name for group in entity.required_on_create for name in group
                   if name in payload and payload[name] in (None, "")]
        if cleared:
            return exact_error(400, f"Mandatory: {cleared[0]}")
        for name in entity.create_only:
            payload.pop(name, None)
        self.apply_changes(entity, stored, payload)
        self.touch(entity, stored)
        return HttpResponse(204)

    def _delete(self, entity: EntityProfile, record_id: str) -> HttpResponse:
        if self.table(entity).pop(record_id, None) is None:
            return exact_error(404, f"{entity.name}: record {record_id} not found")
        return HttpResponse(204)

    # -- shapes -------------------------------------------------------------------------------

    def _metadata(self, entity: EntityProfile, record: Record) -> dict[str, str]:
        type_name = entity.resource.rsplit("/", 1)[-1].removesuffix("s")
        return {"uri": f"{self.base_url}/{entity.resource}({key_literal(entity, record)})",
                "type": f"Exact.Web.Api.Models.{type_name}"}

    def _shown(self, entity: EntityProfile, record: Record, select: str | None) -> Record:
        fields = dict(record)
        if select:
            wanted = [name.strip() for name in select.split(",") if name.strip()]
            fields = {name: record.get(name) for name in wanted}
        return {"__metadata": self._metadata(entity, record), **fields}

    def _next_url(self, request: HttpRequest, entity: EntityProfile, last: Record,
                  top: int | None) -> str:
        params = {k: v[0] for k, v in request.query.items() if k.lower() not in
                  {"$skiptoken", "$top"}}
        if top is not None:
            params["$top"] = str(top)
        params["$skiptoken"] = key_literal(entity, last)
        path = urlsplit(request.url).path
        base = self.base_url[:len(self.base_url) - len(self.base_path)]
        query = urlencode(params, safe="$',")
        return f"{base}{path}?{query}"


def _order(value: object) -> tuple[int, str]:
    """Key order: numbers as numbers, GUIDs and text as text."""
    if isinstance(value, int):
        return (value, "")
    return (0, str(value).lower())


def _skiptoken_id(token: str) -> tuple[int, str]:
    text = token.strip()
    match = re.fullmatch(r"guid'([^']*)'", text)
    if match:
        try:
            return _order(str(uuid.UUID(match.group(1))))
        except ValueError:
            raise ODataError(f"invalid $skiptoken: {token}") from None
    if re.fullmatch(r"-?\d+", text):
        return _order(int(text))
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return _order(text[1:-1].replace("''", "'"))
    try:
        return _order(str(uuid.UUID(text)))
    except ValueError:
        raise ODataError(f"invalid $skiptoken: {token}") from None


def _top(text: str | None) -> int | None:
    if text is None or text == "":
        return None
    if not text.isdigit():
        raise ODataError(f"invalid $top: {text}")
    return int(text)


def _json_object(request: HttpRequest) -> Record:
    try:
        payload = request.json()
    except ValueError:
        raise ODataError("The request body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise ODataError("The request body must be a JSON object")
    return payload
