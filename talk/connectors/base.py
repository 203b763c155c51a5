"""What every connector shares: one `requests.Session`, auth, timeouts and bounded retries.

Per-style connectors (Keap, WebCRM, Exact, generic) only say how their API pages, reads
changes, writes, and signals rate limits; the retry loop lives here once.
"""

from __future__ import annotations

import email.utils
import hashlib
import json as jsonlib
import logging
import random
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3

from talk.connectors.deadline import DeadlineAdapter
from talk.connectors.deadline import deadline as answer_by
from talk.connectors.prepared import send
from talk.systems.profile import EntityProfile, SystemProfile
from talk.systems.timestamps import parse_iso_timestamp

__all__ = [
    "AmbiguousWrite",
    "ApiError",
    "AuthError",
    "BadToken",
    "ChangePage",
    "Connector",
    "PageGuard",
    "RateLimited",
    "RetriesExhausted",
    "RetryPolicy",
    "UnsafeRequest",
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


class RateLimited(RetriesExhausted):
    """The API asks for a longer pause than talk may wait: says when to try again."""

    def __init__(self, system: str, method: str, url: str, attempts: int, delay: float,
                 allowed: float) -> None:
        until = (datetime.now(UTC) + timedelta(seconds=delay)).strftime("%Y-%m-%d %H:%M:%S")
        super().__init__(system, method, url, attempts,
                         f"the API asks to wait {delay:g} s (Retry-After), more than the "
                         f"{allowed:g} s allowed; stopped, retry after {until} UTC")


class UnsafeRequest(ApiError):
    """A request talk refuses to send (a link to another host, a paging loop): none sent."""

    def __init__(self, system: str, message: str, method: str = "GET", url: str = "") -> None:
        super().__init__(system, 0, message, method, url)


class BadToken(ValueError):
    """A token that cannot be sent as a header; the message never contains it."""


@dataclass
class RetryPolicy:
    """Exponential backoff with jitter, bounded in attempts and in total time.

    `sleep` and `clock` are injectable so tests never wait in real time.
    """

    max_attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 60.0  # for talk's own backoff; a server's Retry-After may ask more
    max_total: float = 180.0  # one request with all its retries, stalled server included
    timeout: float = 30.0  # one attempt, whole answer (a server dripping bytes included)
    max_retry_after: float = 120.0  # longest Retry-After waited; beyond it: RateLimited
    max_pages: int = 100_000  # pages of one read
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential delay for the given (1-based) failed attempt."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)


class PageGuard:
    """Bounds one paged read: at most `max_pages` pages, and a link or page seen before is
    a loop (a `next` to itself, a server that ignores the offset) that stops the read."""

    def __init__(self, system: str, max_pages: int) -> None:
        self.system = system
        self.max_pages = max_pages
        self.pages = 0
        self._links: set[str] = set()
        self._previous: str | None = None

    def step(self, url: str, params: dict[str, Any] | None, items: list[Any]) -> None:
        """Call once per page read, with what was asked and what came back."""
        self.pages += 1
        if self.pages > self.max_pages:
            raise UnsafeRequest(self.system, f"more than {self.max_pages} pages in one read; "
                                "stopped (raise max_pages if the data is that large)",
                                url=url)
        link = f"{url}?{sorted((params or {}).items())}"
        if link in self._links:
            raise UnsafeRequest(self.system, f"page {self.pages} links to a page already "
                                "read; a paging loop, stopped", url=url)
        self._links.add(link)
        digest = hashlib.sha1(jsonlib.dumps(items, sort_keys=True, default=str).encode(),
                              usedforsecurity=False).hexdigest() if items else None
        if digest is not None and digest == self._previous:
            raise UnsafeRequest(self.system, f"page {self.pages} repeats the page before it "
                                "(the paging parameter is ignored); a loop, stopped", url=url)
        self._previous = digest


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
        _check_token(profile.key, token)
        self._token = token
        self._origin = _origin(self.base_url)
        self.session = session or _session()
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

    def page_guard(self) -> PageGuard:
        """A guard for one paged read (see `PageGuard`)."""
        return PageGuard(self.profile.key, self.retry.max_pages)

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
            pass
        try:  # the other form HTTP allows: a date
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - datetime.now(UTC)).total_seconds())

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
        """Send one request, retrying 429, 5xx, timeouts and dropped connections.

        Bounded in time as a whole: each attempt has `timeout` for the whole answer, and the
        attempts with their pauses `max_total`. Only URLs of the configured host are sent
        (a paging link elsewhere would carry the token there)."""
        policy = self.retry
        if _origin(url) != self._origin:
            host = urlsplit(url).hostname or "?"
            raise UnsafeRequest(self.profile.key, f"a link to another host ({host}) was not "
                                "followed: credentials go only to "
                                f"{urlsplit(self.base_url).hostname}", method)
        started = policy.clock()
        last = ""
        is_write = method.upper() != "GET"
        attempt = 0
        for attempt in range(1, policy.max_attempts + 1):
            self.request_count += 1
            if is_write:
                self.write_count += 1
            delay: float | None = None
            budget = min(policy.timeout, max(policy.max_total - (policy.clock() - started),
                                             0.001))
            try:
                response = self._send(method, url, params, json, headers, budget)
            except (requests.Timeout, requests.ConnectionError, _Overdue) as exc:
                last = ("no complete answer within the deadline" if isinstance(exc, _Overdue)
                        else f"{type(exc).__name__}")
                if method.upper() == "POST":
                    # A create is not idempotent and these APIs take no idempotency key:
                    # the server may have applied it. Never send it twice; the sync's
                    # create intents find its record.
                    raise AmbiguousWrite(self.profile.key, method, url, attempt, last) from None
            else:
                _LOG.debug("%s %s %s -> %d", self.profile.key, method.upper(),
                           url.split("?", 1)[0], response.status_code)
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
            if delay is not None and delay > 0:  # the server's pause, honoured as given
                if delay > policy.max_retry_after:
                    raise RateLimited(self.profile.key, method, url, attempt, delay,
                                      policy.max_retry_after)
                wait = delay
            else:
                wait = min(policy.backoff(attempt), policy.max_delay)
            if policy.clock() - started + wait > policy.max_total:
                if delay is not None and delay > 0:
                    raise RateLimited(self.profile.key, method, url, attempt, delay,
                                      policy.max_total - (policy.clock() - started))
                break
            why = last.split(" ", 1)[0] if last[:3].isdigit() else last
            _LOG.info("%s %s %s: %s, retry in %s s (%d/%d)", self.profile.key, method.upper(),
                      url.split("?", 1)[0], why, f"{round(wait, 1):g}", attempt + 1,
                      policy.max_attempts)
            policy.sleep(wait)
        raise RetriesExhausted(self.profile.key, method, url, attempt, last)

    def _send(self, method: str, url: str, params: dict[str, Any] | None, json: Any,
              headers: dict[str, str] | None, budget: float) -> requests.Response:
        """One attempt that ends within `budget` seconds even if the server drips its
        answer a byte at a time (a read timeout alone restarts with every byte)."""
        deadline = time.monotonic() + budget
        try:
            with answer_by(deadline):  # the status line and headers, dripped or not
                response = send(self.session, method, url, params=params, json=json,
                                headers={**self.auth_headers(), **(headers or {})},
                                timeout=(min(budget, 10.0), budget))
        except requests.ConnectionError:
            if time.monotonic() >= deadline:
                raise _Overdue from None  # the watchdog hung up on a dripping server
            raise
        raw = response.raw
        if raw is None:  # a transport adapter that answered from memory: no socket to drip
            return response
        chunks = []
        read1 = getattr(raw, "read1", None)  # what has arrived, not a full block (urllib3 2)
        try:
            while True:
                chunk = (read1(65536, decode_content=True) if read1 is not None
                         else raw.read(1024, decode_content=True))
                if not chunk:
                    break
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise _Overdue
        except BaseException as exc:
            response.close()  # the connection is in an unknown state: not reused
            if isinstance(exc, urllib3.exceptions.ReadTimeoutError):
                raise requests.Timeout("read timed out") from None
            if isinstance(exc, urllib3.exceptions.HTTPError | OSError):
                raise requests.ConnectionError("the connection broke off") from None
            raise
        response._content = b"".join(chunks)  # read in full: .json() and .text work
        response._content_consumed = True  # type: ignore[attr-defined]
        raw.release_conn()  # the connection goes back to the pool (keep-alive)
        return response


def _session() -> requests.Session:
    """A session whose requests get their headers within their deadline too."""
    session = requests.Session()
    adapter = DeadlineAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class _Overdue(Exception):
    """An answer still arriving when its attempt's time was up."""


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    return (parts.scheme.lower(), (parts.hostname or "").lower(), port)


def _check_token(system: str, token: str | None) -> None:
    """Refuse a token that no HTTP header can carry, without ever showing it."""
    if token is None:
        return
    if any(ord(c) < 32 or ord(c) == 127 for c in token):
        raise BadToken(f"the token for {system} contains a control character (a line "
                       "ending from a file?); remove it and try again")
    if token != token.strip():
        raise BadToken(f"the token for {system} starts or ends with a space; remove it")
    try:
        token.encode("latin-1")
    except UnicodeEncodeError:
        raise BadToken(f"the token for {system} contains characters an HTTP header cannot "
                       "carry") from None
