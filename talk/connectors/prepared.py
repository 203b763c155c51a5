"""A request as `requests` prepares it, without redoing per request what never changes.

`Session.request` merges the session's cookies, headers, params, auth and hooks into every
request, parses and re-encodes its URL, and looks at the environment (proxies, netrc, CA
bundle). Against the in-process emulators that was most of a request's cost, more than
the emulator's answer. A session that reads nothing from the environment (`trust_env`
off: the emulated systems) and carries no cookies, auth, params or hooks of its own gets
the same `PreparedRequest` here from remembered parts: the URL with its query as requests
encodes it, and the merged, validated headers. Any other session, and so every real API,
goes through `Session.request`'s own preparation unchanged.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import lru_cache
from typing import Any

import requests
from requests.cookies import RequestsCookieJar
from requests.hooks import default_hooks
from requests.structures import CaseInsensitiveDict

__all__ = ["send"]

_Pairs = tuple[tuple[str, Any], ...]


def _plain(session: requests.Session) -> bool:
    """Whether preparing a request of this session needs nothing but the request itself."""
    hooks = session.hooks
    return (not session.trust_env and session.auth is None and not session.params
            and not session.cookies and not any(hooks.values()))


@lru_cache(maxsize=4096)
def _url(url: str, params: _Pairs | None) -> str:
    """The URL with its query, exactly as requests builds it."""
    prepared = requests.PreparedRequest()
    prepared.prepare_url(url, dict(params) if params is not None else None)
    return str(prepared.url)


@lru_cache(maxsize=256)
def _headers(session: _Pairs, request: _Pairs) -> _Pairs:
    """The session's headers updated by the request's (None removes one), validated."""
    merged: CaseInsensitiveDict[Any] = CaseInsensitiveDict(session)
    merged.update(request)
    prepared = requests.PreparedRequest()
    prepared.prepare_headers({k: v for k, v in merged.items() if v is not None})
    return tuple(prepared.headers.items())


def _frozen(mapping: dict[str, Any] | None) -> _Pairs | None:
    if mapping is None:
        return None
    pairs = tuple(mapping.items())
    return pairs if all(isinstance(value, Hashable) for _, value in pairs) else None


def _prepare(session: requests.Session, method: str, url: str,
             params: dict[str, Any] | None, json: Any,
             headers: dict[str, str]) -> requests.PreparedRequest | None:
    """The prepared request, or None where requests' own preparation is needed."""
    frozen_params = _frozen(params)
    frozen_headers = _frozen(headers)
    if (not _plain(session) or "@" in url or frozen_headers is None
            or (params and frozen_params is None)):
        return None
    session_headers = _frozen(dict(session.headers))
    if session_headers is None:
        return None
    prepared = requests.PreparedRequest()
    prepared.method = method.upper()
    prepared.url = _url(url, frozen_params or None)
    prepared.headers = CaseInsensitiveDict(_headers(session_headers, frozen_headers))
    prepared._cookies = RequestsCookieJar()  # type: ignore[attr-defined]
    prepared.prepare_body(None, None, json)
    prepared.hooks = default_hooks()
    return prepared


def send(session: requests.Session, method: str, url: str, *,
         params: dict[str, Any] | None, json: Any, headers: dict[str, str],
         timeout: tuple[float, float]) -> requests.Response:
    """`session.request(method, url, ..., stream=True)`, with the remembered parts where
    the session allows."""
    prepared = _prepare(session, method, url, params, json, headers)
    if prepared is None:
        return session.request(method, url, params=params, json=json, headers=headers,
                               timeout=timeout, stream=True)
    return session.send(prepared, timeout=timeout, allow_redirects=True, stream=True,
                        proxies=dict(session.proxies), verify=session.verify,
                        cert=session.cert)
