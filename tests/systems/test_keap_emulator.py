"""The Keap v1 emulator's own API: the operations the connector does not use, and details."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from talk.connectors import connector_for
from talk.emulator import emulator_for
from talk.emulator.keap import BadInput, KeapEmulator, convert_like_gson
from talk.emulator.mock import serving
from talk.systems.registry import profile_for, resolve_entity

BASE = "https://keap.emulated/crm/rest/v1"
PROFILE = profile_for("keap")


@pytest.fixture
def emulator() -> Iterator[KeapEmulator]:
    emulator = emulator_for(PROFILE, BASE)
    assert isinstance(emulator, KeapEmulator)
    with serving(emulator):
        yield emulator


def call(method: str, path: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, f"{BASE}/{path}", headers={"Authorization": "Bearer t"},
                            timeout=5, **kwargs)


def email(address: str) -> list[dict[str, str]]:
    return [{"email": address, "field": "EMAIL1"}]


def test_put_contacts_upserts_by_email(emulator: KeapEmulator) -> None:
    existing = emulator.seed("Contacts", {"given_name": "Ada",
                                          "email_addresses": email("ada@example.com")})
    updated = call("PUT", "contacts", json={"email_addresses": email("ADA@example.com"),
                                            "family_name": "Lovelace"})
    assert updated.status_code == 200 and updated.json()["id"] == existing["id"]
    assert updated.json()["given_name"] == "Ada"
    created = call("PUT", "contacts", json={"email_addresses": email("new@example.com")})
    assert created.status_code == 200 and created.json()["id"] != existing["id"]
    assert call("PUT", "contacts", json={"given_name": "Nobody"}).status_code == 400
    assert len(emulator.records("Contacts")) == 2


def test_put_opportunities_replaces_every_value(emulator: KeapEmulator) -> None:
    stored = emulator.seed("Opportunity", {"opportunity_title": "Deal", "contact": {"id": 1},
                                           "stage": {"id": 1}, "opportunity_notes": "old"})
    replaced = call("PUT", "opportunities", json={
        "id": stored["id"], "opportunity_title": "Deal 2", "contact": {"id": 1},
        "stage": {"id": 2}})
    assert replaced.status_code == 200
    after = emulator.record("Opportunity", stored["id"])
    assert after["opportunity_title"] == "Deal 2" and "opportunity_notes" not in after
    assert after["date_created"] == stored["date_created"]
    assert after["last_updated"] > stored["last_updated"]


def test_product_list_items_carry_status_and_the_connector_reads_active(
        emulator: KeapEmulator) -> None:
    emulator.seed("Product", {"product_name": "On", "active": True})
    emulator.seed("Product", {"product_name": "Off", "active": False})
    items = call("GET", "products").json()["products"]
    assert [(p["status"], "active" in p) for p in items] == [(1, False), (0, False)]
    connector = connector_for(PROFILE, BASE, "t")
    listed = connector.list_all(resolve_entity(PROFILE, "Product"))
    assert [(p["product_name"], p["active"]) for p in listed] == [("On", True), ("Off", False)]


def test_patch_cannot_clear_a_required_field_and_honours_update_mask(
        emulator: KeapEmulator) -> None:
    company = emulator.seed("Companies", {"company_name": "Acme", "website": "a.example"})
    refused = call("PATCH", f"companies/{company['id']}", json={"company_name": ""})
    assert refused.status_code == 400 and "company_name" in refused.json()["message"]
    contact = emulator.seed("Contacts", {"given_name": "Ada", "family_name": "L",
                                         "email_addresses": email("a@example.com")})
    call("PATCH", f"contacts/{contact['id']}", params={"update_mask": "family_name"},
         json={"given_name": "Grace", "family_name": "Hopper"})
    after = emulator.record("Contacts", contact["id"])
    assert (after["given_name"], after["family_name"]) == ("Ada", "Hopper")
    legacy = call("PATCH", f"company/{company['id']}", json={"website": "b.example"})
    assert legacy.status_code == 200 and legacy.json()["website"] == "b.example"


def test_patch_with_null_clears_and_answers_leave_nulls_out(emulator: KeapEmulator) -> None:
    company = emulator.seed("Companies", {"company_name": "Acme", "website": "a.example"})
    answer = call("PATCH", f"companies/{company['id']}", json={"website": None}).json()
    assert "website" not in answer and answer["company_name"] == "Acme"


def test_delete_contact_and_product(emulator: KeapEmulator) -> None:
    contact = emulator.seed("Contacts", {"email_addresses": email("a@example.com")})
    product = emulator.seed("Product", {"product_name": "P"})
    assert call("DELETE", f"contacts/{contact['id']}").status_code == 204
    assert call("GET", f"contacts/{contact['id']}").status_code == 404
    assert call("DELETE", f"products/{product['id']}").status_code == 204
    statuses = call("GET", "products/sync", params={"sync_token": "0"}).json()
    assert statuses["product_statuses"] == [{"product": {"id": product["id"]},
                                             "status": "DELETED"}]


def test_bad_parameters_are_400(emulator: KeapEmulator) -> None:
    assert call("GET", "contacts", params={"limit": "ten"}).status_code == 400
    assert call("GET", "contacts", params={"since": "yesterday"}).status_code == 400
    assert call("GET", "products/sync", params={"sync_token": "x"}).status_code == 400
    assert call("GET", "companies/abc").status_code == 400
    assert call("POST", "companies", data="{not json").status_code == 400


def test_limit_is_capped_and_contacts_filter_by_email(emulator: KeapEmulator) -> None:
    for i in range(3):
        emulator.seed("Contacts", {"email_addresses": email(f"c{i}@example.com")})
    everything = call("GET", "contacts", params={"limit": 5000}).json()
    assert len(everything["contacts"]) == 3 and "limit=1000" in everything["next"]
    one = call("GET", "contacts", params={"email": "c1@example.com"}).json()
    assert [c["email_addresses"][0]["email"] for c in one["contacts"]] == ["c1@example.com"]


def test_every_answer_carries_throttle_and_quota_headers(emulator: KeapEmulator) -> None:
    call("GET", "contacts")
    answer = call("GET", "contacts")
    assert answer.headers["x-keap-product-throttle-used"] == "2"
    assert int(answer.headers["x-keap-product-quota-available"]) == 150_000 - 2
    assert answer.headers["x-keap-product-quota-expiry-time"] == "1704153600000"  # 2024-01-02


def test_ids_and_timestamps_are_deterministic() -> None:
    def run() -> list[dict[str, Any]]:
        emulator = emulator_for(PROFILE, BASE, id_seed=1000)
        return [emulator.seed("Contacts", {"email_addresses": email(f"{i}@x.example")})
                for i in range(2)]

    first, second = run(), run()
    assert first == second
    assert [c["id"] for c in first] == [1001, 1002]
    assert first[0]["last_updated"] == "2024-01-01T00:00:01.000Z"


# -- Gson's conversions (docs/design.md#api-types), as properties --------------------------------

PRODUCT = resolve_entity(PROFILE, "Product")
OPPORTUNITY = resolve_entity(PROFILE, "Opportunity")
NUMBERS = st.floats(allow_nan=False, allow_infinity=False)
LONGS = st.integers(min_value=-(2**63), max_value=2**63 - 1)


@settings(max_examples=60, deadline=None)
@given(NUMBERS)
def test_a_numeric_string_for_a_number_field_is_stored_as_that_number(value: float) -> None:
    assert convert_like_gson(PRODUCT, {"product_price": repr(value)}) == {"product_price": value}
    assert convert_like_gson(PRODUCT, {"product_price": value})["product_price"] == value


@settings(max_examples=60, deadline=None)
@given(LONGS)
def test_integers_round_trip_through_long_and_string_fields(value: int) -> None:
    converted = convert_like_gson(OPPORTUNITY, {"affiliate_id": str(value),
                                                "opportunity_title": value})
    assert converted == {"affiliate_id": value, "opportunity_title": str(value)}


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcxyz ,-", min_size=1))
def test_text_that_is_no_number_is_refused(text: str) -> None:
    with pytest.raises(BadInput, match="product_price"):
        convert_like_gson(PRODUCT, {"product_price": text})
