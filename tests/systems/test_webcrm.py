"""WebCRM REST v1: the connector against the emulator, in-process through `responses`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from talk.connectors import connector_for
from talk.connectors.base import AmbiguousWrite, ApiError, AuthError, RetryPolicy
from talk.connectors.webcrm import WebcrmConnector
from talk.emulator import emulator_for
from talk.emulator.mock import serving
from talk.emulator.webcrm import THROTTLE_MESSAGE, WebcrmEmulator
from talk.systems.profile import ApiStyle, ChangeRead
from talk.systems.registry import profile_for, resolve_entity

BASE = "https://webcrm.emulated"
PROFILE = profile_for("WebCRM")
ORGANISATIONS = resolve_entity(PROFILE, "Organisations")
PERSONS = resolve_entity(PROFILE, "Persons")
OPPORTUNITIES = resolve_entity(PROFILE, "Opportunities")
PRODUCTS = resolve_entity(PROFILE, "Products")
USERS = resolve_entity(PROFILE, "Users")
ALL = (ORGANISATIONS, PERSONS, OPPORTUNITIES, PRODUCTS, USERS)


@dataclass
class Setup:
    emulator: WebcrmEmulator
    connector: WebcrmConnector
    sleeps: list[float]

    def requests_to(self, method: str, path: str) -> list[str]:
        return [r.url for r in self.emulator.requests
                if r.method == method and path in r.path]


def make_setup(token: str | None = "token", *, page_size: int = 2) -> Iterator[Setup]:
    emulator = emulator_for(PROFILE, BASE)
    assert isinstance(emulator, WebcrmEmulator)
    sleeps: list[float] = []
    policy = RetryPolicy(sleep=sleeps.append, clock=lambda: 0.0)
    connector = connector_for(PROFILE, BASE, token, retry=policy, page_size=page_size)
    assert isinstance(connector, WebcrmConnector)
    with serving(emulator):
        yield Setup(emulator, connector, sleeps)


@pytest.fixture
def webcrm() -> Iterator[Setup]:
    yield from make_setup()


def raw(method: str, path: str, *, token: str | None = "token",
        **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, f"{BASE}/{path}", headers=headers, timeout=5, **kwargs)


# -- profile ------------------------------------------------------------------------------


def test_profile_ids_timestamps_and_change_reads() -> None:
    assert PROFILE.key == "webcrm" and PROFILE.style is ApiStyle.WEBCRM
    assert profile_for("Webcrm") is PROFILE
    assert resolve_entity(PROFILE, "Organisation") == ORGANISATIONS
    assert [(e.resource, e.id_field, e.modified_field) for e in ALL] == [
        ("Organisations", "OrganisationId", "OrganisationUpdatedAt"),
        ("Persons", "PersonId", "PersonUpdatedAt"),
        ("Opportunities", "OpportunityId", "OpportunityUpdatedAt"),
        ("Products", "ProductId", "ProductUpdatedAt"),
        ("Users", "UserId", "UserUpdatedAt"),
    ]
    assert ORGANISATIONS.change_read is ChangeRead.UPDATE_DATES
    assert {e.change_read for e in ALL[1:]} == {ChangeRead.FULL}
    assert [e.name for e in ALL if e.can_delete] == ["Products"]
    assert all(e.required_on_create == () for e in ALL)
    assert PRODUCTS.field_type("ProductPrice") == "number"


# -- lists --------------------------------------------------------------------------------


def test_one_page(webcrm: Setup) -> None:
    webcrm.connector.page_size = 10
    webcrm.emulator.seed("Persons", {"PersonFirstName": "Ada"})
    assert [r["PersonFirstName"] for r in webcrm.connector.list_all(PERSONS)] == ["Ada"]
    assert len(webcrm.requests_to("GET", "/Persons")) == 2  # the page, then the empty one


def test_many_pages(webcrm: Setup) -> None:
    seeded = [webcrm.emulator.seed("Organisations", {"OrganisationName": f"Org {i}"})
              for i in range(5)]
    listed = list(webcrm.connector.list_all(ORGANISATIONS))
    assert [r["OrganisationId"] for r in listed] == [r["OrganisationId"] for r in seeded]
    pages = [url.split("Page=")[1].split("&")[0]
             for url in webcrm.requests_to("GET", "/Organisations")]
    assert pages == ["1", "2", "3", "4"]


def test_empty_collection(webcrm: Setup) -> None:
    assert list(webcrm.connector.list_all(USERS)) == []
    assert len(webcrm.requests_to("GET", "/Users")) == 1


def test_lists_are_bare_arrays(webcrm: Setup) -> None:
    for i in range(3):
        webcrm.emulator.seed("Products", {"ProductPrice": i})
    second = raw("GET", "Products", params={"Page": 2, "Size": 2}).json()
    assert isinstance(second, list) and [p["ProductPrice"] for p in second] == [2]
    assert raw("GET", "Products", params={"Page": 3, "Size": 2}).json() == []
    assert raw("GET", "Products", params={"Size": 1001}).status_code == 400


# -- changes ------------------------------------------------------------------------------


def test_organisations_changed_since_cursor(webcrm: Setup) -> None:
    seeded = [webcrm.emulator.seed("Organisations", {"OrganisationName": f"Org {i}"})
              for i in range(3)]
    first = webcrm.connector.read_changes(ORGANISATIONS, None)
    assert len(list(first.records)) == 3
    cursor = first.next_cursor()
    assert cursor == seeded[-1]["OrganisationUpdatedAt"]

    edited = webcrm.emulator.edit("Organisations", seeded[0]["OrganisationId"],
                                  {"OrganisationCity": "Oslo"})
    page = webcrm.connector.read_changes(ORGANISATIONS, "2024-01-01T00:00:03.500Z")
    assert [(r["OrganisationId"], r["OrganisationCity"]) for r in page.records] == [
        (edited["OrganisationId"], "Oslo")]
    assert page.next_cursor() == edited["OrganisationUpdatedAt"]
    assert webcrm.requests_to("GET", "/Organisations/FindByUpdateDates/2024-01-01T00:00:03.5Z/")


def test_update_date_range_is_start_inclusive_end_exclusive(webcrm: Setup) -> None:
    stored = webcrm.emulator.seed("Organisations", {"OrganisationName": "Acme"})
    stamp = stored["OrganisationUpdatedAt"]
    assert len(raw("GET", f"Organisations/FindByUpdateDates/{stamp}/2030-01-01T00:00:00Z")
               .json()) == 1
    assert raw("GET", f"Organisations/FindByUpdateDates/2020-01-01T00:00:00Z/{stamp}").json() == []
    assert raw("GET", "Persons/FindByUpdateDates/2020-01-01/2030-01-01").status_code == 404


def test_other_entities_are_read_in_full(webcrm: Setup) -> None:
    webcrm.emulator.seed("Persons", {"PersonFirstName": "Ada"})
    page = webcrm.connector.read_changes(PERSONS, "2030-01-01T00:00:00Z")
    assert [r["PersonFirstName"] for r in page.records] == ["Ada"]
    assert page.next_cursor() is None


# -- create, read, update ---------------------------------------------------------------------


def test_create_posts_then_reads_the_record_back(webcrm: Setup) -> None:
    created = webcrm.connector.create(ORGANISATIONS, {
        "OrganisationName": "Acme", "OrganisationDeliveryAddress": "Dock 4"})
    assert isinstance(created["OrganisationId"], int)
    assert created["OrganisationName"] == "Acme"
    assert created["OrganisationDeliveryAddress"] == "Dock 4"  # newer than the description
    assert created["OrganisationUpdatedAt"].endswith("Z")
    assert created == webcrm.emulator.record("Organisations", created["OrganisationId"])
    assert [r.method for r in webcrm.emulator.requests] == ["POST", "GET"]


def test_post_answers_the_new_id_for_every_entity(webcrm: Setup) -> None:
    for entity in ALL:
        answer = raw("POST", entity.resource, json={})
        assert answer.status_code == 200 and isinstance(answer.json(), int)


def test_update_merges_and_puts_the_whole_record(webcrm: Setup) -> None:
    stored = webcrm.emulator.seed("Organisations", {"OrganisationName": "Acme",
                                                    "OrganisationCity": "Oslo"})
    key = str(stored["OrganisationId"])
    webcrm.connector.update(ORGANISATIONS, key, {"OrganisationCity": "Bergen"})
    after = webcrm.emulator.record("Organisations", key)
    assert (after["OrganisationName"], after["OrganisationCity"]) == ("Acme", "Bergen")
    assert after["OrganisationUpdatedAt"] > stored["OrganisationUpdatedAt"]
    assert after["OrganisationCreatedAt"] == stored["OrganisationCreatedAt"]
    # A bare PUT replaces the whole DTO: what it leaves out is gone.
    put = raw("PUT", f"Organisations/{key}", json={"OrganisationCity": "Trondheim"})
    assert put.status_code == 200 and put.content == b""
    assert "OrganisationName" not in webcrm.emulator.record("Organisations", key)


def test_get_missing_is_none(webcrm: Setup) -> None:
    assert webcrm.connector.get(PERSONS, "4242") is None
    with pytest.raises(ApiError) as caught:
        webcrm.connector.update(PERSONS, "4242", {"PersonFirstName": "X"})
    assert caught.value.status == 404


def test_only_products_can_be_deleted(webcrm: Setup) -> None:
    org = webcrm.emulator.seed("Organisations", {"OrganisationName": "Acme"})
    product = webcrm.emulator.seed("Products", {"ProductPrice": 1})
    refused = raw("DELETE", f"Organisations/{org['OrganisationId']}")
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET, PUT"
    assert raw("DELETE", f"Products/{product['ProductId']}").status_code == 200
    assert webcrm.emulator.records("Products") == []
    assert len(webcrm.emulator.records("Organisations")) == 1


def test_patch_upserts_an_array(webcrm: Setup) -> None:
    stored = webcrm.emulator.seed("Persons", {"PersonFirstName": "Ada"})
    answer = raw("PATCH", "Persons", json=[
        {"PersonId": stored["PersonId"], "PersonFirstName": "Grace"},
        {"PersonFirstName": "Linus"},
        {"PersonId": 999, "PersonFirstName": "Nobody"}])
    ids = answer.json()
    assert answer.status_code == 200 and ids[0] == str(stored["PersonId"])
    assert ids[1].isdigit() and "999" in ids[2] and "not found" in ids[2]
    assert [p["PersonFirstName"] for p in webcrm.emulator.records("Persons")] == [
        "Grace", "Linus"]


# -- conversions and errors ---------------------------------------------------------------------


def test_values_are_converted_like_json_net(webcrm: Setup) -> None:
    product = webcrm.connector.create(PRODUCTS, {"ProductPrice": "12.5", "ProductQuantity": 3,
                                                 "ProductVatCode": 25, "ProductSortOrder": "7"})
    assert (product["ProductPrice"], product["ProductQuantity"], product["ProductVatCode"],
            product["ProductSortOrder"]) == (12.5, 3.0, "25", 7)
    person = webcrm.connector.create(PERSONS, {"PersonBlockMassEmail": "TRUE",
                                               "PersonFirstName": True})
    assert (person["PersonBlockMassEmail"], person["PersonFirstName"]) == (True, "True")


@pytest.mark.parametrize(("payload", "words"), [
    ({"ProductPrice": "abc"}, "ProductPrice: Could not convert string to double: abc"),
    ({"ProductSortOrder": 1.5}, "ProductSortOrder: Input string '1.5' is not a valid integer"),
    ({"ProductCreatedAt": "yesterday"}, "Could not convert string to DateTime: yesterday"),
    ({"ProductComment": {"a": 1}}, "ProductComment: Unexpected character"),
])
def test_unconvertible_value_is_a_400_with_the_apis_message(
        webcrm: Setup, payload: dict[str, Any], words: str) -> None:
    with pytest.raises(ApiError) as caught:
        webcrm.connector.create(PRODUCTS, payload)
    assert caught.value.status == 400 and words in caught.value.message
    assert webcrm.emulator.records("Products") == [] and webcrm.sleeps == []


def test_nothing_is_required_on_create(webcrm: Setup) -> None:
    """docs/design.md#create-requirements: the DTOs require only the id, which the API assigns."""
    for entity in ALL:
        created = webcrm.connector.create(entity, {})
        assert isinstance(created[entity.id_field], int)


def test_throttle_429_honours_retry_after_exactly(webcrm: Setup) -> None:
    webcrm.emulator.seed("Users", {"UserName": "Ada"})
    webcrm.emulator.fail_next("/Users", 1, status=429)
    answer = raw("GET", "Users")
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "14"
    assert answer.json() == {"RetryAfterSeconds": 14, "Message": THROTTLE_MESSAGE,
                             "Type": "TooManyRequestsException"}

    webcrm.emulator.retry_after_seconds = 3
    webcrm.emulator.fail_next("/Users", 2, status=429)
    assert [u["UserName"] for u in webcrm.connector.list_all(USERS)] == ["Ada"]
    assert webcrm.sleeps == [3.0, 3.0]


def test_server_errors_and_timeouts_are_retried(webcrm: Setup) -> None:
    webcrm.emulator.seed("Opportunities", {"OpportunityDescription": "Deal"})
    webcrm.emulator.fail_next("/Opportunities", 1, status=500)
    webcrm.emulator.fail_next("/Opportunities", 1, status=503)
    webcrm.emulator.timeout_next("/Opportunities", 1)
    listed = list(webcrm.connector.list_all(OPPORTUNITIES))
    assert [o["OpportunityDescription"] for o in listed] == ["Deal"]
    assert len(webcrm.sleeps) == 3


def test_no_token_is_an_auth_error() -> None:
    for setup in make_setup(token=None):
        answer = raw("GET", "Organisations", token=None)
        assert answer.status_code == 401 and answer.headers["WWW-Authenticate"] == "Bearer"
        with pytest.raises(AuthError) as caught:
            list(setup.connector.list_all(ORGANISATIONS))
        assert caught.value.status == 401
        assert "bearer token" in str(caught.value) and "TALK_WEBCRM_TOKEN" in str(caught.value)


def test_dropped_create_is_not_sent_twice(webcrm: Setup) -> None:
    """The server applied the POST but the answer never came: AmbiguousWrite, one record."""
    webcrm.emulator.drop_after_write("/Products", 1, method="POST")
    with pytest.raises(AmbiguousWrite):
        webcrm.connector.create(PRODUCTS, {"ProductPrice": 5})
    assert [p["ProductPrice"] for p in webcrm.emulator.records("Products")] == [5.0]
    assert len(webcrm.emulator.writes()) == 1


def test_dropped_put_is_retried_harmlessly(webcrm: Setup) -> None:
    stored = webcrm.emulator.seed("Persons", {"PersonFirstName": "Ada"})
    webcrm.emulator.drop_after_write("/Persons", 1, method="PUT")
    webcrm.connector.update(PERSONS, str(stored["PersonId"]), {"PersonLastName": "Lovelace"})
    after = webcrm.emulator.record("Persons", stored["PersonId"])
    assert (after["PersonFirstName"], after["PersonLastName"]) == ("Ada", "Lovelace")
    assert [r.method for r in webcrm.emulator.writes()] == ["PUT", "PUT"]
