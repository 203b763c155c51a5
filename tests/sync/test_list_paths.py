"""A dotted path through a list (`line_items.sku`) names a field of the list's first
element, on the way back as on the way there: an edit is merged into that element, never
sent as an object that replaces the list."""

from __future__ import annotations

from talk.sync.emulated import EmulatedSystems
from talk.sync.store import SqliteLinkStore

from .documents import one_section
from .helpers import run_sync


def test_an_edit_flows_back_into_the_first_element_of_a_list() -> None:
    documents = one_section("shop-crm", "Shop Order", "Crm Quote",
                            [("line_items.sku", "Code", '"string"')])
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        shop, crm = systems.emulator("Shop"), systems.emulator("Crm")
        shop.seed("Order", {"line_items": [{"sku": "A-1", "quantity": 2}, {"sku": "B-2"}]})
        run_sync(documents, systems, store)
        quote = crm.records("Quote")[0]
        crm.edit("Quote", quote["id"], {"Code": "A-9"})
        back = run_sync(documents, systems, store)
        again = run_sync(documents, systems, store)
        order = shop.records("Order")[0]
    assert order["line_items"] == [{"sku": "A-9", "quantity": 2}, {"sku": "B-2"}]
    assert back.failed == 0 and again.writes == 0


def test_a_path_into_a_field_described_as_an_array_creates_a_list() -> None:
    # WooCommerce's description declares an order's line_items an array: a create built
    # from `line_items.sku` sends a one-element list, which the emulation's schema accepts
    documents = one_section("crm-woocommerce", "Crm Quote", "Woocommerce Order",
                            [("Code", "line_items.sku", '"string"')])
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        systems.emulator("Crm").seed("Quote", {"Code": "A-1"})
        first = run_sync(documents, systems, store)
        orders = systems.emulator("Woocommerce").records("orders")
    assert first.failed == 0
    assert [order["line_items"] for order in orders] == [[{"sku": "A-1"}]]
