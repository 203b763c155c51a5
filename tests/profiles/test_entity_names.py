"""Document names of entities map to the descriptions' collections (case, plural, spacing)
and through the small alias table; every alias names an entity that exists."""

from __future__ import annotations

import pytest

from talk.systems.registry import ENTITY_ALIASES, profile_for, resolve_entity


def test_every_alias_names_an_existing_entity() -> None:
    for system, aliases in ENTITY_ALIASES.items():
        profile = profile_for(system)
        for alias, target in aliases.items():
            assert target in profile.entities, (system, alias)
            assert resolve_entity(profile, alias).name == target


@pytest.mark.parametrize(("system", "name", "resource"), [
    ("Tripletex", "Customer (human data)", "customer"),
    ("Tripletex", "Order lines", "order/orderline"),
    ("Business Central", "Salesorderlines", "salesOrderLines"),
    ("Business Central", "Customers (organisation data)", "customers"),
    ("difi", "Enheter", "enheter"),
    ("Exact Online", "Order Lines", "salesorder/SalesOrderLines"),
    ("Exact Online", "Sales Order Lines", "salesorder/SalesOrderLines"),
    ("Trello", "Boards", "boards"),
    ("WooCommerce", "Order", "orders"),
    ("Shopify", "Customer", "admin/api/2021-10/customers.json"),
])
def test_document_names_find_the_described_collection(system: str, name: str,
                                                      resource: str) -> None:
    entity = resolve_entity(profile_for(system), name)
    assert (entity.resource, entity.unsupported) == (resource, None)


def test_a_name_no_description_has_is_reported_not_emulated_generically() -> None:
    entity = resolve_entity(profile_for("Shopify"), "Inventoryitem")
    assert not entity.generic and entity.unsupported is not None
    assert "Shopify Admin API 2021-10 (shopify-admin-2021-10.openapi.yaml)" in entity.unsupported
