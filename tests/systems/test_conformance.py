"""The Keap and WebCRM emulators answer what the published API descriptions describe.

Each answer (list, read, create, and Keap's products/sync) is validated with jsonschema
against the schema the description gives for that operation and status code, so an
undocumented status code fails too. The descriptions live outside the repository
(`../shared/specs`); without them these tests are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from jsonschema import Draft4Validator

from talk.emulator import emulator_for
from talk.emulator.base import Emulator
from talk.emulator.mock import serving
from talk.systems.registry import profile_for

SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "specs"
SKIP_REASON = ("../shared/specs not found: API-description conformance needs the published "
               "descriptions")
KEAP_BASE = "https://keap.emulated/crm/rest/v1"
WEBCRM_BASE = "https://webcrm.emulated"
HEADERS = {"Authorization": "Bearer token"}

Spec = dict[str, Any]


def _load(name: str) -> Spec:
    path = SPECS / name
    if not path.is_file():
        pytest.skip(SKIP_REASON)
    text = path.read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
    loaded: Spec = yaml.load(text, Loader=loader) if name.endswith(".yml") else json.loads(text)
    return loaded


@pytest.fixture(scope="module")
def keap_spec() -> Spec:
    return _load("keap-v1.openapi.yml")


@pytest.fixture(scope="module")
def webcrm_spec() -> Spec:
    return _load("webcrm-v1.swagger.json")


def _serve(key: str, base: str) -> Iterator[Emulator]:
    emulator = emulator_for(profile_for(key), base)
    with serving(emulator):
        yield emulator


@pytest.fixture
def keap() -> Iterator[Emulator]:
    yield from _serve("keap", KEAP_BASE)


@pytest.fixture
def webcrm() -> Iterator[Emulator]:
    yield from _serve("webcrm", WEBCRM_BASE)


def assert_valid(instance: Any, schema: Spec, spec: Spec, what: str) -> None:
    """Validate against a schema of the description, its `$ref`s resolved in the document."""
    container = "components" if "components" in spec else "definitions"
    validator = Draft4Validator({**schema, container: spec[container]})
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
                for e in validator.iter_errors(instance)]
    assert not problems, f"{what} does not match the description:\n" + "\n".join(problems)


def keap_schema(spec: Spec, path: str, method: str, status: int) -> Spec:
    responses_ = spec["paths"][path][method]["responses"]
    assert status in responses_ or str(status) in responses_, (
        f"{method.upper()} {path} answered {status}, which the description does not list")
    answer = responses_.get(status) or responses_[str(status)]
    schema: Spec = answer["content"]["application/json"]["schema"]
    return schema


def webcrm_schema(spec: Spec, path: str, method: str) -> Spec:
    schema: Spec = spec["paths"][path][method]["responses"]["200"].get("schema") or {}
    return schema


def call(method: str, url: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, url, headers=HEADERS, timeout=5, **kwargs)


# -- Keap -------------------------------------------------------------------------------------

# Rich create bodies; some values are sent as the other JSON type to exercise conversion.
KEAP_CREATES: dict[str, tuple[str, dict[str, Any]]] = {
    "contacts": ("/contacts", {
        "given_name": "Ada", "family_name": "Lovelace", "job_title": "Engineer",
        "email_addresses": [{"email": "ada@example.com", "field": "EMAIL1"}],
        "phone_numbers": [{"number": "555", "field": "PHONE1"}],
        "company": {"id": "12"}, "owner_id": "3", "birthday": "1815-12-10T00:00:00Z",
        "addresses": [{"field": "BILLING", "line1": "1 Main St", "country_code": "GBR"}],
        "email_opted_in": "true"}),
    "companies": ("/companies", {
        "company_name": "Acme", "email_address": "info@acme.example", "website": "acme.example",
        "phone_number": {"number": 5551234, "type": "Work"}, "notes": "Key account",
        "address": {"line1": "1 Main St", "zip_code": 12345, "country_code": "USA"}}),
    "opportunities": ("/opportunities", {
        "opportunity_title": "Big deal", "contact": {"id": "1", "first_name": "Ada"},
        "stage": {"id": 2, "name": "Qualified"}, "projected_revenue_high": "1000.5",
        "projected_revenue_low": 500, "estimated_close_date": "2024-06-01T00:00:00Z",
        "include_in_forecast": 1}),
    "products": ("/products", {
        "product_name": "Widget", "product_price": "12.5", "sku": 1001, "active": True,
        "product_desc": "A widget", "product_short_desc": "Widget", "subscription_only": False}),
    "users": ("/users", {"email": "una@example.com", "given_name": "Una", "partner": False}),
}
KEAP_ITEM_PATHS = {"contacts": None, "companies": "/companies/{companyId}",
                   "opportunities": "/opportunities/{opportunityId}",
                   "products": "/products/{productId}", "users": None}


@pytest.mark.parametrize("resource", list(KEAP_CREATES))
def test_keap_answers_match_the_description(keap_spec: Spec, keap: Emulator,
                                            resource: str) -> None:
    path, body = KEAP_CREATES[resource]
    created = call("POST", f"{KEAP_BASE}{path}", json=body)
    assert_valid(created.json(), keap_schema(keap_spec, path, "post", created.status_code),
                 keap_spec, f"POST {path}")
    record_id = created.json()["id"]

    listed = call("GET", f"{KEAP_BASE}{path}", params={"limit": 10})
    assert listed.json()[resource] and listed.json()["count"] == 1
    assert_valid(listed.json(), keap_schema(keap_spec, path, "get", listed.status_code),
                 keap_spec, f"GET {path}")

    item_path = KEAP_ITEM_PATHS[resource]
    if resource == "contacts":  # v1 serves GET /contacts/{id}; the description omits it
        read = call("GET", f"{KEAP_BASE}/contacts/{record_id}",
                    params={"optional_properties": "job_title"})
        schema = {"$ref": "#/components/schemas/FullContact"}
    elif item_path is not None:
        read = call("GET", f"{KEAP_BASE}{path}/{record_id}")
        schema = keap_schema(keap_spec, item_path, "get", read.status_code)
    else:  # users: no read by id in v1
        assert call("GET", f"{KEAP_BASE}{path}/{record_id}").status_code == 404
        return
    assert_valid(read.json(), schema, keap_spec, f"GET {path}/{{id}}")

    if item_path is not None:
        patched = call("PATCH", f"{KEAP_BASE}{path}/{record_id}", json={"notes": "x"}
                       if resource == "companies" else {})
        assert_valid(patched.json(), keap_schema(keap_spec, item_path, "patch",
                                                 patched.status_code),
                     keap_spec, f"PATCH {item_path}")


def test_keap_product_sync_matches_the_description(keap_spec: Spec, keap: Emulator) -> None:
    product = keap.seed("Product", {"product_name": "Widget", "product_price": 3.0,
                                    "active": True})
    keap.seed("Product", {"product_name": "Gadget"})
    first = call("GET", f"{KEAP_BASE}/products/sync").json()
    keap.edit("Product", product["id"], {"product_price": 4.0})
    keap.delete("Product", product["id"])
    later = call("GET", f"{KEAP_BASE}/products/sync",
                 params={"sync_token": first["sync_token"]})
    schema = keap_schema(keap_spec, "/products/sync", "get", later.status_code)
    for answer in (first, later.json()):
        assert_valid(answer, schema, keap_spec, "GET /products/sync")
    assert [s["status"] for s in later.json()["product_statuses"]] == ["DELETED"]


def test_keap_error_answers_match_the_description(keap_spec: Spec, keap: Emulator) -> None:
    error = {"$ref": "#/components/schemas/Error"}
    refused = call("POST", f"{KEAP_BASE}/companies", json={"website": "x"})
    unauthorized = requests.get(f"{KEAP_BASE}/companies", timeout=5)
    missing = call("GET", f"{KEAP_BASE}/companies/999")
    assert (refused.status_code, unauthorized.status_code, missing.status_code) == (
        400, 401, 404)
    for answer in (refused, unauthorized, missing):
        assert_valid(answer.json(), error, keap_spec, f"a {answer.status_code} answer")


# -- WebCRM -----------------------------------------------------------------------------------

WEBCRM_CREATES: dict[str, dict[str, Any]] = {
    "Organisations": {"OrganisationName": "Acme", "OrganisationCity": "Oslo",
                      "OrganisationOwner": "4", "OrganisationNoAds": "false",
                      "OrganisationXDate1": "2024-02-01T10:00:00Z",
                      "OrganisationExtraCustom1": 17},
    "Persons": {"PersonFirstName": "Ada", "PersonLastName": "Lovelace",
                "PersonEmail": "ada@example.com", "PersonOrganisationId": 1,
                "PersonStatus": "Active", "PersonCheckMark1": True},
    "Opportunities": {"OpportunityDescription": "Big deal", "OpportunityOrderValue": "1000.5",
                      "OpportunityLevel": 2, "OpportunityCurrencyName": "NOK",
                      "OpportunityWinYesNo": 1},
    "Products": {"ProductPrice": "12.5", "ProductListPrice": 15, "ProductQuantity": "2",
                 "ProductVatCode": 25, "ProductComment": "A widget"},
    "Users": {"UserName": "Una", "UserEmail": "una@example.com", "UserTitle": "Seller",
              "UserGroupId": "3", "UserIsRestApiEnabled": "True"},
}


@pytest.mark.parametrize("resource", list(WEBCRM_CREATES))
def test_webcrm_answers_match_the_description(webcrm_spec: Spec, webcrm: Emulator,
                                              resource: str) -> None:
    collection, item = f"/{resource}", f"/{resource}/{{id}}"
    created = call("POST", f"{WEBCRM_BASE}{collection}", json=WEBCRM_CREATES[resource])
    assert created.status_code == 200
    # docs/design.md#answers-to-writes: the new id for every entity (Organisations and Users
    # declare no body).
    new_id = created.json()
    assert_valid(new_id, webcrm_schema(webcrm_spec, collection, "post") or {"type": "integer"},
                 webcrm_spec, f"POST {collection}")

    listed = call("GET", f"{WEBCRM_BASE}{collection}", params={"Page": 1, "Size": 10})
    assert listed.status_code == 200 and len(listed.json()) == 1
    assert_valid(listed.json(), webcrm_schema(webcrm_spec, collection, "get"), webcrm_spec,
                 f"GET {collection}")

    read = call("GET", f"{WEBCRM_BASE}{collection}/{new_id}")
    assert read.status_code == 200
    assert_valid(read.json(), webcrm_schema(webcrm_spec, item, "get"), webcrm_spec,
                 f"GET {item}")

    patched = call("PATCH", f"{WEBCRM_BASE}{collection}", json=[read.json(), {}])
    assert patched.status_code == 200
    assert_valid(patched.json(), webcrm_schema(webcrm_spec, collection, "patch"), webcrm_spec,
                 f"PATCH {collection}")


def test_webcrm_update_date_read_matches_the_description(webcrm_spec: Spec,
                                                          webcrm: Emulator) -> None:
    webcrm.seed("Organisations", {"OrganisationName": "Acme"})
    path = "/Organisations/FindByUpdateDates/{startDate}/{endDate}"
    answer = call("GET", f"{WEBCRM_BASE}/Organisations/FindByUpdateDates/"
                         "2020-01-01T00:00:00Z/2030-01-01T00:00:00Z")
    assert answer.status_code == 200 and len(answer.json()) == 1
    assert_valid(answer.json(), webcrm_schema(webcrm_spec, path, "get"), webcrm_spec,
                 f"GET {path}")
