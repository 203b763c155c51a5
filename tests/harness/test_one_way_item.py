"""Two rows read one source field into two target fields: the item of an edit in the target
says which row carries the edit back and which one is one-way, as `talk lint` does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from project import make_project

pytest_plugins = ["pytester"]

DOCUMENT = """\
============================
Mycrm to Othercrm Dataflow
============================

Generated: 2024-10-02 09:20:11

Mycrm Person to Othercrm Contact
--------------------------------
Every Mycrm Person will be synchronized with a Othercrm Contact.

{keep}

The following properties are synchronized between a Mycrm Person and a Othercrm Contact:

.. list-table::
   :header-rows: 1

   * - Mycrm Person Property
     - Othercrm Contact Property
     - Othercrm Data Type
   * - age
     - properties.age
     - "integer"
   * - age
     - properties.agetext
     - "string"
""".format(keep="Once a link between a Mycrm Person and a Othercrm Contact is established, "
                "it will keep in sync between the two systems, regardless of where it is "
                "edited.")


def test_the_edit_in_target_item_names_the_one_way_row(pytester: pytest.Pytester,
                                                       tmp_path: Path) -> None:
    document = tmp_path / "mycrm-to-othercrm.rst"
    document.write_text(DOCUMENT, "utf-8")
    make_project(pytester.path, [document])
    pytester.runpytest("features", "-p", "no:randomly")
    results = json.loads((pytester.path / "reports" / "results.json").read_text("utf-8"))
    items = {item["kind"]: item for section in results["documents"][0]["sections"]
             for item in section["items"]}
    edit = items["edited_in_target"]
    assert edit["status"] == "passed", edit
    assert edit["message"] == (
        "dataflows/mycrm-to-othercrm.rst line 24 (age -> properties.agetext) is one-way: "
        "line 21 (age -> properties.age) carries age back")
    assert items["edited_in_source"]["message"] == ""


def test_the_rows_of_a_document_set_are_found_once(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Every item of a document asks for its one-way rows: the document set's rows are
    worked out once, and again for another set."""
    from talk.dataflow import row_lint
    from talk.dataflow.parser import parse_file
    from talk.harness import competing

    calls: list[int] = []

    def counted(dataflows: list[object]) -> object:
        calls.append(len(dataflows))
        return row_lint.returning_rows(dataflows)  # type: ignore[arg-type]

    monkeypatch.setattr(competing, "returning_rows", counted)
    document = tmp_path / "mycrm-to-othercrm.rst"
    document.write_text(DOCUMENT, "utf-8")
    dataflow = parse_file(document)
    section = dataflow.unique_sections[0]
    notes = {competing.one_way_note([dataflow], section, "age") for _ in range(5)}
    assert calls == [1]
    assert notes == {"line 24 (age -> properties.agetext) is one-way: line 21 "
                     "(age -> properties.age) carries age back"}
    again = parse_file(document)  # another parse: another set, found anew
    competing.one_way_note([again], again.unique_sections[0], "age")
    assert calls == [1, 1]
    for _ in range(100):  # what is kept stays bounded, however many documents a run has
        other = parse_file(document)
        competing.one_way_note([other], other.unique_sections[0], "age")
    assert len(competing._FOUND) <= 64
