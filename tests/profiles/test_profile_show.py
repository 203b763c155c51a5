"""`talk profile show`: which parts of a system's emulation come from its description and
which are assumed where the description is silent, per entity where it matters."""

from __future__ import annotations

import pytest

from talk.cli import main


def _show(system: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["profile", "show", system]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(("system", "assumed"), [
    ("difi", "list answers of enheter, organisasjonsformer, underenheter: a bare JSON array "
             "(the description does not show them)"),
    ("Shopify", "products listed in 'customers' as the description declares it, though its "
                "records are 'product'"),
    ("Shopify", "lists of customers, orders, products, search, webhooks in one page (the "
                "description shows no paging)"),
    ("Trello", "no list of actions, boards, cards, checklists"),
    ("Tripletex", "documents' 'order lines' taken to be orderline (talk's alias table)"),
    ("Asana", "project_statuses, sections, stories, teams, user_task_lists"),
])
def test_show_says_what_is_assumed_per_entity(system: str, assumed: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = _show(system, capsys)
    head, _, assumptions = out.partition("assumed where the description is silent:\n")
    assert "described by " in head and "from the description: " in head
    assert assumed in assumptions


def test_show_keap_names_what_its_description_has_and_talk_does_not_serve(
        capsys: pytest.CaptureFixture[str]) -> None:
    out = _show("Keap", capsys)
    assert "described by Keap REST API 1.70.0.453309-hf-202203291431 (keap-v1.openapi.yml)" \
        in out
    assert "written by hand: Companies, Contacts, Opportunity, Product, Users" in out
    assert "in the description but not served: affiliates, appointments" in out


def test_show_a_system_without_a_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert _show("Customcrm", capsys) == \
        "Customcrm: generic JSON REST emulation (no dedicated profile)\n"
