"""docs/design.md#unsupported-sections from the document alone: `talk lint` warns about a creating
section whose
target requires fields that no property row maps."""

from __future__ import annotations

from pathlib import Path

import pytest

from talk.cli import main
from talk.dataflow import Shape, parse_text
from talk.dataflow.lint import profile_findings, unsupported_reason
from talk.systems import registry
from talk.systems.profile import ApiStyle, ChangeRead, EntityProfile, SystemProfile

ROOT = Path(__file__).resolve().parents[2]

ACME = SystemProfile(
    key="acmetestcrm",
    display_name="Acme Test CRM",
    style=ApiStyle.GENERIC,
    entities={
        "Companies": EntityProfile(
            system="acmetestcrm", name="Companies", resource="companies", id_field="id",
            modified_field=None, change_read=ChangeRead.FULL,
            required_on_create=(("company_name",), ("email", "phone"))),
        "Notes": EntityProfile(
            system="acmetestcrm", name="Notes", resource="notes", id_field="id",
            modified_field=None, change_read=ChangeRead.FULL,
            required_on_create=(("text",),), can_create=False),
    },
)


@pytest.fixture
def acme(monkeypatch: pytest.MonkeyPatch) -> SystemProfile:
    registry.known_profiles()  # load the built-in profiles before adding the test one
    monkeypatch.setitem(registry._PROFILES, ACME.key, ACME)
    return ACME


def document(shape_sentence: str, rows: str, entity: str = "Company") -> str:
    title = f"Zed Thing to Acme Test CRM {entity}"
    return f"""\
=================================
Zed to Acme Test CRM Dataflow
=================================

Zed Thing to Acme Test CRM {entity}
{'-' * len(title)}
{shape_sentence.format(t=f"Acme Test CRM {entity}")}

.. list-table::
   :header-rows: 1

   * - Zed Thing Property
     - Acme Test CRM {entity} Property
     - Acme Test CRM Data Type
{rows}"""


EVERY = "Every Zed Thing will be synchronized with a {t}."
LINK_FIRST = ("Before any synchronization can take place, a link between a Zed Thing and a {t} "
              "must be established.")


def test_creating_section_missing_required_fields_is_warned(acme: SystemProfile) -> None:
    rows = "   * - mail\n     - email.address\n     - \"string\"\n"
    flow = parse_text(document(EVERY, rows), "acme.rst")
    [finding] = profile_findings(flow)
    assert (finding.line, finding.level) == (5, "warning")
    assert finding.message == ("Acme Test CRM Company requires company_name; "
                               "no property row maps to it")


def test_a_group_is_served_by_any_member_and_messages_name_the_group(acme: SystemProfile) -> None:
    flow = parse_text(document(EVERY, "   * - n\n     - company_name\n     - \"string\"\n"),
                      "acme.rst")
    assert unsupported_reason(flow.sections[0]) == (
        "Acme Test CRM Company requires one of email, phone; "
        "no property row maps to any of them")


def test_linking_only_sections_and_uncreatable_entities_are_not_warned(
        acme: SystemProfile) -> None:
    linking = parse_text(document(LINK_FIRST, ""), "acme.rst")
    assert linking.sections[0].shape is Shape.MERGE_FIRST
    assert profile_findings(linking) == []
    notes = parse_text(document(EVERY, "", entity="Notes"), "acme.rst")
    assert profile_findings(notes) == []


def test_unknown_systems_are_not_warned() -> None:
    flow = parse_text(document(EVERY, "").replace("Acme Test CRM", "Nobody Knows"), "x.rst")
    assert profile_findings(flow) == []


def test_customerp_to_keap_warns_with_the_keap_profile(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "dataflows" / "customerp-to-keap.rst"
    code = main(["lint", str(path)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert (f"{path}:28: warning: Keap Companies requires company_name; "
            f"no property row maps to it") in out
    assert len(out) == 4  # every section of customerp-to-keap (docs/design.md#unsupported-sections)
