"""Put emulators behind `responses`, so that real connector code talks to them in-process."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import requests
import responses

from talk.emulator.base import DroppedAfterWrite, EmulatedTimeout, Emulator, HttpRequest

__all__ = ["install", "serving", "to_http_request"]

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def to_http_request(prepared: requests.PreparedRequest) -> HttpRequest:
    body = prepared.body
    if isinstance(body, str):
        body = body.encode()
    return HttpRequest(
        method=str(prepared.method),
        url=str(prepared.url),
        headers={k: str(v) for k, v in prepared.headers.items()},
        body=body,
    )


def _callback(emulator: Emulator, mock: responses.RequestsMock) -> Any:
    def answer(prepared: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        # `responses` keeps every call (request and answer) until the mock is reset; nothing
        # here reads them, so a long emulated sync would only grow: keep the last one
        mock.calls.reset()
        try:
            response = emulator.handle(to_http_request(prepared))
        except EmulatedTimeout as exc:
            raise requests.exceptions.ReadTimeout(f"emulated timeout: {exc}") from None
        except DroppedAfterWrite as exc:
            raise requests.exceptions.ConnectionError(
                f"emulated connection drop after write: {exc}") from None
        headers = {"Content-Type": response.content_type(), **response.headers}
        return response.status, headers, response.body_bytes()

    return answer


class _Unkept(responses.CallList):
    """A call list that keeps nothing (see `_callback`)."""

    def add(self, request: Any, response: Any) -> None:
        """Dropped."""

    def add_call(self, call: Any) -> None:
        """Dropped."""


class _SystemRoute(responses.CallbackResponse):
    """Every method under one emulator's base URL, as one registration: `responses` tries
    each registration against each request, so one per method cost five per system."""

    def __init__(self, pattern: re.Pattern[str], callback: Any) -> None:
        super().__init__("GET", pattern, callback=callback)
        self.pattern = pattern
        self._unkept = _Unkept()

    def matches(self, request: requests.PreparedRequest) -> tuple[bool, str]:
        if request.method in _METHODS and self.pattern.match(str(request.url)):
            return True, ""
        return False, "URL does not match"

    @property
    def calls(self) -> responses.CallList:
        return self._unkept


def install(mock: responses.RequestsMock, emulators: Iterable[Emulator]) -> None:
    """Register every emulator's base URL on `mock`, once for all methods."""
    # An emulator answers whatever comes: a method no test used is not a failure.
    mock.assert_all_requests_are_fired = False
    for emulator in emulators:
        pattern = re.compile(re.escape(emulator.base_url) + r"(/.*)?(\?.*)?$")
        mock.add(_SystemRoute(pattern, _callback(emulator, mock)))


@contextmanager
def serving(*emulators: Emulator) -> Iterator[responses.RequestsMock]:
    """Route `requests` to these emulators for the block (and nothing else: an unknown URL
    fails, as `responses` makes it)."""
    with responses.RequestsMock() as mock:
        install(mock, emulators)
        yield mock
