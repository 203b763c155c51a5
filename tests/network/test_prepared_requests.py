"""A request prepared from remembered parts is the request `requests` itself prepares, and
only sessions that read nothing from the environment take that way."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
import responses

from talk.connectors import prepared

URL = "https://crm.emulated/api/v1/contacts"


def _session(trust_env: bool = False) -> requests.Session:
    session = requests.Session()
    session.trust_env = trust_env
    return session


def _as_sent(session: requests.Session, method: str, url: str, **kwargs: Any
             ) -> tuple[str, str, dict[str, str], bytes | None]:
    with responses.RequestsMock() as mock:
        mock.add_callback(method.upper(), re.compile(".*"),
                          callback=lambda request: (200, {}, b"{}"))
        prepared.send(session, method, url, params=kwargs.get("params"),
                      json=kwargs.get("json"), headers=kwargs.get("headers", {}),
                      timeout=(1.0, 1.0))
        sent = mock.calls[0].request
    body = sent.body.encode() if isinstance(sent.body, str) else sent.body
    return str(sent.method), str(sent.url), dict(sent.headers), body


def _by_requests(session: requests.Session, method: str, url: str, **kwargs: Any
                 ) -> tuple[str, str, dict[str, str], bytes | None]:
    request = requests.Request(method.upper(), url, params=kwargs.get("params") or {},
                               json=kwargs.get("json"), headers=kwargs.get("headers", {}),
                               data={})
    made = session.prepare_request(request)
    body = made.body.encode() if isinstance(made.body, str) else made.body
    return str(made.method), str(made.url), dict(made.headers), body


CASES = [
    ("get", URL, {"params": {"page": 2, "limit": 50, "q": "a b&c", "since": None}}),
    ("GET", URL + "?order=id", {"params": {"page": 1}}),
    ("POST", URL, {"json": {"name": "Ann", "tags": ["x"], "n": 1.5},
                   "headers": {"Authorization": "Bearer t"}}),
    ("PUT", URL + "/7", {"json": {"name": "Bø"}, "headers": {"Accept": "text/plain"}}),
    ("PATCH", URL + "/7", {"headers": {"User-Agent": None}}),
    ("DELETE", URL + "/7", {}),
    ("GET", "https://crm.emulated/odata/Accounts(guid'1')", {"params": {"$top": 10}}),
]


@pytest.mark.parametrize(("method", "url", "kwargs"), CASES)
def test_the_same_request_as_requests_prepares(method: str, url: str,
                                                kwargs: dict[str, Any]) -> None:
    session = _session()
    session.headers["X-Session"] = "kept"
    assert _as_sent(session, method, url, **kwargs) == _by_requests(session, method, url,
                                                                    **kwargs)
    # asked twice, from the remembered parts
    assert _as_sent(session, method, url, **kwargs) == _by_requests(session, method, url,
                                                                    **kwargs)


@pytest.fixture
def prepared_by_requests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URLs of the requests `Session.prepare_request` prepared."""
    calls: list[str] = []
    original = requests.Session.prepare_request

    def counted(self: requests.Session, request: requests.Request) -> Any:
        calls.append(str(request.url))
        return original(self, request)

    monkeypatch.setattr(requests.Session, "prepare_request", counted)
    return calls


def test_in_process_sessions_skip_requests_preparation(prepared_by_requests: list[str]
                                                       ) -> None:
    calls = prepared_by_requests
    for _ in range(3):
        _as_sent(_session(), "GET", URL, params={"page": 1})
    assert calls == []


@pytest.mark.parametrize("change", ["environment", "cookie", "auth", "params", "hook",
                                    "list parameter"])
def test_other_sessions_keep_requests_preparation(change: str,
                                                  prepared_by_requests: list[str]) -> None:
    """Proxies and netrc from the environment, cookies, session auth and the like are
    requests' to merge: those sessions are prepared by requests, as for a real API."""
    calls = prepared_by_requests
    session = _session(trust_env=change == "environment")
    params: dict[str, Any] = {"page": 1}
    if change == "cookie":
        session.cookies.set("sid", "1")
    elif change == "auth":
        session.auth = ("user", "secret")
    elif change == "params":
        session.params = {"company": "1"}
    elif change == "hook":
        session.hooks["response"].append(lambda response, **kwargs: response)
    elif change == "list parameter":
        params = {"id": ["1", "2"]}
    sent = _as_sent(session, "GET", URL, params=params)
    assert calls == [URL]
    assert sent == _by_requests(session, "GET", URL, params=params)
