"""A document without sections is in results.json and the HTML index as nothing to check."""

from __future__ import annotations

import pytest
from checklist_project import items, run_checklist
from small_documents import document, section

pytest_plugins = ["pytester"]

INTRODUCTION_ONLY = document("Alpha", "Beta")
ONE_SECTION = document("Alpha", "Beta", section(
    "Alpha Contact", "Beta Customer", [("name", "name", '"string"')]))


def test_a_document_without_sections_is_reported_as_nothing_to_check(
        pytester: pytest.Pytester) -> None:
    results = run_checklist(pytester, {"alpha-beta.rst": ONE_SECTION,
                                       "alpha-nothing.rst": INTRODUCTION_ONLY})
    files = [d["file"] for d in results["documents"]]
    assert files == ["dataflows/alpha-beta.rst", "dataflows/alpha-nothing.rst"]
    alone = [i for i in items(results) if i["file"] == "dataflows/alpha-nothing.rst"]
    assert [(i["kind"], i["status"], i["line"]) for i in alone] == [
        ("no_sections", "not_applicable", 2)]
    assert "nothing to check" in alone[0]["message"]
    assert {k: v for k, v in results["documents"][1]["totals"].items() if v} == {
        "not_applicable": 1}
    index = (pytester.path / "reports" / "index.html").read_text(encoding="utf-8")
    assert "dataflows/alpha-nothing.rst" in index
    assert index.count("nothing to check: the document has no sections") == 1
