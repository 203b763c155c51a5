"""A record that fails names why and where: the row (document, line, source -> target
property) whose value could not be carried, not only the record."""

from __future__ import annotations

from talk.sync.emulated import EmulatedSystems
from talk.sync.store import SqliteLinkStore

from .documents import dataflow, section
from .helpers import run_sync


def test_a_value_a_row_cannot_carry_names_the_row() -> None:
    documents = [dataflow("customerp-to-keap-types", "CustomERP", "Keap",
                          section("Custom Customer", "Keap Companies",
                                  [("name", "company_name", '"string"'),
                                   ("active", "notes", '"integer"')]))]
    row = documents[0].sections[0].properties[1]
    with EmulatedSystems(documents) as systems:
        systems.emulator("Customerp").seed("Customer", {"name": "Acme", "active": False})
        report = run_sync(documents, systems, SqliteLinkStore(":memory:"))
    [failure] = [d for d in report.details if d.kind == "failure"]
    assert failure.message.startswith(
        f"customerp-to-keap-types.rst:{row.line}: active -> notes: cannot convert false")
    assert failure.property == "notes"
    assert failure.data == {"line": row.line, "source_property": "active",
                            "target_property": "notes"}
