"""The generic JSON REST API (custom and unknown systems) and its connector, via `responses`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import requests

from talk.connectors import connector_for
from talk.connectors.base import ApiError, AuthError, RetriesExhausted, RetryPolicy
from talk.connectors.generic import GenericConnector
from talk.emulator import emulator_for
from talk.emulator.generic import GenericEmulator
from talk.emulator.mock import serving
from talk.systems.profile import ApiStyle, ChangeRead
from talk.systems.registry import profile_for, resolve_entity

BASE = "https://customerp.emulated"
PROFILE = profile_for("CustomERP")
CONTACT = resolve_entity(PROFILE, "Contact")
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@dataclass
class Setup:
    emulator: GenericEmulator
    connector: GenericConnector
    sleeps: list[float]


def make_setup(token: str | None = "token", emulator_token: str | None = None,
               base: str = BASE, system: str = "CustomERP") -> Iterator[Setup]:
    profile = profile_for(system)
    emulator = emulator_for(profile, base, token=emulator_token)
    assert isinstance(emulator, GenericEmulator)
    sleeps: list[float] = []
    policy = RetryPolicy(sleep=sleeps.append, clock=lambda: 0.0)
    connector = connector_for(profile, base, token, retry=policy)
    assert isinstance(connector, GenericConnector)
    with serving(emulator):
        yield Setup(emulator, connector, sleeps)


@pytest.fixture
def erp() -> Iterator[Setup]:
    yield from make_setup()


def seed(emulator: GenericEmulator, n: int, entity: str = "Contact") -> list[dict[str, object]]:
    return [emulator.seed(entity, {"name": f"Contact {i}", "age": i}) for i in range(n)]


def raw(method: str, path: str, token: str | None = "token", **kwargs: object) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, f"{BASE}/{path}", headers=headers, timeout=5,
                            **kwargs)  # type: ignore[arg-type]


def test_unknown_systems_get_the_generic_profile() -> None:
    assert PROFILE.generic and PROFILE.style is ApiStyle.GENERIC and PROFILE.key == "customerp"
    assert (CONTACT.resource, CONTACT.id_field, CONTACT.modified_field) == (
        "contact", "id", "updated_at")
    assert CONTACT.change_read is ChangeRead.UPDATED_SINCE
    odd = resolve_entity(profile_for("HubSpot"), "Sales Orders (open ones)")
    assert odd.resource == "sales-orders"


def test_one_page(erp: Setup) -> None:
    seeded = seed(erp.emulator, 3)
    assert list(erp.connector.list_all(CONTACT)) == seeded
    assert len(erp.emulator.requests) == 1


def test_many_pages(erp: Setup) -> None:
    seeded = seed(erp.emulator, 250)
    assert list(erp.connector.list_all(CONTACT)) == seeded
    urls = [r.url for r in erp.emulator.requests]
    assert len(urls) == 3 and "offset=100" in urls[1] and "offset=200" in urls[2]


def test_empty_collection(erp: Setup) -> None:
    assert list(erp.connector.list_all(CONTACT)) == []
    assert raw("GET", "contact").json() == {"items": [], "next": None}


def test_list_shape_and_limit(erp: Setup) -> None:
    seeded = seed(erp.emulator, 5)
    body = raw("GET", "contact", params={"limit": "2"}).json()
    assert body["items"] == seeded[:2]
    assert body["next"] == f"{BASE}/contact?limit=2&offset=2"
    last = requests.get(f"{BASE}/contact?limit=2&offset=4", headers={"Authorization": "Bearer t"},
                        timeout=5).json()
    assert last == {"items": seeded[4:], "next": None}


@pytest.mark.parametrize("query", ["limit=0", "limit=abc", "offset=-1",
                                   "updated_since=yesterday"])
def test_bad_list_parameters_are_400(erp: Setup, query: str) -> None:
    answer = raw("GET", f"contact?{query}")
    assert answer.status_code == 400 and answer.json()["error"]


def test_records_carry_id_and_updated_at(erp: Setup) -> None:
    [record] = seed(erp.emulator, 1)
    assert record["id"] == "contact-1"
    assert isinstance(record["updated_at"], str) and STAMP.match(record["updated_at"])


def test_document_names_and_resources_are_one_table(erp: Setup) -> None:
    erp.emulator.seed("Customers (human data)", {"name": "A"})
    body = raw("GET", "customers").json()
    assert [r["name"] for r in body["items"]] == ["A"]
    assert erp.emulator.records("customers") == body["items"]


def test_changed_since_is_exclusive_and_exact(erp: Setup) -> None:
    seeded = seed(erp.emulator, 4)
    page = erp.connector.read_changes(CONTACT, None)
    assert list(page.records) == seeded
    cursor = page.next_cursor()
    assert cursor == seeded[-1]["updated_at"]
    erp.emulator.edit("Contact", seeded[0]["id"], {"name": "edited"})
    page = erp.connector.read_changes(CONTACT, cursor)
    assert [r["name"] for r in page.records] == ["edited"]
    assert "updated_since=" in erp.emulator.requests[-1].url
    newer = page.next_cursor()
    assert newer is not None and cursor is not None and newer > cursor
    quiet = erp.connector.read_changes(CONTACT, newer)
    assert list(quiet.records) == [] and quiet.next_cursor() == newer


def test_changed_since_keeps_the_filter_across_pages(erp: Setup) -> None:
    seeded = seed(erp.emulator, 150)
    for record in seeded[:120]:
        erp.emulator.edit("Contact", record["id"], {"age": -1})
    page = erp.connector.read_changes(CONTACT, str(seeded[-1]["updated_at"]))
    assert [r["id"] for r in page.records] == [r["id"] for r in seeded[:120]]
    assert "updated_since=" in erp.emulator.requests[-1].url


def test_create_then_read(erp: Setup) -> None:
    created = erp.connector.create(CONTACT, {"name": "Ada", "tags": ["a"], "id": "mine"})
    assert created["id"] == "contact-1" and created["name"] == "Ada"
    assert erp.connector.get(CONTACT, created["id"]) == created
    assert erp.emulator.record("Contact", created["id"]) == created
    answer = raw("POST", "contact", json={})
    assert answer.status_code == 201 and answer.json()["id"] == "contact-2"


def test_update_merges_and_bumps_updated_at(erp: Setup) -> None:
    [record] = seed(erp.emulator, 1)
    erp.connector.update(CONTACT, str(record["id"]), {"age": 41})
    stored = erp.emulator.record("Contact", record["id"])
    assert stored["age"] == 41 and stored["name"] == "Contact 0"
    assert stored["updated_at"] > record["updated_at"]
    answer = raw("PUT", f"contact/{record['id']}", json={"city": "Oslo"})
    assert answer.status_code == 200 and answer.json()["city"] == "Oslo"


def test_unknown_ids_and_methods(erp: Setup) -> None:
    assert erp.connector.get(CONTACT, "contact-404") is None
    answer = raw("PUT", "contact/contact-404", json={"a": 1})
    assert answer.status_code == 404 and "contact-404" in answer.json()["error"]
    assert raw("DELETE", "contact/contact-1").status_code == 405


def test_a_400_surfaces_the_apis_message(erp: Setup) -> None:
    with pytest.raises(ApiError) as raised:
        erp.connector.request("POST", f"{BASE}/contact", json=["not", "an", "object"])
    assert raised.value.status == 400
    assert raised.value.message == "the body must be a JSON object"


def test_429_honours_retry_after(erp: Setup) -> None:
    seed(erp.emulator, 1)
    erp.emulator.fail_next("contact", n=2, status=429)
    assert len(list(erp.connector.list_all(CONTACT))) == 1
    assert erp.sleeps == [1.0, 1.0]
    erp.emulator.fail_next("contact", n=1, status=429)
    answer = raw("GET", "contact")
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "1"


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retried(erp: Setup, status: int) -> None:
    erp.emulator.fail_next("contact", n=2, status=status)
    created = erp.connector.create(CONTACT, {"name": "x"})
    assert erp.emulator.records("Contact") == [created]
    assert len(erp.sleeps) == 2


def test_timeouts_are_retried(erp: Setup) -> None:
    [record] = seed(erp.emulator, 1)
    erp.emulator.timeout_next("contact", n=2)
    assert erp.connector.get(CONTACT, str(record["id"])) == record
    assert len(erp.sleeps) == 2


def test_no_token_is_a_401_with_a_clear_error() -> None:
    for setup in make_setup(token=None):
        with pytest.raises(AuthError) as raised:
            list(setup.connector.list_all(CONTACT))
        assert raised.value.status == 401
        assert "unauthorized" in str(raised.value) and "TALK_CUSTOMERP_TOKEN" in str(raised.value)
        assert raw("GET", "contact", token=None).json() == {"error": "unauthorized"}


def test_wrong_token_when_one_is_required() -> None:
    for setup in make_setup(token="wrong", emulator_token="right"):
        with pytest.raises(AuthError):
            setup.connector.get(CONTACT, "contact-1")
        assert raw("GET", "contact", token="right").status_code == 200


def test_drop_after_write(erp: Setup) -> None:
    erp.emulator.drop_after_write("contact", method="POST")
    with pytest.raises(RetriesExhausted) as raised:
        erp.connector.create(CONTACT, {"name": "lost answer"})
    assert "ConnectionError" in raised.value.last
    assert [r["name"] for r in erp.emulator.records("Contact")] == ["lost answer"]


def test_modified_at(erp: Setup) -> None:
    [record] = seed(erp.emulator, 1)
    assert erp.connector.modified_at(CONTACT, record) == datetime(2024, 1, 1, 0, 0, 1,
                                                                  tzinfo=UTC)
    assert erp.connector.modified_at(CONTACT, {"updated_at": "garbage"}) is None


def test_any_system_and_entity_name_works() -> None:
    for setup in make_setup(base="https://superoffice.emulated", system="SuperOffice"):
        entity = resolve_entity(setup.connector.profile, "Invoice Lines")
        created = setup.connector.create(entity, {"amount": 3})
        assert created["id"] == "invoice-lines-1"
        assert list(setup.connector.list_all(entity)) == [created]
