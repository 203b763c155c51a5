"""Per system with a published description: what the emulator answers to a create and to a
read of its main entity validates against the response schema the description itself
declares (envelope, types, formats, required fields), resolved with `referencing`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import requests
from jsonschema import Draft202012Validator

from talk.emulator import emulator_for
from talk.emulator.mock import serving
from talk.profiles.shapes import record_url_path, unwrap, wrap
from talk.sync.emulated import base_path
from talk.systems.registry import profile_for, resolve_entity

from .spec_schemas import SPECS, entity_type_validator, exact_validator, response_validator

# Exact answers a create in full only when asked to (its default is the key alone).
AUTH = {"Authorization": "Bearer token", "Accept": "application/json",
        "Prefer": "return=representation"}

pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason="../shared/specs is absent")


@dataclass(frozen=True)
class Case:
    system: str
    entity: str
    spec: str
    collection: str | None  # the description's path of a create (POST); None: read-only
    record: str  # the description's path of a read (GET); an entity set or endpoint name
    body: dict[str, Any]
    create_declared: bool = True  # the description declares the create's answer

    def __str__(self) -> str:
        return f"{self.system} {self.entity}"

    def validators(self) -> tuple[Draft202012Validator | None, Draft202012Validator]:
        """What the description declares for the create's answer (None: nothing) and the
        read's."""
        if self.spec.endswith(".xml"):  # OData: both answers are the entity type
            entity = entity_type_validator(self.spec, self.record)
            return entity, entity
        if self.spec.startswith("exact"):  # the REST reference: GET's properties
            entity = exact_validator(self.spec, self.record)
            return entity, entity
        create = response_validator(self.spec, "POST", self.collection) \
            if self.collection and self.create_declared else None
        return create, response_validator(self.spec, "GET", self.record)


CASES = [
    Case("Business Central", "customers", "businesscentral-v2.0.metadata.xml", "customers",
         "customers", {"displayName": "Acme", "email": "post@acme.no"}),
    Case("difi", "enheter", "enhetsregisteret.openapi.json", None,
         "/enheter/{organisasjonsnummer}", {"navn": "ACME AS"}),
    Case("Tripletex", "customer", "tripletex-v2.openapi.json", "/customer", "/customer/{id}",
         {"name": "Acme", "email": "post@acme.no"}),
    Case("Freshteam", "employees", "freshteam-v1.swagger.json", "/employees",
         "/employees/{id}", {"first_name": "Ada", "last_name": "Lovelace",
                             "official_email": "ada@acme.no", "role_ids": [1]}),
    Case("Asana", "tasks", "asana-v1.openapi.yaml", "/tasks", "/tasks/{task_gid}",
         {"name": "Write the checklist", "notes": "per system"}),
    Case("Trello", "cards", "trello-v1.openapi.json", "/cards", "/cards/{id}",
         {"name": "Write the checklist", "idList": "5abbe4b7ddc1b351ef961414"}),
    Case("Wikidata", "items", "wikibase-rest-v1.openapi.json", "/v1/entities/items",
         "/v1/entities/items/{item_id}", {"item": {"labels": {"en": "Acme"}}}),
    Case("WooCommerce", "customers", "woocommerce-v3.openapi.yaml", "/customers",
         "/customers/{customerId}", {"email": "ada@acme.no", "first_name": "Ada"}),
    Case("WooCommerce", "products", "woocommerce-v3.openapi.yaml", "/products",
         "/products/{productId}", {"name": "Widget", "regular_price": "9.90"}),
    Case("Shopify", "customers", "shopify-admin-2021-10.openapi.yaml",
         "/admin/api/2021-10/customers.json", "/admin/api/2021-10/customers/{customer_id}.json",
         {"first_name": "Ada", "email": "ada@acme.no"}),
    Case("Exact Online", "Accounts", "exact-online-rest-2022.metadata.json", "Accounts",
         "Accounts", {"Name": "Acme", "Email": "post@acme.no"}),
    Case("Keap", "Companies", "keap-v1.openapi.yml", "/companies", "/companies/{companyId}",
         {"company_name": "Acme"}),
    Case("WebCRM", "Organisations", "webcrm-v1.swagger.json", "/Organisations",
         "/Organisations/{id}", {"OrganisationName": "Acme"}, create_declared=False),
]


def _errors(validator: Draft202012Validator, answer: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in validator.iter_errors(answer)]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_create_then_read_answers_validate_against_the_description(case: Case) -> None:
    profile = profile_for(case.system)
    entity = resolve_entity(profile, case.entity)
    base = f"https://{profile.key}.emulated{base_path(profile)}"
    emulator = emulator_for(profile, base)
    with serving(emulator):
        if case.collection is None:  # a read-only API: its records are the registry's
            answer: Any = emulator.seed(entity.name, case.body)
        else:
            created = requests.post(f"{base}/{entity.resource}", headers=AUTH, timeout=5,
                                    json=wrap(entity.create_key, case.body))
            assert created.status_code in (200, 201), created.text
            answer = created.json()
        record = unwrap(entity.record_key, answer)
        key = str(record[entity.id_field] if isinstance(record, dict) else record)
        read = requests.get(f"{base}/{record_url_path(entity, key)}", headers=AUTH, timeout=5)
        assert read.status_code == 200, read.text
    create, read_validator = case.validators()
    if create is not None:
        assert _errors(create, answer) == []
    assert _errors(read_validator, read.json()) == []


@pytest.mark.parametrize("case", [c for c in CASES if c.spec.endswith(
    (".json", ".yaml", ".yml")) and not c.spec.startswith("exact")], ids=str)
def test_list_answers_validate_where_the_description_declares_them(case: Case) -> None:
    listed = (case.collection or case.record.rsplit("/", 1)[0])
    try:
        validator = response_validator(case.spec, "GET", listed)
    except LookupError:
        pytest.skip(f"{case.spec} declares no list answer of {listed}")
    profile = profile_for(case.system)
    entity = resolve_entity(profile, case.entity)
    if not entity.list_described:
        pytest.skip(f"{case.spec} does not show the list answer of {listed}: its shape is "
                    f"assumed, as `talk profile show` says")
    base = f"https://{profile.key}.emulated{base_path(profile)}"
    emulator = emulator_for(profile, base)
    with serving(emulator):
        for _ in range(2):
            emulator.seed(entity.name, dict(case.body))
        answer = requests.get(f"{base}/{entity.resource}", headers=AUTH, timeout=5)
    assert answer.status_code == 200, answer.text
    assert _errors(validator, answer.json()) == []
