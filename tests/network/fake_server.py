"""A misbehaving HTTP server for tests: on 127.0.0.1, answering with whatever a test says.

`answer(request)` returns (status, headers, body chunks, seconds between chunks); the server
keeps every request's path and headers so a test can tell what was (not) sent."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

Answer = tuple[int, dict[str, str], list[bytes], float]


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


class FakeServer:
    def __init__(self, answer: Callable[[Seen], Answer]) -> None:
        self.seen: list[Seen] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

            def _serve(self, method: str) -> None:
                seen = Seen(method, self.path, dict(self.headers.items()))
                outer.seen.append(seen)
                status, headers, chunks, pause = answer(seen)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(sum(len(c) for c in chunks)))
                self.end_headers()
                try:
                    for chunk in chunks:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        time.sleep(pause)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()


def json_answer(body: str, status: int = 200, headers: dict[str, str] | None = None,
                pause: float = 0.0, chunk: int = 0) -> Answer:
    data = body.encode()
    chunks = [data[i:i + chunk] for i in range(0, len(data), chunk)] if chunk else [data]
    return status, {"Content-Type": "application/json", **(headers or {})}, chunks, pause


class HeaderDrip:
    """A server that answers every connection with a status line and headers that never
    end: one byte every `pause` seconds, for up to `seconds`."""

    def __init__(self, pause: float = 0.1, seconds: float = 30.0) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.connections = 0
        self._pause, self._seconds = pause, seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._drip, args=(client,), daemon=True).start()

    def _drip(self, client: socket.socket) -> None:
        with client:
            client.recv(65536)  # the request
            data = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"x" * 100_000
            ends = time.monotonic() + self._seconds
            try:
                for byte in data:
                    if self._stop.is_set() or time.monotonic() > ends:
                        return
                    client.sendall(bytes([byte]))
                    time.sleep(self._pause)
            except OSError:
                return  # the client hung up, as it should

    def __enter__(self) -> HeaderDrip:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._stop.set()
        self._listener.close()
