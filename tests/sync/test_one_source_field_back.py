"""Two rows reading one source field both carry a target edit back to it: only one value can
stay, so the first row (document order) carries it back and the others are one-way."""

from __future__ import annotations

from talk.dataflow.row_lint import competition_findings
from talk.sync.emulated import EmulatedSystems
from talk.sync.store import SqliteLinkStore

from .documents import one_section
from .helpers import run_sync

ROWS = [("age", "properties.age", '"integer"'), ("age", "properties.agetext", '"boolean"')]


def test_an_edit_in_the_target_goes_back_through_the_first_row_only() -> None:
    documents = one_section("mycrm-hubspot", "Mycrm Person", "Othercrm Contact", ROWS)
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        mycrm = systems.emulator("Mycrm")
        mycrm.seed("Person", {"age": 1})
        run_sync(documents, systems, store)
        other = systems.emulator("Othercrm")
        contact = other.records("Contact")[0]
        other.edit("Contact", other.id_of(other.entity("Contact"), contact),
                   {"properties": {"age": 5, "agetext": False}})
        edited = run_sync(documents, systems, store)
        person = mycrm.records("Person")[0]
        assert run_sync(documents, systems, store).writes == 0
    assert person["age"] == 5
    one_way = [d for d in edited.details if d.kind == "one_way_rows"]
    line = documents[0].sections[0].properties
    assert [d.property for d in one_way] == ["properties.agetext"]
    assert one_way[0].message == (
        f"2 rows write Mycrm Person.age back from different target fields; the sync carries "
        f"properties.age at mycrm-hubspot:{line[0].line} back and leaves "
        f"properties.agetext at mycrm-hubspot:{line[1].line} one-way")


def test_lint_names_both_rows_and_the_one_carried_back() -> None:
    documents = one_section("mycrm-hubspot", "Mycrm Person", "Othercrm Contact", ROWS)
    first, second = (row.line for row in documents[0].sections[0].properties)
    findings = competition_findings(documents)["mycrm-hubspot.rst"]
    assert [(f.line, f.level) for f in findings] == [(first, "warning"), (second, "warning")]
    assert findings[1].message == (
        f"line {second} (age -> properties.agetext) and line {first} (age -> properties.age) "
        f"write Mycrm Person age back from different target fields: only one value can be "
        f"kept (the sync carries the row listed first, by document and line, back: line "
        f"{first} (age -> properties.age); the others are one-way)")


def test_rows_reading_one_field_into_one_target_field_do_not_compete_back() -> None:
    documents = one_section("mycrm-hubspot", "Mycrm Person", "Othercrm Contact",
                            [ROWS[0], ("name", "properties.name", '"string"')])
    assert competition_findings(documents) == {}
