"""Serve emulators over real HTTP on the loopback interface, each under its own path prefix.

Faults behave as a client sees them on a real network: a timeout fault holds the
connection past `timeout_delay` seconds and then closes it unanswered, a drop fault
applies the write and closes the socket without an answer.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from talk.emulator import emulator_for
from talk.emulator.base import DroppedAfterWrite, EmulatedTimeout, Emulator, HttpRequest
from talk.systems.profile import ApiStyle, SystemProfile

__all__ = ["API_PATHS", "LOOPBACK", "EmulatorServer"]

LOOPBACK = "127.0.0.1"
# The path of each API style below its system's prefix, as the real service has it.
API_PATHS: dict[ApiStyle, str] = {
    ApiStyle.KEAP: "/crm/rest/v1",
    ApiStyle.EXACT: "/api/v1/1234",  # division 1234
}
_log = logging.getLogger(__name__)


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
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        owner = self.server.owner
        emulator = owner.emulator_at(self.path.split("?", 1)[0])
        if emulator is None:
            self._send(404, {"Content-Type": "application/json"},
                       json.dumps({"error": f"no emulated system at {self.path}"}).encode())
            return
        request = HttpRequest(self.command, f"{owner.url}{self.path}",
                              {k: v for k, v in self.headers.items()}, body)
        try:
            response = emulator.handle(request)
        except EmulatedTimeout:
            owner.stopping.wait(owner.timeout_delay)
            self._hang_up()
            return
        except DroppedAfterWrite:
            self._hang_up()
            return
        except Exception as exc:  # an emulator bug must not kill the server
            _log.exception("emulator %s failed", emulator.key)
            self._send(500, {"Content-Type": "application/json"},
                       json.dumps({"error": f"emulator error: {exc}"}).encode())
            return
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


class EmulatorServer:
    """A loopback HTTP server; `mount` emulators whose base URLs start with `url`.

    Bind first (port 0 picks a free port), then build emulators with `url` + their prefix.
    """

    def __init__(self, host: str = LOOPBACK, port: int = 0, *,
                 timeout_delay: float = 60.0) -> None:
        if host != LOOPBACK:
            raise ValueError(f"emulators serve on {LOOPBACK} only, not {host}")
        self.timeout_delay = timeout_delay
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
