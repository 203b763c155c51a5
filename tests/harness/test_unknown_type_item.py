"""A row whose type is no known type: its checklist item says the type is not checked, as
`talk lint` warns on its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from project import REPO, make_project

pytest_plugins = ["pytester"]

KNOWN = REPO / "tests" / "harness" / "data" / "customcrm-to-shopify.rst"


def test_the_item_of_a_row_with_an_unknown_type_says_it_is_not_checked(
        pytester: pytest.Pytester, tmp_path: Path) -> None:
    text = KNOWN.read_text("utf-8")
    head, _, tail = text.rpartition('"string"')  # the last row: full -> last_name
    document = tmp_path / KNOWN.name
    document.write_text(f'{head}"strnig"{tail}', "utf-8")
    make_project(pytester.path, [document])
    pytester.runpytest("features", "-p", "no:randomly")
    results = json.loads((pytester.path / "reports" / "results.json").read_text("utf-8"))
    items = {item["line"]: item for section in results["documents"][0]["sections"]
             for item in section["items"] if item["kind"] == "property"}
    unknown, known = items[24], items[21]
    assert (unknown["status"], known["status"]) == ("passed", "passed")
    assert unknown["message"] == (
        'dataflows/customcrm-to-shopify.rst line 24 (full -> last_name ("strnig")): type not '
        'checked: the type "strnig" is not a known type; did you mean "string"?')
    assert known["message"] == ""
