"""A deadline for what a read timeout cannot bound: an answer's status line and headers.

A read timeout restarts with every byte, so a server that drips its headers a byte at a time
would hold a request for ever. One watchdog thread shuts down the socket of a request whose
deadline has passed; the blocked read then ends and the request fails like a dropped
connection. The body is bounded where it is read (`Connector._send`).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import requests
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.response import BaseHTTPResponse

__all__ = ["DeadlineAdapter", "deadline"]

_local = threading.local()


class _Watchdog:
    """Shuts down sockets whose deadline passed; cheap to arm: no thread per request."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._heap: list[tuple[float, int]] = []
        self._armed: dict[int, socket.socket] = {}
        self._numbers = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, at: float, sock: socket.socket) -> int:
        with self._lock:
            number = next(self._numbers)
            self._armed[number] = sock
            earliest = self._heap[0][0] if self._heap else None
            heapq.heappush(self._heap, (at, number))
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="talk-deadlines",
                                                daemon=True)
                self._thread.start()
            elif earliest is None or at < earliest:
                self._lock.notify()  # only an earlier deadline changes what the thread waits for
            return number

    def disarm(self, number: int) -> None:
        with self._lock:
            self._armed.pop(number, None)

    def _watch(self) -> None:
        with self._lock:
            while True:
                while self._heap and self._heap[0][1] not in self._armed:
                    heapq.heappop(self._heap)  # answered in time
                if not self._heap:
                    self._lock.wait()
                    continue
                at, number = self._heap[0]
                now = time.monotonic()
                if at > now:
                    self._lock.wait(at - now)
                    continue
                heapq.heappop(self._heap)
                sock = self._armed.pop(number)
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


_WATCHDOG = _Watchdog()


@contextlib.contextmanager
def deadline(at: float) -> Iterator[None]:
    """Requests this thread sends inside get their headers by `at` (time.monotonic)."""
    _local.at = at
    try:
        yield
    finally:
        _local.at = None


def _guarded_response(connection: HTTPConnection, read: Any) -> BaseHTTPResponse:
    at: float | None = getattr(_local, "at", None)
    sock = connection.sock
    if at is None or sock is None:
        response: BaseHTTPResponse = read()
        return response
    number = _WATCHDOG.arm(at, sock)
    try:
        response = read()
        return response
    finally:
        _WATCHDOG.disarm(number)


class _HTTPConnection(HTTPConnection):
    def getresponse(self) -> Any:
        return _guarded_response(self, super().getresponse)


class _HTTPSConnection(HTTPSConnection):
    def getresponse(self) -> Any:
        return _guarded_response(self, super().getresponse)


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class DeadlineAdapter(requests.adapters.HTTPAdapter):
    """The standard adapter, with connections whose headers must arrive by the deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
