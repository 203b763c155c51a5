"""Serve emulators over real HTTP on the loopback interface, each under its own path prefix.

Faults behave as a client sees them on a real network: a timeout fault holds the
connection past `timeout_delay` seconds and then closes it unanswered, a drop fault
applies the write and closes the socket without an answer.

What a hostile client sends is answered as the real APIs answer it, in each API's own error
shape: 400 for a bad Content-Length, JSON nested too deeply or a number of thousands of digits
in a query parameter, 415 for a body that is not JSON. Each emulator's request log is a ring
of the latest requests with bodies cut short, so a long-running `talk serve` stays bounded.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from talk.emulator import emulator_for
from talk.emulator.base import (
    DroppedAfterWrite,
    EmulatedTimeout,
    Emulator,
    HttpRequest,
    HttpResponse,
)
from talk.emulator.exact import exact_error
from talk.emulator.keap import keap_error
from talk.systems.profile import ApiStyle, SystemProfile

__all__ = ["API_PATHS", "LOOPBACK", "EmulatorServer", "RequestRing", "refusal"]

LOOPBACK = "127.0.0.1"
# The path of each API style below its system's prefix, as the real service has it.
API_PATHS: dict[ApiStyle, str] = {
    ApiStyle.KEAP: "/crm/rest/v1",
    ApiStyle.EXACT: "/api/v1/1234",  # division 1234
}
_log = logging.getLogger(__name__)
LOG_REQUESTS = 1000  # requests each emulator keeps in its log (the oldest go first)
LOG_BODY_BYTES = 4096  # of each body kept in the log
MAX_BODY_BYTES = 16 * 1024 * 1024  # a larger body is refused before it is read
BODY_SECONDS = 10.0  # to receive a body once its headers arrived
_HUGE_NUMBER = re.compile(r"[+-]?\d{19,}")  # beyond any 64-bit integer


class RequestRing(list[HttpRequest]):
    """A request log that keeps the latest `size` requests, each body cut to `body_bytes`."""

    def __init__(self, size: int = LOG_REQUESTS, body_bytes: int = LOG_BODY_BYTES) -> None:
        super().__init__()
        self.size = size
        self.body_bytes = body_bytes

    def append(self, request: HttpRequest) -> None:
        if request.body is not None and len(request.body) > self.body_bytes:
            request = dataclasses.replace(request, body=request.body[:self.body_bytes])
        super().append(request)
        if len(self) > self.size:
            del self[:len(self) - self.size]


def refusal(emulator: Emulator, status: int, message: str) -> HttpResponse:
    """A 400/413/415 in the emulated API's own error shape."""
    style = emulator.profile.style
    if style is ApiStyle.KEAP:
        return keap_error(status, message)
    if style is ApiStyle.EXACT:
        return exact_error(status, message)
    if style is ApiStyle.WEBCRM:  # ASP.NET Web API
        return HttpResponse(status, {"Message": message})
    return HttpResponse(status, {"error": message})


def _body_problem(request: HttpRequest) -> tuple[int, str] | None:
    """Why the real API would refuse this request before reading it, if it would."""
    for name, values in request.query.items():
        if any(_HUGE_NUMBER.fullmatch(value.strip()) for value in values):
            return 400, f"The value of query parameter '{name[:40]}' is not a valid number."
    if not request.body:
        return None
    kind = (request.header("Content-Type") or "").split(";")[0].strip().lower()
    if kind and kind != "application/json" and not kind.endswith("+json"):
        return 415, f"The request entity's media type '{kind[:80]}' is not supported."
    try:
        json.loads(request.body)
    except RecursionError:
        return 400, "The request body is nested too deeply."
    except ValueError:
        return None  # malformed JSON: each emulator answers that as its API does
    return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a client's session expects
    server: _HttpServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's algorithm and
        # the client's delayed ACK add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_PUT(self) -> None:
        self._answer()

    def do_PATCH(self) -> None:
        self._answer()

    def do_DELETE(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: object) -> None:
        _log.debug("%s %s", self.address_string(), format % args)  # no headers: no tokens

    def _answer(self) -> None:
        owner = self.server.owner
        emulator = owner.emulator_at(self.path.split("?", 1)[0])
        if emulator is None:
            self.close_connection = True  # its body, if any, is not read
            self._send(404, {"Content-Type": "application/json"},
                       json.dumps({"error": "no emulated system at this path"}).encode())
            return
        body, problem = self._body()
        if problem is not None:
            self.close_connection = True  # the rest of a refused body is not read
            self._reply(refusal(emulator, *problem))
            return
        request = HttpRequest(self.command, f"{owner.url}{self.path}",
                              {k: v for k, v in self.headers.items()}, body)
        problem = _body_problem(request)
        if problem is not None:
            emulator.requests.append(request)
            self._reply(refusal(emulator, *problem))
            return
        try:
            response = emulator.handle(request)
        except EmulatedTimeout:
            owner.stopping.wait(owner.timeout_delay)
            self._hang_up()
            return
        except DroppedAfterWrite:
            self._hang_up()
            return
        except Exception:  # an emulator bug must not kill the server
            _log.exception("emulator %s failed", emulator.key)
            self._reply(emulator.server_error(500))
            return
        self._reply(response)

    def _body(self) -> tuple[bytes | None, tuple[int, str] | None]:
        """The body, or why it is refused: a Content-Length that is not a number of bytes,
        one too large, or a body that does not arrive in full in time."""
        text = self.headers.get("Content-Length")
        if text is None:
            return None, None
        text = text.strip()
        if not text.isdigit() or len(text) > 18:
            return None, (400, "The Content-Length header is not a valid number of bytes.")
        length = int(text)
        if length > MAX_BODY_BYTES:
            return None, (413, f"The request body is larger than {MAX_BODY_BYTES} bytes.")
        if not length:
            return None, None
        self.connection.settimeout(self.server.owner.body_seconds)
        try:
            body = self.rfile.read(length)
        except OSError:
            body = b""
        finally:
            self.connection.settimeout(None)
        if len(body) < length:
            return None, (400, "The request body is shorter than its Content-Length.")
        return body, None

    def _reply(self, response: HttpResponse) -> None:
        payload = response.body_bytes()
        headers = {"Content-Type": response.content_type(), **response.headers}
        self._send(response.status, headers, payload)

    def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in {"content-length", "connection"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload and self.command != "HEAD":
            self.wfile.write(payload)

    def _hang_up(self) -> None:
        """Close the connection without a byte of answer."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: EmulatorServer, address: tuple[str, int]) -> None:
        self.owner = owner
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (a killed sync) is routine: logged, not a traceback."""
        _log.debug("connection from %s ended abruptly", client_address, exc_info=True)


class EmulatorServer:
    """A loopback HTTP server; `mount` emulators whose base URLs start with `url`.

    Bind first (port 0 picks a free port), then build emulators with `url` + their prefix.
    """

    def __init__(self, host: str = LOOPBACK, port: int = 0, *,
                 timeout_delay: float = 60.0, body_seconds: float = BODY_SECONDS) -> None:
        if host != LOOPBACK:
            raise ValueError(f"emulators serve on {LOOPBACK} only, not {host}")
        self.timeout_delay = timeout_delay
        self.body_seconds = body_seconds
        self.stopping = threading.Event()
        self._emulators: list[Emulator] = []
        self._httpd = _HttpServer(self, (host, port))
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def emulators(self) -> list[Emulator]:
        return list(self._emulators)

    def mount(self, emulator: Emulator) -> Emulator:
        if not emulator.base_url.startswith(self.url + "/"):
            raise ValueError(f"{emulator.key}: base URL {emulator.base_url} is not under "
                             f"{self.url}/")
        if any(e.base_path == emulator.base_path for e in self._emulators):
            raise ValueError(f"{emulator.key}: {emulator.base_path} is already served")
        ring = RequestRing()
        ring.extend(emulator.requests[-ring.size:])
        emulator.requests = ring  # a long-running server keeps a bounded log
        self._emulators.append(emulator)
        return emulator

    def mount_system(self, profile: SystemProfile, **options: Any) -> Emulator:
        """Build the system's emulator at `<url>/<key><API path>` and serve it."""
        path = profile.base_path or API_PATHS.get(profile.style, "")
        base_url = f"{self.url}/{profile.key}{path}"
        return self.mount(emulator_for(profile, base_url, **options))

    def emulator_at(self, path: str) -> Emulator | None:
        """The emulator with the longest base path that prefixes `path`."""
        best: Emulator | None = None
        for emulator in self._emulators:
            base = emulator.base_path
            if (path == base or path.startswith(base + "/") or path.startswith(base + "(")) \
                    and (best is None or len(base) > len(best.base_path)):
                best = emulator
        return best

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.1)

    def start(self) -> EmulatorServer:
        """Serve in a daemon thread (for tests); `close` stops it."""
        self._thread = threading.Thread(target=self.serve_forever, name="talk-emulators",
                                        daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self.stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> EmulatorServer:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
