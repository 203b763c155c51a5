"""A condition on the target column of a section that links by merge: the existing target
the merge finds holds the condition's value (and, for the not-met item, another value), so
both the row's item and its not-met item are judged on a record that fits them."""

from __future__ import annotations

import pytest
from checklist_project import items, run_checklist
from small_documents import document, merge_only_section, section

pytest_plugins = ["pytester"]

TARGET_CONDITION = document("Alpha", "Beta", merge_only_section(
    "Alpha Employee", "Beta Employee", [("code", "code")],
    rows=[("phone", "phones.number (Dependant on having mobile in phones.name)", '"string"'),
          ("name", "name", '"string"')]))


def test_a_target_condition_is_met_by_the_seeded_target(pytester: pytest.Pytester) -> None:
    found = items(run_checklist(pytester, {"alpha-beta.rst": TARGET_CONDITION}))
    kinds = {i["kind"] for i in found}
    assert {"property", "property_condition_not_met"} <= kinds, kinds
    assert {i["status"] for i in found} == {"passed"}, [
        (i["kind"], i["message"]) for i in found if i["status"] != "passed"]


CREATED_TARGET = document("Alpha", "Beta", section(
    "Alpha Employee", "Beta Employee",
    [("phone", "phones.number (Dependant on having mobile in phones.name)", '"string"'),
     ("name", "name", '"string"')]))


def test_a_target_condition_on_a_record_the_sync_creates_is_a_manual_not_met_check(
        pytester: pytest.Pytester) -> None:
    """The sync creates the target meeting the condition: no record of the scenario fails
    it, so a tester checks the not-met case."""
    found = items(run_checklist(pytester, {"alpha-beta.rst": CREATED_TARGET}))
    not_met = [i for i in found if i["kind"] == "property_condition_not_met"]
    assert [i["status"] for i in not_met] == ["manual"], not_met
    assert "a tester checks" in not_met[0]["message"]
    assert {i["status"] for i in found if i not in not_met} == {"passed"}
