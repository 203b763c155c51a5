"""What every API emulator shares: state, clock, request log, auth and injected faults.

An emulator is a pure function of (state, request) -> response, written once per API style;
adapters put it behind `responses` (in-process) or a loopback HTTP server (`talk serve`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from talk.systems.profile import EntityProfile, FieldType, SystemProfile

__all__ = [
    "Clock",
    "DroppedAfterWrite",
    "EmulatedTimeout",
    "Emulator",
    "Fault",
    "HttpRequest",
    "HttpResponse",
    "Record",
]

Record = dict[str, Any]


class Clock:
    """A deterministic clock: every reading moves it on by `step`.

    Emulators never read wall time, so results are identical under pytest-xdist.
    """

    def __init__(self, start: datetime | None = None, step: timedelta = timedelta(seconds=1)):
        self._now = start or datetime(2024, 1, 1, tzinfo=UTC)
        self._step = step
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            self._now += self._step
            return self._now

    def peek(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None = None

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.url).query, keep_blank_values=True)

    def param(self, name: str) -> str | None:
        """A query parameter, matched case-insensitively (OData and .NET APIs are)."""
        for key, values in self.query.items():
            if key.lower() == name.lower() and values:
                return values[0]
        return None

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    def json(self) -> Any:
        if not self.body:
            return None
        return json.loads(self.body)


@dataclass
class HttpResponse:
    status: int
    body: Any = None  # JSON-serialisable, or bytes/str sent as is, or None for no body
    headers: dict[str, str] = field(default_factory=dict)

    def body_bytes(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str) and "content-type" in {k.lower() for k in self.headers}:
            return self.body.encode()
        return json.dumps(self.body).encode()

    def content_type(self) -> str:
        for key, value in self.headers.items():
            if key.lower() == "content-type":
                return value
        return "application/json"


class EmulatedTimeout(Exception):
    """The emulator does not answer in time (adapters raise the client's timeout)."""


class DroppedAfterWrite(Exception):
    """The emulator applied a write and then dropped the connection without an answer."""


@dataclass
class Fault:
    """Fail the next `remaining` requests whose path contains `path_contains`.

    kind: "status" (answer `status` in the API's own style), "timeout", or "drop" (apply
    the request, then drop the connection). `method` limits it to one HTTP method.
    """

    kind: str
    path_contains: str
    remaining: int = 1
    status: int = 500
    method: str | None = None

    def matches(self, request: HttpRequest) -> bool:
        if self.remaining <= 0 or self.path_contains not in request.path:
            return False
        return self.method is None or self.method.upper() == request.method.upper()


class Emulator(ABC):
    """A stateful in-memory emulation of one system's REST API.

    Subclasses implement `dispatch` (routing, shapes, status codes) and the per-style hooks.
    The public test API (seed, records, edit, faults, requests) is the same for every style.
    """

    def __init__(
        self,
        profile: SystemProfile,
        base_url: str,
        *,
        clock: Clock | None = None,
        token: str | None = None,
        id_seed: int = 0,
    ) -> None:
        self.profile = profile
        self.base_url = base_url.rstrip("/")
        self.clock = clock or Clock()
        self.token = token  # None: any non-empty bearer token is accepted
        self.id_seed = id_seed
        self.requests: list[HttpRequest] = []
        self.faults: list[Fault] = []
        self._store: dict[str, dict[str, Record]] = {}
        self._lock = threading.RLock()
        self._next_id = 0

    # -- identity -------------------------------------------------------------------------

    @property
    def key(self) -> str:
        return self.profile.key

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path.rstrip("/")

    # -- state used by subclasses -----------------------------------------------------------

    def table(self, entity: EntityProfile) -> dict[str, Record]:
        return self._store.setdefault(entity.name, {})

    def next_sequence(self) -> int:
        """A per-emulator counter; with `id_seed` it makes ids deterministic per scenario."""
        with self._lock:
            self._next_id += 1
            return self.id_seed + self._next_id

    def new_key(self, entity: EntityProfile) -> Any:
        """A fresh key in the type the entity's key field has: an integer from the
        sequence, a GUID derived from it (deterministic per `id_seed`), else its text."""
        sequence = self.next_sequence()
        key_type = entity.field_type(entity.id_field)
        if key_type is FieldType.INTEGER:
            return sequence
        if key_type is FieldType.GUID or (key_type is None and self.guid_keys):
            digest = hashlib.sha256(f"{self.key}:{self.id_seed}:{sequence}".encode()).digest()
            return str(uuid.UUID(bytes=digest[:16], version=4))
        return str(sequence)

    guid_keys: ClassVar[bool] = False  # whether a key of unknown type is a GUID

    def entity(self, name: str) -> EntityProfile:
        """The profile of an entity by any of its document names."""
        from talk.systems.registry import resolve_entity

        return resolve_entity(self.profile, name)

    # -- test API -------------------------------------------------------------------------

    def seed(self, entity: str, record: Record, *, key: object = None) -> Record:
        """Store a record as if a user created it; assigns id and timestamps. Returns a copy.
        `key`: the id the record already has (a test's record whose id another record
        matches on) instead of one the emulator assigns."""
        profile = self.entity(entity)
        with self._lock:
            stored = self.new_record(profile, copy.deepcopy(record))
            if key is not None:
                self.keep_key(profile, stored, key)
            self.table(profile)[self.id_of(profile, stored)] = stored
            return copy.deepcopy(stored)

    def entities(self) -> list[str]:
        """The names of the entities that hold records, sorted."""
        with self._lock:
            return sorted(name for name, table in self._store.items() if table)

    def records(self, entity: str) -> list[Record]:
        """Every stored record of an entity, in creation order, as the API holds them."""
        profile = self.entity(entity)
        with self._lock:
            return [copy.deepcopy(r) for r in self.table(profile).values()]

    def record(self, entity: str, record_id: object) -> Record:
        profile = self.entity(entity)
        with self._lock:
            return copy.deepcopy(self.table(profile)[str(record_id)])

    def edit(self, entity: str, record_id: object, changes: Record) -> Record:
        """Change a record as a user would in the system's UI: bumps its modified time."""
        profile = self.entity(entity)
        with self._lock:
            stored = self.table(profile)[str(record_id)]
            self.apply_changes(profile, stored, copy.deepcopy(changes))
            self.touch(profile, stored)
            return copy.deepcopy(stored)

    def delete(self, entity: str, record_id: object) -> None:
        """Delete a record as a user would (whether or not the API offers DELETE)."""
        profile = self.entity(entity)
        with self._lock:
            del self.table(profile)[str(record_id)]

    def fail_next(self, path_contains: str, n: int = 1, status: int = 500,
                  method: str | None = None) -> None:
        """The next `n` requests to a matching path get `status` (429 in the API's style)."""
        self.faults.append(Fault("status", path_contains, n, status, method))

    def timeout_next(self, path_contains: str, n: int = 1, method: str | None = None) -> None:
        self.faults.append(Fault("timeout", path_contains, n, method=method))

    def drop_after_write(self, path_contains: str, n: int = 1, method: str | None = None) -> None:
        """Apply the next `n` matching requests, then drop the connection unanswered."""
        self.faults.append(Fault("drop", path_contains, n, method=method))

    def writes(self) -> list[HttpRequest]:
        return [r for r in self.requests if r.method.upper() in {"POST", "PUT", "PATCH",
                                                                 "DELETE"}]

    # -- the request path -----------------------------------------------------------------

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer one request: log, authenticate, inject faults, then dispatch."""
        with self._lock:
            self.requests.append(request)
            denied = self.authenticate(request)
            if denied is not None:
                return denied
            fault = next((f for f in self.faults if f.matches(request)), None)
            if fault is not None:
                fault.remaining -= 1
                if fault.kind == "timeout":
                    raise EmulatedTimeout(request.url)
                if fault.kind == "status":
                    if fault.status == 429:
                        return self.rate_limited()
                    return self.server_error(fault.status)
            response = self.dispatch(request)
            if fault is not None and fault.kind == "drop":
                raise DroppedAfterWrite(request.url)
            return response

    def authenticate(self, request: HttpRequest) -> HttpResponse | None:
        """None if the request carries an accepted credential, else the API's 401."""
        token = self.credential(request)
        if not token or (self.token is not None and token != self.token):
            return self.unauthorized()
        return None

    def credential(self, request: HttpRequest) -> str | None:
        auth = request.header("Authorization") or ""
        if auth.lower().startswith("bearer "):
            return auth[7:].strip() or None
        return None

    # -- per-style hooks ------------------------------------------------------------------

    @abstractmethod
    def dispatch(self, request: HttpRequest) -> HttpResponse:
        """Route a request to the API's operations."""

    @abstractmethod
    def new_record(self, entity: EntityProfile, record: Record) -> Record:
        """Assign id and created/modified stamps to a record being created."""

    def keep_key(self, entity: EntityProfile, record: Record, key: object) -> None:
        """Give a seeded record the id a test chose (see `seed`)."""
        record[entity.id_field] = key

    @abstractmethod
    def id_of(self, entity: EntityProfile, record: Record) -> str:
        """The store key of a record (its id as text)."""

    @abstractmethod
    def touch(self, entity: EntityProfile, record: Record) -> None:
        """Bump a record's modified stamp, as the API does on every change."""

    # An API whose serializer leaves nulls out (Keap's Gson, WebCRM's Json.NET) stores a
    # field sent as null as absent; the others keep the null.
    null_clears_field: ClassVar[bool] = False

    def read_only_fields(self, entity: EntityProfile) -> tuple[str, ...]:
        """Fields the server assigns: a write that sends them changes nothing there."""
        return ()  # none: the change is applied as sent

    def apply_changes(self, entity: EntityProfile, record: Record, changes: Record) -> None:
        for name in self.read_only_fields(entity):
            changes.pop(name, None)
        for name, value in changes.items():
            if value is None and self.null_clears_field:
                record.pop(name, None)
            else:
                record[name] = value

    @abstractmethod
    def unauthorized(self) -> HttpResponse: ...

    @abstractmethod
    def rate_limited(self) -> HttpResponse: ...

    @abstractmethod
    def server_error(self, status: int) -> HttpResponse: ...

    # -- helpers for subclasses -----------------------------------------------------------

    def relative_path(self, request: HttpRequest) -> str:
        """The request path below the base path, without leading slash."""
        path = request.path
        base = self.base_path
        if base and path.startswith(base):
            path = path[len(base):]
        return path.strip("/")

    def iter_table(self, entity: EntityProfile,
                   keep: Callable[[Record], bool] | None = None) -> Iterator[Record]:
        for record in self.table(entity).values():
            if keep is None or keep(record):
                yield record
