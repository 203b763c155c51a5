"""Exact Online and WebCRM serve every entity their API descriptions have, in their style;
a name the API does not have is `unsupported`, never an emulator 404."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from talk.connectors import connector_for
from talk.connectors.base import RetryPolicy
from talk.emulator import emulator_for
from talk.emulator.mock import serving
from talk.systems.registry import profile_for, resolve_entity

EXACT_BASE = "https://exact.emulated/api/v1/1234"
WEBCRM_BASE = "https://webcrm.emulated"
EXACT = profile_for("Exact Online")
WEBCRM = profile_for("WebCRM")
AUTH = {"Authorization": "Bearer token", "Accept": "application/json"}


@pytest.fixture
def served() -> Iterator[None]:
    with serving(emulator_for(EXACT, EXACT_BASE), emulator_for(WEBCRM, WEBCRM_BASE)):
        yield


@pytest.mark.parametrize(("name", "resource"), [
    ("Salesorderlines", "salesorder/SalesOrderLines"),
    ("Salesorders", "salesorder/SalesOrders"),
    ("Addresses", "crm/Addresses"),
    ("Quotations", "crm/Quotations"),
    ("Items", "logistics/Items"),
    ("Salesinvoices", "salesinvoice/SalesInvoices"),
    ("Employees", "payroll/Employees"),
    ("Departments", "hrm/Departments"),
    ("Divisions", "system/Divisions"),
    ("Currencies", "general/Currencies"),
    ("Vatcodes", "vat/VATCodes"),
    ("Units", "logistics/Units"),
    ("Opportunities", "crm/Opportunities"),
])
def test_document_names_find_exact_entity_sets(name: str, resource: str) -> None:
    entity = resolve_entity(EXACT, name)
    assert (entity.resource, entity.unsupported, entity.generic) == (resource, None, False)
    assert "exact-online-rest-2022.metadata.json" in entity.source  # where its facts come from


@pytest.mark.parametrize("name", ["QuotationLines", "Quotationline", "Deliveries",
                                  "Activities", "Persons"])
def test_document_names_find_webcrm_entities(name: str) -> None:
    entity = resolve_entity(WEBCRM, name)
    assert entity.unsupported is None and not entity.generic
    assert entity.resource.lower().startswith(name.lower().rstrip("s")[:8])


def test_a_name_the_api_does_not_have_is_unsupported_with_the_reason() -> None:
    entity = resolve_entity(EXACT, "Spaceships")
    assert entity.unsupported is not None
    assert "Exact Online has no entity 'Spaceships'" in entity.unsupported
    assert "REST API reference" in entity.unsupported
    assert not entity.can_create and not entity.can_read


@pytest.mark.usefixtures("served")
@pytest.mark.parametrize("name", ["Addresses", "Salesorderlines", "Quotations", "Items"])
def test_exact_creates_lists_and_reads_entity_sets_beyond_accounts(name: str) -> None:
    entity = resolve_entity(EXACT, name)
    connector = connector_for(EXACT, EXACT_BASE, "token", retry=RetryPolicy(sleep=lambda s: None))
    writable = sorted(n for n, t in entity.field_types.items()
                      if t.value == "string" and not entity.not_writable(n, creating=True))
    created = connector.create(entity, {writable[0]: "written"})
    key = str(created[entity.id_field])
    assert created[writable[0]] == "written"
    assert [r[entity.id_field] for r in connector.list_all(entity)] == [key]
    read = connector.get(entity, key)
    assert read is not None and read[writable[0]] == "written"


@pytest.mark.usefixtures("served")
def test_exact_answers_405_where_the_reference_has_no_such_method() -> None:
    # Currencies: GET only in the reference.
    answer = requests.post(f"{EXACT_BASE}/general/Currencies", json={"Code": "EUR"},
                           headers=AUTH, timeout=5)
    assert answer.status_code == 405
    assert "does not support http method 'POST'" in answer.json()["error"]["message"]["value"]


@pytest.mark.usefixtures("served")
def test_exact_ignores_fields_the_reference_marks_read_only() -> None:
    entity = resolve_entity(EXACT, "Addresses")
    assert "AccountName" in entity.read_only  # get only in the reference
    answer = requests.post(f"{EXACT_BASE}/crm/Addresses", headers={
        **AUTH, "Prefer": "return=representation"},
        json={"AddressLine1": "Main 1", "AccountName": "not mine"}, timeout=5)
    body: dict[str, Any] = answer.json()["d"]
    assert answer.status_code == 201 and body["AccountName"] is None
    assert body["AddressLine1"] == "Main 1"


@pytest.mark.usefixtures("served")
@pytest.mark.parametrize("name", ["QuotationLines", "Deliveries", "Activities"])
def test_webcrm_creates_lists_and_reads_more_than_five_entities(name: str) -> None:
    entity = resolve_entity(WEBCRM, name)
    connector = connector_for(WEBCRM, WEBCRM_BASE, "token",
                              retry=RetryPolicy(sleep=lambda s: None))
    prefix = entity.id_field.removesuffix("Id")
    field = next(n for n in (f"{prefix}Comment", f"{prefix}Description", f"{prefix}Memo")
                 if n in entity.field_types)
    created = connector.create(entity, {field: "hello"})
    key = str(created[entity.id_field])
    assert [str(r[entity.id_field]) for r in connector.list_all(entity)] == [key]
    read = connector.get(entity, key)
    assert read is not None and read[field] == "hello"


@pytest.mark.usefixtures("served")
def test_webcrm_read_only_entities_refuse_posts_with_405() -> None:
    answer = requests.post(f"{WEBCRM_BASE}/Budgets", json={}, headers=AUTH, timeout=5)
    assert answer.status_code == 405 and answer.headers["Allow"] == "GET"
