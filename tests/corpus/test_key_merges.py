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


SPELLED_KEY = document("Alpha", "Alpha", merge_only_section(
    "Alpha Owner", "Alpha User", [("userId", "Id"), ("email", "email")],
    rows=[("email", "email", '"string"'), ("userId", "Id", '"string"')]))


def test_a_key_spelled_as_the_document_does_is_the_id_the_record_keeps(
        pytester: pytest.Pytester) -> None:
    """The User's key is `Id` in the document: the seeded record's `id` and `Id` agree, so
    the linked record is the one the sync updates."""
    found = items(run_checklist(pytester, {"alpha-alpha.rst": SPELLED_KEY}))
    assert {i["kind"] for i in found} >= {"edited_in_source", "edited_in_target", "property"}
    assert {i["status"] for i in found} == {"passed"}, [
        (i["kind"], i["message"]) for i in found if i["status"] != "passed"]
