"""A section that can never link (it only merges, and only a record with its own id) has
every item unsupported with the one reason lint gives, never failed and never passed."""

from __future__ import annotations

import pytest
from checklist_project import items, run_checklist
from small_documents import document, section

pytest_plugins = ["pytester"]


def _merge_only(source: str, target: str, merge: list[tuple[str, str]]) -> str:
    """Shape 2: the section links by merge only and creates nothing."""
    text = section(source, target, [("name", "name", '"string"')], merge=merge)
    return text.replace(
        f"If a matching {target} already exists, the {source} will be merged with the "
        f"existing one.\n\nIf no matching {target} is found, a new {target} will be created.",
        f"Before any synchronization can take place, a link between a {source} and a "
        f"{target} must be established.")


SELF_ID = document("Alpha", "Alpha", _merge_only("Alpha Contact", "Alpha Contact",
                                                 [("id", "id")]))
SELF_EMAIL = document("Alpha", "Alpha", _merge_only("Alpha Contact", "Alpha Contact",
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
