"""Systems emulated from their descriptions: Tripletex, Business Central, Enhetsregisteret
(difi) and Freshteam, each in its own paths, envelopes, paging, errors and operations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from talk.connectors import connector_for
from talk.connectors.base import ApiError, RetryPolicy
from talk.emulator import emulator_for
from talk.emulator.base import Emulator
from talk.emulator.mock import serving
from talk.systems.profile import ApiStyle
from talk.systems.registry import profile_for, resolve_entity

AUTH = {"Authorization": "Bearer token"}


def base(system: str) -> str:
    profile = profile_for(system)
    return f"https://{profile.key}.emulated{profile.base_path}"


@pytest.fixture
def emulators() -> Iterator[dict[str, Emulator]]:
    found = {name: emulator_for(profile_for(name), base(name))
             for name in ("Tripletex", "Business Central", "difi", "Freshteam")}
    with serving(*found.values()):
        yield found


def test_each_system_lives_at_its_described_base_path() -> None:
    paths = {name: profile_for(name).base_path for name in (
        "Tripletex", "Business Central", "difi", "Shopify", "WooCommerce")}
    assert paths == {"Tripletex": "/v2", "Business Central": "/api/v2.0",
                     "difi": "/enhetsregisteret/api", "Shopify": "",
                     "WooCommerce": "/wp-json/wc/v3"}


def test_these_systems_are_described_not_generic() -> None:
    for name in ("Tripletex", "Business Central", "difi", "Freshteam", "Asana", "Trello",
                 "Wikidata", "WooCommerce", "Shopify"):
        profile = profile_for(name)
        assert profile.style is ApiStyle.DESCRIBED and not profile.generic, name
        assert profile.description and profile.assumed


@pytest.mark.usefixtures("emulators")
def test_tripletex_envelopes_paging_create_read_update() -> None:
    url = f"{base('Tripletex')}/customer"
    created = requests.post(url, json={"name": "Acme", "id": 99, "isCustomer": False},
                            headers=AUTH, timeout=5)
    assert created.status_code == 201
    value = created.json()["value"]
    assert value["id"] == 1 and value["name"] == "Acme"  # the id is the server's
    assert "isCustomer" not in value  # read-only in the description: ignored
    for n in range(4):
        requests.post(url, json={"name": f"C{n}"}, headers=AUTH, timeout=5)
    page = requests.get(url, params={"from": 2, "count": 2}, headers=AUTH, timeout=5).json()
    assert (page["fullResultSize"], page["from"], page["count"]) == (5, 2, 2)
    assert [v["name"] for v in page["values"]] == ["C1", "C2"]
    updated = requests.put(f"{url}/1", json={"email": "a@acme.no"}, headers=AUTH, timeout=5)
    assert updated.json()["value"]["email"] == "a@acme.no"
    entity = resolve_entity(profile_for("Tripletex"), "Customer")
    connector = connector_for(profile_for("Tripletex"), base("Tripletex"), "t")
    assert [r["name"] for r in connector.list_all(entity)] == ["Acme", "C0", "C1", "C2", "C3"]


@pytest.mark.usefixtures("emulators")
def test_tripletex_refuses_a_wrong_type_in_its_own_error_shape() -> None:
    answer = requests.post(f"{base('Tripletex')}/customer",
                           json={"name": ["not", "a", "string"], "language": "DE"},
                           headers=AUTH, timeout=5)
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == 15000 and body["status"] == 422
    assert body["validationMessages"] == [{"field": "name", "message": "must be string"}]


@pytest.mark.usefixtures("emulators")
def test_business_central_requires_display_name_and_pages_with_next_link() -> None:
    url = f"{base('Business Central')}/customers"
    refused = requests.post(url, json={"city": "Oslo"}, headers=AUTH, timeout=5)
    assert refused.status_code == 400
    assert refused.json() == {"error": {"code": "BadRequest",
                                        "message": "displayName: is required"}}
    for n in range(150):
        assert requests.post(url, json={"displayName": f"C{n}"}, headers=AUTH,
                             timeout=5).status_code == 201
    first = requests.get(url, headers=AUTH, timeout=5).json()
    assert len(first["value"]) == 100 and "@odata.nextLink" in first
    entity = resolve_entity(profile_for("Business Central"), "Customers")
    connector = connector_for(profile_for("Business Central"), base("Business Central"), "t")
    assert len(list(connector.list_all(entity))) == 150
    key = first["value"][0]["id"]
    assert requests.put(f"{url}({key})", json={}, headers=AUTH, timeout=5).status_code == 405
    patched = requests.patch(f"{url}({key})", json={"city": "Bergen"}, headers=AUTH, timeout=5)
    assert patched.status_code == 200 and patched.json()["city"] == "Bergen"


@pytest.mark.usefixtures("emulators")
def test_enhetsregisteret_is_read_only() -> None:
    answer = requests.post(f"{base('difi')}/enheter", json={"navn": "X"}, headers=AUTH,
                           timeout=5)
    assert answer.status_code == 405 and answer.headers["Allow"] == "GET"
    entity = resolve_entity(profile_for("difi"), "Enheter")
    assert (entity.can_create, entity.can_update, entity.can_read) == (False, False, True)


def test_freshteam_create_needs_its_documented_required_fields(
        emulators: dict[str, Emulator]) -> None:
    entity = resolve_entity(profile_for("Freshteam"), "Employee")
    assert entity.required_on_create == (("first_name",), ("last_name",),
                                         ("official_email",), ("role_ids",))
    connector = connector_for(profile_for("Freshteam"), base("Freshteam"), "t",
                              retry=RetryPolicy(sleep=lambda s: None))
    with pytest.raises(ApiError, match="official_email: is required"):
        connector.create(entity, {"first_name": "Ada", "last_name": "L", "role_ids": [1]})
