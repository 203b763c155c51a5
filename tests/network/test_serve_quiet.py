"""A client that hangs up mid-request is routine for `talk serve`: no traceback on stderr."""

from __future__ import annotations

import socket
import time

import pytest

from talk.emulator.server import EmulatorServer
from talk.systems.registry import profile_for


def test_a_client_hanging_up_prints_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    with EmulatorServer(port=0) as server:
        server.start()
        server.mount_system(profile_for("Keap"))
        client = socket.create_connection(("127.0.0.1", server.port))
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        client.close()  # linger 0: a reset, as a killed process leaves
        time.sleep(0.5)
    assert "Traceback" not in capsys.readouterr().err
