"""Keap REST v1: the connector against the emulator, in-process through `responses`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from talk.connectors import connector_for
from talk.connectors.base import AmbiguousWrite, ApiError, AuthError, RetriesExhausted, RetryPolicy
from talk.connectors.keap import KeapConnector
from talk.emulator import emulator_for
from talk.emulator.base import Clock
from talk.emulator.keap import KeapEmulator
from talk.emulator.mock import serving
from talk.systems.profile import ApiStyle, ChangeRead
from talk.systems.registry import profile_for, resolve_entity

BASE = "https://keap.emulated/crm/rest/v1"
PROFILE = profile_for("Keap")
CONTACTS = resolve_entity(PROFILE, "Contacts")
COMPANIES = resolve_entity(PROFILE, "Companies")
OPPORTUNITY = resolve_entity(PROFILE, "Opportunity")
PRODUCT = resolve_entity(PROFILE, "Product")
USERS = resolve_entity(PROFILE, "Users")


@dataclass
class Setup:
    emulator: KeapEmulator
    connector: KeapConnector
    sleeps: list[float]

    def gets(self, path: str) -> list[str]:
        return [r.url for r in self.emulator.requests
                if r.method == "GET" and r.path.endswith(path)]


def make_setup(token: str | None = "token", *, page_size: int = 2, max_attempts: int = 6,
               clock: Clock | None = None) -> Iterator[Setup]:
    emulator = emulator_for(PROFILE, BASE, clock=clock)
    assert isinstance(emulator, KeapEmulator)
    sleeps: list[float] = []
    policy = RetryPolicy(max_attempts=max_attempts, sleep=sleeps.append, clock=lambda: 0.0)
    connector = connector_for(PROFILE, BASE, token, retry=policy, page_size=page_size,
                              wall_clock=lambda: emulator.clock.peek().timestamp())
    assert isinstance(connector, KeapConnector)
    with serving(emulator):
        yield Setup(emulator, connector, sleeps)


@pytest.fixture
def keap() -> Iterator[Setup]:
    yield from make_setup()


def contact(i: int, **extra: Any) -> dict[str, Any]:
    return {"given_name": f"Given {i}", "family_name": "Doe",
            "email_addresses": [{"email": f"c{i}@example.com", "field": "EMAIL1"}], **extra}


def raw(method: str, path: str, *, headers: dict[str, str] | None = None,
        **kwargs: Any) -> requests.Response:
    sent = {"Authorization": "Bearer token"} if headers is None else headers
    return requests.request(method, f"{BASE}/{path}", headers=sent, timeout=5, **kwargs)


# -- profile ------------------------------------------------------------------------------


def test_profile_names_resources_and_change_reads() -> None:
    assert PROFILE.key == "keap" and PROFILE.style is ApiStyle.KEAP
    assert resolve_entity(PROFILE, "Company") == COMPANIES
    assert resolve_entity(PROFILE, "opportunities") == OPPORTUNITY
    assert resolve_entity(PROFILE, "Products") == PRODUCT
    assert [(e.resource, e.id_field, e.modified_field, e.change_read) for e in
            (CONTACTS, COMPANIES, OPPORTUNITY, PRODUCT, USERS)] == [
        ("contacts", "id", "last_updated", ChangeRead.SINCE),
        ("companies", "id", None, ChangeRead.FULL),
        ("opportunities", "id", "last_updated", ChangeRead.FULL),
        ("products", "id", None, ChangeRead.SYNC_TOKEN),
        ("users", "id", "last_updated", ChangeRead.FULL),
    ]
    assert PRODUCT.field_type("product_price") == "number"
    assert not USERS.can_update and not COMPANIES.can_delete and PRODUCT.can_delete


# -- lists --------------------------------------------------------------------------------


def test_one_page(keap: Setup) -> None:
    keap.connector.page_size = 10
    names = [keap.emulator.seed("Companies", {"company_name": n})["company_name"]
             for n in ("Acme", "Globex")]
    assert [r["company_name"] for r in keap.connector.list_all(COMPANIES)] == names
    assert len(keap.gets("/companies")) == 2  # the page, then the empty page that ends it


def test_many_pages_in_id_order(keap: Setup) -> None:
    seeded = [keap.emulator.seed("Contacts", contact(i)) for i in range(5)]
    listed = list(keap.connector.list_all(CONTACTS))
    assert [r["id"] for r in listed] == [r["id"] for r in seeded]
    offsets = [url.split("offset=")[1].split("&")[0] for url in keap.gets("/contacts")]
    assert offsets == ["0", "2", "4", "5"]  # the last page (1 row) leads to an empty one


def test_empty_collection(keap: Setup) -> None:
    assert list(keap.connector.list_all(PRODUCT)) == []
    assert len(keap.gets("/products")) == 1


def test_list_answer_has_count_and_next_on_every_page(keap: Setup) -> None:
    for i in range(3):
        keap.emulator.seed("Contacts", contact(i))
    first = raw("GET", "contacts", params={"limit": 2}).json()
    assert len(first["contacts"]) == 2 and first["count"] == 3
    assert "limit=2" in first["next"] and "offset=2" in first["next"]
    last = requests.get(first["next"], headers={"Authorization": "Bearer t"}, timeout=5).json()
    assert len(last["contacts"]) == 1
    empty = requests.get(last["next"], headers={"Authorization": "Bearer t"}, timeout=5).json()
    assert empty["contacts"] == [] and empty["next"].startswith(f"{BASE}/contacts/?")


# -- changes ------------------------------------------------------------------------------


def test_contacts_changed_since_cursor(keap: Setup) -> None:
    seeded = [keap.emulator.seed("Contacts", contact(i)) for i in range(3)]
    first = keap.connector.read_changes(CONTACTS, None)
    assert len(list(first.records)) == 3
    cursor = first.next_cursor()
    assert cursor is not None and cursor == seeded[-1]["last_updated"]

    edited = keap.emulator.edit("Contacts", seeded[0]["id"], {"job_title": "CEO"})
    between = datetime.fromisoformat(cursor.replace("Z", "+00:00")).timestamp() + 0.5
    since = datetime.fromtimestamp(between, UTC).isoformat()
    page = keap.connector.read_changes(CONTACTS, since)
    assert [(r["id"], r["job_title"]) for r in page.records] == [(edited["id"], "CEO")]
    assert page.next_cursor() == edited["last_updated"]
    assert any("since=" in url for url in keap.gets("/contacts"))


def test_since_is_inclusive_and_keeps_the_cursor_when_nothing_changed(keap: Setup) -> None:
    stored = keap.emulator.seed("Contacts", contact(1))
    again = keap.connector.read_changes(CONTACTS, stored["last_updated"])
    assert [r["id"] for r in again.records] == [stored["id"]]
    later = keap.connector.read_changes(CONTACTS, "2030-01-01T00:00:00.000Z")
    assert list(later.records) == []
    assert later.next_cursor() == "2030-01-01T00:00:00.000Z"


def test_products_sync_token(keap: Setup) -> None:
    products = [keap.emulator.seed("Product", {"product_name": f"P{i}", "product_price": 10.0,
                                               "active": True}) for i in range(3)]
    first = keap.connector.read_changes(PRODUCT, None)
    assert [r["id"] for r in first.records] == [p["id"] for p in products]
    token = first.next_cursor()
    assert token

    keap.emulator.edit("Product", products[1]["id"], {"product_price": 12.5})
    keap.emulator.delete("Product", products[2]["id"])
    changed = keap.connector.read_changes(PRODUCT, token)
    records = list(changed.records)
    assert [(r["id"], r["product_price"], r["active"]) for r in records] == [
        (products[1]["id"], 12.5, True)]
    new_token = changed.next_cursor()
    assert new_token and new_token != token
    quiet = keap.connector.read_changes(PRODUCT, new_token)
    assert list(quiet.records) == [] and quiet.next_cursor() == new_token


def test_entities_without_a_change_filter_are_read_in_full(keap: Setup) -> None:
    keap.emulator.seed("Companies", {"company_name": "Acme"})
    page = keap.connector.read_changes(COMPANIES, "2024-01-01T00:00:00.000Z")
    assert [r["company_name"] for r in page.records] == ["Acme"]
    assert page.next_cursor() is None


# -- create, read, update ---------------------------------------------------------------------


def test_create_then_read_in_keaps_shape(keap: Setup) -> None:
    created = keap.connector.create(CONTACTS, contact(1, job_title="Buyer"))
    assert isinstance(created["id"], int)
    assert created["job_title"] == "Buyer" and created["last_updated"].endswith("Z")
    assert keap.connector.get(CONTACTS, str(created["id"])) == created
    # Without optional_properties the API leaves job_title out, as Keap does.
    plain = raw("GET", f"contacts/{created['id']}").json()
    assert "job_title" not in plain and plain["given_name"] == "Given 1"
    assert keap.emulator.record("Contacts", created["id"]) == created


def test_create_status_codes(keap: Setup) -> None:
    company = raw("POST", "companies", json={"company_name": "Acme"})
    assert company.status_code == 201
    opportunity = raw("POST", "opportunities", json={
        "opportunity_title": "Deal", "contact": {"id": 1}, "stage": {"id": 2}})
    assert opportunity.status_code == 200 and opportunity.json()["opportunity_title"] == "Deal"


def test_update_patches_and_bumps_last_updated(keap: Setup) -> None:
    stored = keap.emulator.seed("Contacts", contact(1))
    keap.connector.update(CONTACTS, str(stored["id"]), {"family_name": "Smith"})
    after = keap.emulator.record("Contacts", stored["id"])
    assert after["family_name"] == "Smith" and after["given_name"] == "Given 1"
    assert after["last_updated"] > stored["last_updated"]
    assert [r.method for r in keap.emulator.writes()] == ["PATCH"]


def test_users_create_list_and_no_update(keap: Setup) -> None:
    created = keap.connector.create(USERS, {"email": "u@example.com", "given_name": "Una"})
    assert created["email_address"] == "u@example.com" and created["status"] == "Invited"
    assert keap.connector.get(USERS, str(created["id"])) == created
    assert keap.connector.get(USERS, "999") is None
    with pytest.raises(ApiError, match="no update operation"):
        keap.connector.update(USERS, str(created["id"]), {"given_name": "Ann"})
    assert all(r.method != "PATCH" for r in keap.emulator.requests)


def test_get_missing_is_none(keap: Setup) -> None:
    assert keap.connector.get(COMPANIES, "424242") is None


def test_operations_keap_lacks_are_refused(keap: Setup) -> None:
    company = keap.emulator.seed("Companies", {"company_name": "Acme"})
    assert raw("DELETE", f"companies/{company['id']}").status_code == 405
    assert raw("DELETE", "opportunities/1").status_code == 405
    assert raw("GET", "users/1").status_code == 404
    assert raw("PATCH", "users/1", json={}).status_code == 404
    assert raw("PATCH", "users", json={}).status_code == 405
    assert keap.emulator.records("Companies") == [company]


# -- rate limits, errors and retries -------------------------------------------------------------


def test_throttle_429_is_retried_with_backoff(keap: Setup) -> None:
    keap.emulator.seed("Companies", {"company_name": "Acme"})
    keap.emulator.fail_next("/companies", 1, status=429)
    answer = raw("GET", "companies")
    assert answer.status_code == 429 and "Retry-After" not in answer.headers
    assert answer.json() == {"code": "429", "message": "Quota Exceeded",
                             "status": "Request Throttled", "details": None}
    assert answer.headers["x-keap-product-throttle-available"] == "0"

    keap.emulator.fail_next("/companies", 1, status=429)
    assert [r["company_name"] for r in keap.connector.list_all(COMPANIES)] == ["Acme"]
    assert len(keap.sleeps) == 1 and 0.25 <= keap.sleeps[0] <= 0.5  # backoff(1), base 0.5


def test_quota_429_waits_until_the_quota_expires() -> None:
    clock = Clock(start=datetime(2024, 1, 1, 23, 59, 30, tzinfo=UTC))
    for setup in make_setup(clock=clock):
        setup.emulator.rate_limit_signal = "quota"
        setup.emulator.fail_next("/companies", 1, status=429)
        assert list(setup.connector.list_all(COMPANIES)) == []
        assert setup.sleeps == [30.0]  # until 2024-01-02T00:00:00Z, the quota's expiry


def test_server_errors_and_timeouts_are_retried(keap: Setup) -> None:
    keap.emulator.seed("Product", {"product_name": "P"})
    keap.emulator.fail_next("/products", 2, status=500)
    keap.emulator.timeout_next("/products", 1)
    assert [r["product_name"] for r in keap.connector.list_all(PRODUCT)] == ["P"]
    assert len(keap.sleeps) == 3


def test_retries_are_bounded() -> None:
    for setup in make_setup(max_attempts=3):
        setup.emulator.fail_next("/companies", 10, status=503)
        with pytest.raises(RetriesExhausted, match="after 3 attempts"):
            list(setup.connector.list_all(COMPANIES))
        assert len(setup.sleeps) == 2


@pytest.mark.parametrize(("entity", "payload", "missing"), [
    (CONTACTS, {"given_name": "No Email", "email_addresses": []}, "email_addresses"),
    (COMPANIES, {"email_address": "a@b.c"}, "company_name"),
    (OPPORTUNITY, {"opportunity_title": "Deal", "stage": {"id": 1}}, "contact"),
    (OPPORTUNITY, {"contact": {"id": 1}, "stage": {"id": 1}}, "opportunity_title"),
    (OPPORTUNITY, {"opportunity_title": "Deal", "contact": {"id": 1}}, "stage"),
    (PRODUCT, {"product_price": 5}, "product_name"),
    (USERS, {"given_name": "Una"}, "email"),
    (USERS, {"email": "u@example.com"}, "given_name"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_required_fields_on_create(keap: Setup, entity: Any, payload: dict[str, Any],
                                   missing: str) -> None:
    with pytest.raises(ApiError) as caught:
        keap.connector.create(entity, payload)
    assert caught.value.status == 400 and missing in caught.value.message
    assert keap.emulator.records(entity.name) == []


def test_unconvertible_value_is_a_400_with_the_apis_message(keap: Setup) -> None:
    with pytest.raises(ApiError) as caught:
        keap.connector.create(PRODUCT, {"product_name": "P", "product_price": "abc"})
    assert caught.value.status == 400
    assert "product_price" in caught.value.message and '"abc"' in caught.value.message
    assert keap.sleeps == []  # a 400 is not retried


def test_values_are_converted_like_gson(keap: Setup) -> None:
    product = keap.connector.create(PRODUCT, {"product_name": 42, "product_price": "12.5",
                                              "active": "true", "sku": 7})
    assert (product["product_name"], product["product_price"], product["active"],
            product["sku"]) == ("42", 12.5, True, "7")
    company = keap.connector.create(COMPANIES, {"company_name": "Acme", "custom": "kept"})
    # a field the description lacks is stored (docs/design.md#undescribed-fields)
    assert company["custom"] == "kept"
    with pytest.raises(ApiError, match="Expected a long"):
        keap.connector.create(OPPORTUNITY, {"opportunity_title": "D", "contact": {"id": 1.5},
                                            "stage": {"id": 1}})


def test_no_token_is_an_auth_error() -> None:
    for setup in make_setup(token=None):
        with pytest.raises(AuthError) as caught:
            list(setup.connector.list_all(CONTACTS))
        assert caught.value.status == 401
        assert "Invalid Access Token" in str(caught.value)
        assert "TALK_KEAP_TOKEN" in str(caught.value)
        assert setup.sleeps == []


def test_keap_credentials_header_key_and_query_token(keap: Setup) -> None:
    assert raw("GET", "contacts", headers={}).status_code == 401
    assert raw("GET", "contacts", headers={"X-Keap-API-Key": "KeapAK-1"}).status_code == 200
    assert raw("GET", "contacts", headers={}, params={"access_token": "t"}).status_code == 200


def test_dropped_create_is_not_sent_twice(keap: Setup) -> None:
    """The server applied the create but the answer never came: the connector raises
    AmbiguousWrite instead of retrying, so no duplicate exists (docs/design.md#crash-safe-creates
    resolves it)."""
    keap.emulator.drop_after_write("/companies", 1, method="POST")
    with pytest.raises(AmbiguousWrite):
        keap.connector.create(COMPANIES, {"company_name": "Acme"})
    assert [r["company_name"] for r in keap.emulator.records("Companies")] == ["Acme"]
    assert len(keap.emulator.writes()) == 1


def test_dropped_update_is_retried_harmlessly(keap: Setup) -> None:
    stored = keap.emulator.seed("Companies", {"company_name": "Acme"})
    keap.emulator.drop_after_write("/companies", 1, method="PATCH")
    keap.connector.update(COMPANIES, str(stored["id"]), {"website": "acme.example"})
    assert keap.emulator.record("Companies", stored["id"])["website"] == "acme.example"
    assert [r.method for r in keap.emulator.writes()] == ["PATCH", "PATCH"]
