"""`talk serve` stays bounded and answers hostile input as the real APIs do: a ring of
requests with bodies cut short; 400 (in each API's own error shape) for a bad
Content-Length, JSON nested too deeply, huge numbers in paging parameters; 415 for a body
that is not JSON."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from talk.emulator.base import Emulator, HttpRequest
from talk.emulator.server import LOG_BODY_BYTES, EmulatorServer, RequestRing
from talk.systems.registry import profile_for, resolve_entity

# system, entity, paging parameter, how the API words an error in its body
STYLES = [
    ("Keap", "Companies", "limit", lambda body: body["message"]),
    ("WebCRM", "Organisations", "Size", lambda body: body["Message"]),
    ("Exact Online", "Accounts", "$top", lambda body: body["error"]["message"]["value"]),
    ("Fakecrm", "Item", "limit", lambda body: body["error"]),
]
AUTH = {"Authorization": "Bearer t"}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, body_seconds=0.5) as running:
        running.start()
        for system, *_ in STYLES:
            running.mount_system(profile_for(system))
        yield running


def _url(server: EmulatorServer, system: str, entity: str) -> tuple[Emulator, str]:
    profile = profile_for(system)
    emulator = next(e for e in server.emulators if e.key == profile.key)
    return emulator, f"{emulator.base_url}/{resolve_entity(profile, entity).resource}"


def _raw(url: str, method: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, Any]:
    """Send exactly these headers (requests would fix a bad Content-Length)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=20)
    try:
        connection.putrequest(method, parts.path, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(body or None)
        answer = connection.getresponse()
        return answer.status, json.loads(answer.read() or b"null")
    finally:
        connection.close()


@pytest.mark.parametrize(("system", "entity", "page", "words"), STYLES,
                         ids=[s[0] for s in STYLES])
def test_hostile_input_gets_the_apis_own_400_and_415(server: EmulatorServer, system: str,
                                                     entity: str, page: str,
                                                     words: Any) -> None:
    _, url = _url(server, system, entity)
    nested = requests.post(url, data=b"[" * 100_000 + b"]" * 100_000, headers={
        **AUTH, "Content-Type": "application/json"}, timeout=20)
    assert nested.status_code == 400 and "nested too deeply" in words(nested.json())

    huge = requests.get(url, params={page: "9" * 5000}, headers=AUTH, timeout=20)
    assert huge.status_code == 400 and page in words(huge.json())

    status, body = _raw(url, "POST", {**AUTH, "Content-Type": "application/json",
                                      "Content-Length": "12abc"}, b'{"a": 1}')
    assert status == 400 and "Content-Length" in words(body)

    status, body = _raw(url, "POST", {**AUTH, "Content-Type": "application/json",
                                      "Content-Length": "100"}, b'{"a": 1}')
    assert status == 400 and "shorter" in words(body)

    text = requests.post(url, data=b"name=Acme", headers={
        **AUTH, "Content-Type": "application/x-www-form-urlencoded"}, timeout=20)
    assert text.status_code == 415 and "media type" in words(text.json())
    assert requests.get(url, headers=AUTH, timeout=20).status_code == 200  # still serving


def test_the_request_log_is_a_ring_of_short_bodies(server: EmulatorServer) -> None:
    emulator, url = _url(server, "Keap", "Companies")
    big = json.dumps({"company_name": "x" * 1_000_000}).encode()
    for _ in range(30):  # unauthenticated, as an attacker would send them
        requests.post(url, data=big, headers={"Content-Type": "application/json"},
                      timeout=20)
    assert emulator.requests and max(len(r.body or b"") for r in emulator.requests) <= (
        LOG_BODY_BYTES)

    ring = RequestRing(size=3, body_bytes=5)
    for n in range(10):
        ring.append(HttpRequest("POST", f"http://h/{n}", {}, b"0123456789"))
    assert [r.url for r in ring] == ["http://h/7", "http://h/8", "http://h/9"]
    assert {r.body for r in ring} == {b"01234"}
