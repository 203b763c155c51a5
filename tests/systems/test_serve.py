"""`talk serve`: the emulators over real HTTP on 127.0.0.1, and the connectors against them."""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from talk.connectors import connector_for
from talk.connectors.base import AuthError, Connector, RetriesExhausted, RetryPolicy
from talk.emulator.base import Emulator
from talk.emulator.server import EmulatorServer
from talk.systems.registry import known_profiles, profile_for, resolve_entity

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class RoundTrip:
    system: str
    entity: str
    create: dict[str, Any]
    change: dict[str, Any]
    mine: bool  # written with this module: exact equality of changed-since is asserted


ROUND_TRIPS = [
    RoundTrip("exact", "Accounts", {"Name": "Acme"}, {"City": "Oslo"}, True),
    RoundTrip("customerp", "Contact", {"name": "Ada"}, {"city": "Oslo"}, True),
    RoundTrip("keap", "Contacts", {"given_name": "Ada", "email_addresses": [
        {"email": "ada@example.com", "field": "EMAIL1"}]}, {"given_name": "Ida"}, False),
    RoundTrip("webcrm", "Organisations", {"OrganisationName": "Acme"},
              {"OrganisationCity": "Oslo"}, False),
]


def _has_modules(system: str) -> bool:
    return all(importlib.util.find_spec(f"talk.{package}.{system}") is not None
               for package in ("systems", "emulator", "connectors"))


def _policy(sleeps: list[float] | None = None, timeout: float = 5.0) -> RetryPolicy:
    return RetryPolicy(timeout=timeout, sleep=(sleeps if sleeps is not None else []).append,
                       clock=lambda: 0.0)


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, timeout_delay=1.0) as running:
        running.start()
        yield running


def _connect(server: EmulatorServer, system: str, token: str | None = "any-token",
             **options: Any) -> tuple[Emulator, Connector]:
    profile = profile_for(system)
    emulator = server.emulator_at(f"/{profile.key}") or server.mount_system(profile)
    connector = connector_for(profile, emulator.base_url, token, **options)
    return emulator, connector


@pytest.mark.parametrize("trip", ROUND_TRIPS, ids=[t.system for t in ROUND_TRIPS])
def test_round_trip_over_real_http(server: EmulatorServer, trip: RoundTrip) -> None:
    if trip.system in {"keap", "webcrm"} and not _has_modules(trip.system):
        pytest.skip(f"the {trip.system} profile/emulator/connector modules are not there yet")
    emulator, connector = _connect(server, trip.system, retry=_policy())
    entity = resolve_entity(connector.profile, trip.entity)
    first = connector.create(entity, dict(trip.create))
    second = connector.create(entity, dict(trip.create))
    first_id = connector.record_id(entity, first)
    assert connector.get(entity, first_id) == first
    listed = list(connector.list_all(entity))
    assert {connector.record_id(entity, r) for r in listed} == {
        first_id, connector.record_id(entity, second)}
    page = connector.read_changes(entity, None)
    assert len(list(page.records)) == 2
    cursor = page.next_cursor()
    connector.update(entity, first_id, dict(trip.change))
    updated = connector.get(entity, first_id)
    assert updated is not None
    assert all(updated[k] == v for k, v in trip.change.items())
    changed = [connector.record_id(entity, r)
               for r in connector.read_changes(entity, cursor).records]
    assert first_id in changed
    if trip.mine:
        assert changed == [first_id]
    assert emulator.record(entity.name, first_id) == updated


def test_unknown_prefix_is_a_404(server: EmulatorServer) -> None:
    answer = requests.get(f"{server.url}/nothing/here", timeout=5)
    assert answer.status_code == 404 and "no emulated system" in answer.json()["error"]


def test_token_is_enforced_when_given() -> None:
    with EmulatorServer(port=0) as running:
        running.start()
        for system in ("exact", "customcrm"):
            emulator = running.mount_system(profile_for(system), token="s3cret")
            entity_name = "Accounts" if system == "exact" else "Customer"
            for token in ("wrong", None):
                connector = connector_for(emulator.profile, emulator.base_url, token,
                                          retry=_policy())
                with pytest.raises(AuthError) as raised:
                    list(connector.list_all(resolve_entity(emulator.profile, entity_name)))
                assert raised.value.status == 401
            right = connector_for(emulator.profile, emulator.base_url, "s3cret", retry=_policy())
            assert list(right.list_all(resolve_entity(emulator.profile, entity_name))) == []


def test_timeout_fault_holds_the_connection_and_is_retried(server: EmulatorServer) -> None:
    sleeps: list[float] = []
    emulator, connector = _connect(server, "exact", retry=_policy(sleeps, timeout=0.3))
    emulator.seed("Accounts", {"Name": "A"})
    emulator.timeout_next("crm/Accounts", n=1)
    entity = resolve_entity(connector.profile, "Accounts")
    assert [r["Name"] for r in connector.list_all(entity)] == ["A"]
    assert len(sleeps) == 1 and len(emulator.requests) == 2


def test_drop_fault_applies_the_write_and_closes_the_socket(server: EmulatorServer) -> None:
    emulator, connector = _connect(server, "customerp", retry=_policy())
    emulator.drop_after_write("contact", method="POST")
    entity = resolve_entity(connector.profile, "Contact")
    with pytest.raises(RetriesExhausted) as raised:
        connector.create(entity, {"name": "lost answer"})
    assert "ConnectionError" in raised.value.last
    assert [r["name"] for r in emulator.records("Contact")] == ["lost answer"]


def test_only_loopback() -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        EmulatorServer("0.0.0.0", 0)


def test_talk_serve_prints_one_line_per_system_and_serves() -> None:
    expected = sorted(p.key for p in known_profiles())
    for key in ("exact", "businesscentral", "superoffice", "tripletex", "customerp"):
        if key not in expected:
            expected.append(key)
    process = subprocess.Popen(
        [sys.executable, "-m", "talk.cli", "serve", "--port", "0", "--dataflows", str(DATA),
         "--system", "Custom ERP"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(30, process.kill)
    watchdog.start()
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in expected]
        urls = dict(line.split(" ", 1) for line in lines)
        assert list(urls) == expected
        port = urls["exact"].split(":")[2].split("/")[0]
        assert urls["exact"] == f"http://127.0.0.1:{port}/exact/api/v1/1234"
        assert urls["customerp"] == f"http://127.0.0.1:{port}/customerp"
        auth = {"Authorization": "Bearer whatever"}
        assert requests.get(f"{urls['customerp']}/contact", headers=auth, timeout=5).json() == {
            "items": [], "next": None}
        exact = requests.get(f"{urls['exact']}/crm/Accounts", headers=auth, timeout=5)
        assert exact.json() == {"d": {"results": []}}
        assert requests.get(f"{urls['exact']}/crm/Accounts", timeout=5).status_code == 401
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_talk_serve_refuses_an_empty_token() -> None:
    from talk.cli import main

    assert main(["serve", "--port", "0", "--token", " "]) == 2
