"""What every connector shares: one `requests.Session`, auth, timeouts and bounded retries.

Per-style connectors (Keap, WebCRM, Exact, generic) only say how their API pages, reads
changes, writes, and signals rate limits; the retry loop lives here once.
"""

from __future__ import annotations

import logging
import random
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests

from talk.systems.profile import EntityProfile, SystemProfile
from talk.systems.timestamps import parse_iso_timestamp

__all__ = [
    "AmbiguousWrite",
    "ApiError",
    "AuthError",
    "ChangePage",
    "Connector",
    "RetriesExhausted",
    "RetryPolicy",
]

_LOG = logging.getLogger(__name__)  # `talk -v` shows retries, `-vv` every request

Record = dict[str, Any]


class ApiError(Exception):
    """A 4xx answer other than 429: carries the system's own message."""

    def __init__(self, system: str, status: int, message: str, method: str = "",
                 url: str = "") -> None:
        self.system = system
        self.status = status
        self.message = message
        self.method = method
        self.url = url
        super().__init__(f"{system}: {method} {url} answered {status}: {message}".replace(
            "  ", " "))


class AuthError(ApiError):
    """401/403: the credential is missing, wrong or expired."""


class RetriesExhausted(Exception):
    """429/5xx/timeouts went on past the retry policy's bounds."""

    def __init__(self, system: str, method: str, url: str, attempts: int, last: str) -> None:
        self.system = system
        self.attempts = attempts
        self.last = last
        super().__init__(f"{system}: {method} {url} failed after {attempts} attempts: {last}")


class AmbiguousWrite(RetriesExhausted):
    """A create whose answer never came: it may or may not have been applied."""


@dataclass
class RetryPolicy:
    """Exponential backoff with jitter, bounded in attempts and in total time.

    `sleep` and `clock` are injectable so tests never wait in real time.
    """

    max_attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 60.0
    max_total: float = 300.0
    timeout: float = 30.0  # per request (connect and read)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential delay for the given (1-based) failed attempt."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)


@dataclass
class ChangePage:
    """Records changed since a cursor, and the cursor to store once they are committed."""

    records: Iterator[Record]
    next_cursor: Callable[[], str | None]


class Connector(ABC):
    """A client of one system's REST API, used by the sync engine and the harness."""

    def __init__(
        self,
        profile: SystemProfile,
        base_url: str,
        token: str | None,
        *,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.profile = profile
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.session = session or requests.Session()
        self.retry = retry or RetryPolicy()
        self.request_count = 0
        self.write_count = 0

    def __repr__(self) -> str:  # never shows the token
        return f"<{type(self).__name__} {self.profile.key} {self.base_url}>"

    # -- the operations the engine uses ----------------------------------------------------

    @abstractmethod
    def list_all(self, entity: EntityProfile) -> Iterator[Record]:
        """Every record of an entity, page by page (streamed, not held in memory)."""

    @abstractmethod
    def read_changes(self, entity: EntityProfile, cursor: str | None) -> ChangePage:
        """Records changed since `cursor` (all records when it is None)."""

    @abstractmethod
    def get(self, entity: EntityProfile, record_id: str) -> Record | None:
        """One record, or None if it does not exist (any more)."""

    @abstractmethod
    def create(self, entity: EntityProfile, payload: Record) -> Record:
        """Create a record; returns it as the API holds it, id included."""

    @abstractmethod
    def update(self, entity: EntityProfile, record_id: str, payload: Record) -> None:
        """Write the given fields of an existing record."""

    def record_id(self, entity: EntityProfile, record: Record) -> str:
        return str(record[entity.id_field])

    def modified_at(self, entity: EntityProfile, record: Record) -> datetime | None:
        """The record's own modified timestamp (timezone-aware), if the API has one."""
        if entity.modified_field is None:
            return None
        return self.parse_timestamp(record.get(entity.modified_field))

    def parse_timestamp(self, value: object) -> datetime | None:
        """A timestamp as the API writes it: ISO 8601 unless a connector says otherwise."""
        return parse_iso_timestamp(value)

    # -- HTTP with retries ------------------------------------------------------------------

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    def retry_delay(self, response: requests.Response) -> float | None:
        """The delay the API asks for before retrying (Retry-After, rate-limit headers)."""
        value = response.headers.get("Retry-After")
        if value is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            return None

    def error_message(self, response: requests.Response) -> str:
        """The API's own error message from an error body."""
        try:
            body = response.json()
        except ValueError:
            return response.text.strip()[:500] or response.reason or ""
        if isinstance(body, dict):
            for key in ("message", "Message", "error_description", "ErrorDescription"):
                if isinstance(body.get(key), str):
                    return str(body[key])
        return str(body)[:500]

    def request(self, method: str, url: str, *, params: dict[str, Any] | None = None,
                json: Any = None, headers: dict[str, str] | None = None) -> requests.Response:
        """Send one request, retrying 429, 5xx, timeouts and dropped connections."""
        policy = self.retry
        started = policy.clock()
        last = ""
        is_write = method.upper() != "GET"
        for attempt in range(1, policy.max_attempts + 1):
            self.request_count += 1
            if is_write:
                self.write_count += 1
            delay: float | None = None
            try:
                response = self.session.request(
                    method, url, params=params, json=json,
                    headers={**self.auth_headers(), **(headers or {})},
                    timeout=policy.timeout,
                )
            except (requests.Timeout, requests.ConnectionError) as exc:
                last = f"{type(exc).__name__}: {exc}"
                if method.upper() == "POST":
                    # A create is not idempotent and these APIs take no idempotency key:
                    # the server may have applied it. Never send it twice; the sync's
                    # create intents resolve it on the next run (decision 13).
                    raise AmbiguousWrite(self.profile.key, method, url, attempt, last) from exc
            else:
                _LOG.debug("%s %s %s -> %d", self.profile.key, method.upper(), url,
                           response.status_code)
                if response.status_code < 400:
                    return response
                if response.status_code == 429 or response.status_code >= 500:
                    last = f"{response.status_code} {self.error_message(response)}"
                    delay = self.retry_delay(response)
                elif response.status_code in (401, 403):
                    message = self.error_message(response) or "unauthorized"
                    if not self._token:
                        message += (f" (no token configured: set TALK_"
                                    f"{self.profile.key.upper()}_TOKEN)")
                    raise AuthError(self.profile.key, response.status_code, message,
                                    method, url)
                else:
                    raise ApiError(self.profile.key, response.status_code,
                                   self.error_message(response), method, url)
            if attempt == policy.max_attempts:
                break
            wait = policy.backoff(attempt) if delay is None else max(delay, 0.0)
            wait = min(wait, policy.max_delay)
            if policy.clock() - started + wait > policy.max_total:
                break
            _LOG.info("%s %s %s: %s, retry in %s s (%d/%d)", self.profile.key, method.upper(),
                      url, last.split(" ", 1)[0].rstrip(":"), f"{round(wait, 1):g}", attempt + 1,
                      policy.max_attempts)
            policy.sleep(wait)
        raise RetriesExhausted(self.profile.key, method, url, attempt, last)
