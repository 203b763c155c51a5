"""Emulators in a child process, reached by the real connectors through a transport adapter.

For the memory benchmark only: the emulated servers keep every record they hold, which is
the servers' memory, not the sync's. With them in another process, the measured process
holds just the engine, the connectors and the link store.
"""

from __future__ import annotations

import http
import multiprocessing
from multiprocessing.connection import Connection
from typing import Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from bench.scenario import quiet, source_record
from talk.dataflow import parse_file
from talk.emulator.base import DroppedAfterWrite, EmulatedTimeout, HttpRequest, HttpResponse
from talk.emulator.mock import to_http_request
from talk.sync.emulated import EmulatedSystems
from talk.sync.flows import bind_flows

__all__ = ["EmulatorProcess", "PipeAdapter"]


def _serve(connection: Connection, document: str, records: int) -> None:
    """The child: seed the source, then answer requests until told to stop."""
    dataflow = parse_file(document)
    flow = bind_flows([dataflow])[0]
    systems = EmulatedSystems([dataflow])
    quiet(systems)
    source = systems.emulators[flow.source.system]
    for number in range(records):
        source.seed(flow.section.source.entity, source_record(number))
    connection.send(("ready", records))
    while True:
        message = connection.recv()
        if message is None:
            return
        key, request = message
        try:
            connection.send(("ok", systems.emulators[key].handle(request)))
        except EmulatedTimeout as exc:
            connection.send(("timeout", str(exc)))
        except DroppedAfterWrite as exc:
            connection.send(("dropped", str(exc)))


class EmulatorProcess:
    """The emulators of one document, seeded with `records` source records, in a child."""

    def __init__(self, document: str, records: int) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, document, records),
                                        daemon=True)
        self._process.start()
        child.close()
        status, _ = self._connection.recv()
        if status != "ready":
            raise RuntimeError(f"the emulator process did not start: {status}")

    def handle(self, key: str, request: HttpRequest) -> HttpResponse:
        self._connection.send((key, request))
        status, answer = self._connection.recv()
        if status == "timeout":
            raise requests.exceptions.ReadTimeout(f"emulated timeout: {answer}")
        if status == "dropped":
            raise requests.exceptions.ConnectionError(f"emulated drop: {answer}")
        response: HttpResponse = answer
        return response

    def close(self) -> None:
        self._connection.send(None)
        self._process.join(timeout=10)


class PipeAdapter(BaseAdapter):
    """A `requests` transport that hands each request to the emulator process."""

    def __init__(self, emulators: EmulatorProcess, key: str) -> None:
        super().__init__()
        self._emulators = emulators
        self._key = key

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: Any = True, cert: Any = None,
             proxies: Any = None) -> requests.Response:
        answer = self._emulators.handle(self._key, to_http_request(request))
        response = requests.Response()
        response.status_code = answer.status
        response.reason = http.HTTPStatus(answer.status).phrase
        response.headers = CaseInsensitiveDict({"Content-Type": answer.content_type(),
                                                **answer.headers})
        response._content = answer.body_bytes()
        response.encoding = "utf-8"
        response.url = str(request.url)
        response.request = request
        return response

    def close(self) -> None:
        """Nothing to release: the process is closed by its owner."""
