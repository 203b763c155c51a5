"""A section that can never link (it only merges, and only a record with its own id) has
every item unsupported with the one reason lint gives, never failed and never passed."""

from __future__ import annotations

import pytest
from checklist_project import items, run_checklist
from small_documents import document, merge_only_section

pytest_plugins = ["pytester"]


SELF_ID = document("Alpha", "Alpha", merge_only_section("Alpha Contact", "Alpha Contact",
                                                 [("id", "id")]))
SELF_EMAIL = document("Alpha", "Alpha", merge_only_section("Alpha Contact", "Alpha Contact",
                                                    [("id", "id"), ("email", "email")]))


def test_a_merge_only_section_of_an_entity_with_itself_on_its_own_id_is_unsupported(
        pytester: pytest.Pytester) -> None:
    assert "Before any synchronization" in SELF_ID
    found = items(run_checklist(pytester, {"alpha-alpha.rst": SELF_ID}))
    assert found and {i["status"] for i in found} == {"unsupported"}, [
        (i["kind"], i["status"], i["message"]) for i in found]
    assert len({i["message"] for i in found}) == 1
    assert "compares a Contact with its own id" in found[0]["message"]


def test_a_second_criterion_that_can_match_keeps_the_section_checked(
        pytester: pytest.Pytester) -> None:
    found = items(run_checklist(pytester, {"alpha-alpha.rst": SELF_EMAIL}))
    assert "unsupported" not in {i["status"] for i in found}, found
    # the scenarios seed by the criterion that can match (email), not the own id, so
    # every item passes but the self-merge criterion's own, which lint explains
    statuses = {(i["kind"], i["line"]): i["status"] for i in found}
    failed = sorted(key for key, status in statuses.items() if status == "failed")
    assert [kind for kind, _ in failed] == ["merge"], [
        (i["kind"], i["line"], i["status"], i["message"][:200]) for i in found]
    assert statuses[("synchronized", min(line for _, line in statuses))] == "passed"
