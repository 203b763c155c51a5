"""A section naming no system (a blank system name, as real documents have) is skipped
with a reason instead of stopping the run."""

from __future__ import annotations

from talk.sync.emulated import EmulatedSystems
from talk.sync.seed import seed_samples
from talk.sync.store import SqliteLinkStore

from .documents import dataflow, section
from .helpers import run_sync

ROWS = [("name", "name", '"string"')]


def test_a_section_without_a_target_system_is_skipped_with_its_reason() -> None:
    documents = [dataflow("freshteam-to-blank", "Freshteam", "",
                          section("Freshteam Employee", " Inventory", ROWS),
                          section("Freshteam Employee", "Zendesk Users", ROWS))]
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        seed_samples(systems, documents)
        report = run_sync(documents, systems, store)
        second = run_sync(documents, systems, store)
    skipped = [d for d in report.details if d.kind == "skipped"]
    assert [(d.line, d.entity) for d in skipped] == [(12, "Inventory")]
    assert "names no system" in skipped[0].message
    assert report.for_section("freshteam-to-blank", 12) is not None  # shown, not dropped
    named = report.for_section("freshteam-to-blank", 31)
    assert named is not None and named.created == 3 and named.failed == 0
    assert second.writes == 0


def test_a_heading_side_without_a_system_label_is_skipped_as_lint_warns() -> None:
    """The title names WebCRM, but `Custom Product to  Products` does not: lint warns that
    'Products' names no system, so the sync must not create WebCRM Products for it."""
    documents = [dataflow("customerp-to-webcrm-blank", "CustomERP", "WebCRM",
                          section("Custom Customer", "Webcrm Organisations",
                                  [("name", "OrganisationName", '"string"')]),
                          section("Custom Product", " Products", ROWS))]
    assert any("'Products' names no system" in f.message for f in documents[0].findings)
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        seed_samples(systems, documents)
        report = run_sync(documents, systems, store)
        made = systems.emulator("WebCRM").records("Products")
    assert made == []
    skipped = [d for d in report.details if d.kind == "skipped"]
    assert [(d.line, d.entity) for d in skipped] == [(31, "Products")]
    named = report.for_section("customerp-to-webcrm-blank", 12)
    assert named is not None and named.created == 3
