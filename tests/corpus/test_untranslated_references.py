"""A reference the sync cannot translate (it names a record the scenario never linked) is
left out by the sync with a reason; the row's item is a manual check saying so, and the
edit items judge the rows talk can check, never failing on that reference."""

from __future__ import annotations

import pytest
from checklist_project import items, run_checklist
from small_documents import document, section

pytest_plugins = ["pytester"]

REFERENCE = document("Alpha", "Beta", section(
    "Alpha Project", "Beta Activities",
    [("ownerId", "ownerId", '"string"'), ("name", "subject", '"string"')]))


def test_an_untranslatable_reference_is_a_manual_check_with_the_syncs_reason(
        pytester: pytest.Pytester) -> None:
    found = items(run_checklist(pytester, {"alpha-beta.rst": REFERENCE}))
    owner = [i for i in found if i["kind"] == "property" and "ownerId" in i["text"]]
    assert [i["status"] for i in owner] == ["manual"], owner
    assert "cannot be translated" in owner[0]["message"]
    others = [i for i in found if i not in owner]
    assert others and {i["status"] for i in others} == {"passed"}, [
        (i["kind"], i["message"]) for i in others if i["status"] != "passed"]
