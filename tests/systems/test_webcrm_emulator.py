"""The WebCRM v1 emulator's own API: routing, refusals, model-state errors, determinism."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from talk.emulator import emulator_for
from talk.emulator.mock import serving
from talk.emulator.webcrm import BadRequest, WebcrmEmulator, convert_like_json_net
from talk.systems.registry import profile_for, resolve_entity

BASE = "https://webcrm.emulated"
PROFILE = profile_for("webcrm")


@pytest.fixture
def emulator() -> Iterator[WebcrmEmulator]:
    emulator = emulator_for(PROFILE, BASE)
    assert isinstance(emulator, WebcrmEmulator)
    with serving(emulator):
        yield emulator


def call(method: str, path: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, f"{BASE}/{path}", headers={"Authorization": "Bearer t"},
                            timeout=5, **kwargs)


def test_routes_ignore_case_as_aspnet_does(emulator: WebcrmEmulator) -> None:
    stored = emulator.seed("Organisations", {"OrganisationName": "Acme"})
    assert call("GET", f"organisations/{stored['OrganisationId']}").json() == stored
    assert call("GET", "ORGANISATIONS").json() == [stored]


def test_unknown_routes_and_methods(emulator: WebcrmEmulator) -> None:
    assert call("GET", "Invoices").status_code == 404
    assert call("GET", "Persons/abc").status_code == 404
    assert call("GET", "Persons/1").status_code == 404
    refused = call("POST", "Persons/1", json={})
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET, PUT"
    assert call("DELETE", "Persons").status_code == 405
    assert call("PUT", "Products/1", json={}).status_code == 404


def test_paging_parameters_are_validated_with_model_state(emulator: WebcrmEmulator) -> None:
    zero = call("GET", "Persons", params={"Page": 0})
    assert zero.status_code == 400
    assert zero.json() == {"Page": ["The field Page must be between 1 and 1000000."]}
    assert call("GET", "Persons", params={"Size": "many"}).status_code == 400


def test_a_bad_item_fails_the_whole_patch(emulator: WebcrmEmulator) -> None:
    answer = call("PATCH", "Products", json=[{"ProductPrice": 1}, {"ProductPrice": "x"}])
    assert answer.status_code == 400 and "ProductPrice" in answer.json()
    assert emulator.records("Products") == []
    assert call("PATCH", "Products", json={"ProductPrice": 1}).status_code == 400


def test_put_null_clears_a_field_and_keeps_the_id(emulator: WebcrmEmulator) -> None:
    stored = emulator.seed("Persons", {"PersonFirstName": "Ada", "PersonTitle": "Dr"})
    key = stored["PersonId"]
    call("PUT", f"Persons/{key}", json={"PersonId": 999, "PersonFirstName": "Ada",
                                         "PersonTitle": None})
    after = emulator.record("Persons", key)
    assert after["PersonId"] == key and "PersonTitle" not in after
    assert after["PersonFirstName"] == "Ada"


def test_find_by_create_dates(emulator: WebcrmEmulator) -> None:
    first = emulator.seed("Opportunities", {"OpportunityDescription": "A"})
    emulator.seed("Opportunities", {"OpportunityDescription": "B"})
    emulator.edit("Opportunities", first["OpportunityId"], {"OpportunityLevel": 3})
    created = call("GET", "Opportunities/FindByCreateDates/"
                          f"2020-01-01T00:00:00Z/{first['OpportunityCreatedAt']}").json()
    assert created == []
    created = call("GET", "Opportunities/FindByCreateDates/"
                          f"{first['OpportunityCreatedAt']}/2030-01-01T00:00:00Z").json()
    assert [o["OpportunityDescription"] for o in created] == ["A", "B"]
    bad = call("GET", "Organisations/FindByUpdateDates/soon/later")
    assert bad.status_code == 400 and "startDate" in bad.json()


def test_unauthorized_and_wrong_token() -> None:
    emulator = emulator_for(PROFILE, BASE, token="secret")
    with serving(emulator):
        assert call("GET", "Users").status_code == 401  # "t" is not the configured token
        accepted = requests.get(f"{BASE}/Users", headers={"Authorization": "Bearer secret"},
                                timeout=5)
        assert accepted.status_code == 200 and accepted.json() == []


def test_ids_and_timestamps_are_deterministic() -> None:
    def run() -> list[dict[str, Any]]:
        emulator = emulator_for(PROFILE, BASE, id_seed=500)
        return [emulator.seed("Products", {"ProductPrice": i}) for i in range(2)]

    first, second = run(), run()
    assert first == second
    assert [p["ProductId"] for p in first] == [501, 502]
    assert first[0]["ProductUpdatedAt"] == "2024-01-01T00:00:01Z"


# -- Json.NET's conversions (docs/design.md#api-types), as properties ----------------------------

PRODUCTS = resolve_entity(PROFILE, "Products")
INT32 = st.integers(min_value=-(2**31), max_value=2**31 - 1)


@settings(max_examples=60, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_numeric_string_for_a_double_is_stored_as_that_number(value: float) -> None:
    converted = convert_like_json_net(PRODUCTS, {"ProductPrice": repr(value)})
    assert converted == {"ProductPrice": value}


@settings(max_examples=60, deadline=None)
@given(INT32)
def test_int32_values_round_trip_through_integer_and_string_fields(value: int) -> None:
    converted = convert_like_json_net(PRODUCTS, {"ProductSortOrder": str(value),
                                                 "ProductComment": value})
    assert converted == {"ProductSortOrder": value, "ProductComment": str(value)}


@settings(max_examples=30, deadline=None)
@given(st.one_of(st.integers(min_value=2**31), st.integers(max_value=-(2**31) - 1)))
def test_integers_beyond_int32_are_refused(value: int) -> None:
    with pytest.raises(BadRequest) as caught:
        convert_like_json_net(PRODUCTS, {"ProductSortOrder": value})
    assert "Int32" in caught.value.errors["ProductSortOrder"][0]
