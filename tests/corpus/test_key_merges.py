"""A section between two entities that merges on their ids (`id = id`, as association
records do) links records whose ids match: the harness seeds both with one id."""

from __future__ import annotations

import pytest
from checklist_project import items, run_checklist
from small_documents import document, merge_only_section

pytest_plugins = ["pytester"]

KEY_MERGE = document("Alpha", "Alpha", merge_only_section(
    "Alpha Contact", "Alpha Contactassociation", [("id", "id")],
    rows=[("name", "label", '"string"')]))


def test_two_entities_merging_on_their_ids_are_linked(pytester: pytest.Pytester) -> None:
    found = items(run_checklist(pytester, {"alpha-alpha.rst": KEY_MERGE}))
    assert {i["kind"] for i in found} >= {"synchronized", "merge", "property"}
    assert {i["status"] for i in found} == {"passed"}, [
        (i["kind"], i["message"]) for i in found if i["status"] != "passed"]
