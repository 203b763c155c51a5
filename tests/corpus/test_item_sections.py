"""Each checklist item is judged on its own section: a twin section differing only by a
qualifier, a section naming no system, and each row's own condition value."""

from __future__ import annotations

import pytest
from checklist_project import items, run_checklist
from small_documents import document, section

from talk.cli import main

pytest_plugins = ["pytester"]

REQUIRED = "Keap Companies requires company_name; no property row maps to it"
TWINS = document("Alpha", "Keap",
                 section("Alpha Company", "Keap Companies",
                         [("name", "company_name", '"string"')]),
                 section("Alpha Company", "Keap Companies",
                         [("site", "website", '"string"')], qualifier="human data"))
UNNAMED = document("Alpha", "", section("Alpha Contact", " Customer",
                                        [("name", "name", '"string"')]))
TWO_CONDITIONS = document("Alpha", "Beta", section("Alpha Party", "Beta Party", [
    ("name (Dependant on having person in kind)", "personName", '"string"'),
    ("name (Dependant on having company in kind)", "companyName", '"string"'),
    ("code", "code", '"string"'),
]))


def test_a_twin_section_with_a_qualifier_is_judged_on_its_own(
        pytester: pytest.Pytester) -> None:
    found = items(run_checklist(pytester, {"alpha-keap.rst": TWINS}))
    first = [i for i in found if i["section"] == "Alpha Company to Keap Companies"]
    twin = [i for i in found if i["section"] == "Alpha Company to Keap Companies (human data)"]
    assert first and twin
    assert {i["status"] for i in first} == {"passed"}, first
    assert {i["status"] for i in twin} == {"unsupported"}, twin
    assert all(REQUIRED in i["message"] for i in twin)


def test_items_of_a_section_naming_no_system_are_unsupported_and_linted(
        pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]) -> None:
    found = items(run_checklist(pytester, {"alpha-nothing.rst": UNNAMED}))
    assert found and {i["status"] for i in found} == {"unsupported"}, found
    assert all("names no system" in i["message"] for i in found)
    main(["lint", str(pytester.path / "dataflows" / "alpha-nothing.rst")])
    out = capsys.readouterr().out
    line = found[0]["section_line"]
    assert f"alpha-nothing.rst:{line}: warning: " in out and "names no system" in out


def test_every_row_gets_its_own_condition_value_seeded(pytester: pytest.Pytester) -> None:
    found = items(run_checklist(pytester, {"alpha-beta.rst": TWO_CONDITIONS}))
    rows = {i["text"].split(" -> ")[1].split()[0]: i["status"] for i in found
            if i["kind"] == "property"}
    assert rows == {"personName": "passed", "companyName": "passed", "code": "passed"}, found


SAME_ENTITY = document("Alpha", "Alpha", section(
    "Alpha Contact", "Alpha Contact", [("name", "fullName", '"string"'),
                                       ("email", "email", '"string"')],
    merge=[("email", "email")]))


def test_a_section_from_an_entity_to_itself_checks_the_paired_record(
        pytester: pytest.Pytester) -> None:
    found = items(run_checklist(pytester, {"alpha-alpha.rst": SAME_ENTITY}))
    assert {i["kind"] for i in found} >= {"synchronized", "merge", "edited_in_source",
                                          "edited_in_target", "property"}
    assert {i["status"] for i in found} == {"passed"}, [
        (i["kind"], i["message"]) for i in found if i["status"] != "passed"]
    feature = (pytester.path / "features" / "alpha-alpha.feature").read_text(encoding="utf-8")
    assert "is linked to exactly one paired Alpha Contact" in feature


def test_a_write_belongs_to_a_resource_by_whole_path_segments() -> None:
    from talk.harness.context import Sent

    def sent(path: str) -> Sent:
        return Sent("beta", "POST", path, {}, 1)

    assert not sent("/v1/orderitem/5").writes_to("order")
    assert sent("/v1/order/5").writes_to("order")
    assert sent("/v1/Order?expand=all").writes_to("order")
    assert sent("/api/v1/1/crm/Accounts(guid'ab')").writes_to("crm/Accounts")
    assert not sent("/api/v1/1/crm/AccountsExtra").writes_to("crm/Accounts")
