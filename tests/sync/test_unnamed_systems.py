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
