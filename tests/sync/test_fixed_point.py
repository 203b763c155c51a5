"""Many documents together reach a fixed point: one value per target field, edits carried
through chains of sections in one run, refused writes not sent again."""

from __future__ import annotations

from talk.dataflow.model import Dataflow
from talk.sync.emulated import EmulatedSystems
from talk.sync.store import Ref, SqliteLinkStore

from .documents import dataflow, one_section, section
from .helpers import run_sync

EMAIL = [("email", "email")]


def _competing_documents() -> list[Dataflow]:
    # Wave Customer and Freshteam Employee are one person (merged by email); both documents
    # write Zendesk Users.name, from different fields
    return [
        dataflow("a-wave-zendesk", "Wave", "Zendesk",
                 section("Wave Customer", "Freshteam Employee", [], merge=EMAIL),
                 section("Wave Customer", "Zendesk Users",
                         [("email", "email", '"string"'), ("name", "name", '"string"')])),
        dataflow("b-freshteam-zendesk", "Freshteam", "Zendesk",
                 section("Freshteam Employee", "Zendesk Users",
                         [("first_name", "name", '"string"')], merge=EMAIL)),
    ]


def test_rows_writing_one_field_from_different_sources_keep_the_first_rows_value() -> None:
    documents = _competing_documents()
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        systems.emulator("Wave").seed("Customer", {"email": "w@example.com", "name": "Wilma"})
        systems.emulator("Freshteam").seed("Employee", {"email": "w@example.com",
                                                        "first_name": "Fred"})
        reports = [run_sync(documents, systems, store) for _ in range(3)]
        users = systems.emulator("Zendesk").records("Users")
        wave = systems.emulator("Wave").records("Customer")
    assert [r.writes for r in reports[1:]] == [0, 0]
    assert [u["name"] for u in users] == ["Wilma"]  # a-wave-zendesk comes first
    assert wave[0]["name"] == "Wilma"
    competing = [d for d in reports[1].details if d.kind == "competing_rows"]
    assert [(d.document, d.property) for d in competing] == [("b-freshteam-zendesk", "name")]
    kept = documents[0].sections[1].properties[1].line
    left = documents[1].sections[0].properties[0].line
    assert competing[0].message == (
        "2 rows write Zendesk Users.name from different source fields; the sync keeps name "
        f"at a-wave-zendesk:{kept} and leaves out first_name at b-freshteam-zendesk:{left}")


def test_an_edit_travels_a_chain_of_sections_in_one_run() -> None:
    # Zendesk Users is read before Freshteam Employee writes it: the edit that reaches it
    # must still go on to Wave in the same run
    documents = [
        dataflow("a-zendesk-wave", "Zendesk", "Wave",
                 section("Zendesk Users", "Wave Customer", [("name", "name", '"string"')])),
        dataflow("b-freshteam-zendesk", "Freshteam", "Zendesk",
                 section("Freshteam Employee", "Zendesk Users",
                         [("first_name", "name", '"string"')])),
    ]
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        freshteam = systems.emulator("Freshteam")
        seeded = freshteam.seed("Employee", {"first_name": "Fred"})
        run_sync(documents, systems, store)
        assert run_sync(documents, systems, store).writes == 0
        employee = Ref("freshteam", "Employee",
                       freshteam.id_of(freshteam.entity("Employee"), seeded))
        freshteam.edit("Employee", employee.id, {"first_name": "Frida"})
        edited = run_sync(documents, systems, store)
        after = run_sync(documents, systems, store)
        names = [r["name"] for r in systems.emulator("Wave").records("Customer")]
    assert edited.writes == 2 and after.writes == 0
    assert names == ["Frida"]


def test_a_refused_write_is_not_sent_again_until_its_values_change() -> None:
    # WebCRM Products.ProductQuantity is a number: a text that is no number is refused
    documents = one_section("wave-webcrm", "Wave Product", "Webcrm Products",
                            [("name", "ProductName", '"string"'),
                             ("size", "ProductQuantity", '"string"')])
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        wave = systems.emulator("Wave")
        seeded = wave.seed("Product", {"name": "Bolt", "size": "large"})
        first = run_sync(documents, systems, store)
        second = run_sync(documents, systems, store)
        wave.edit("Product", wave.id_of(wave.entity("Product"), seeded), {"size": "12"})
        fixed = run_sync(documents, systems, store)
        products = systems.emulator("Webcrm").records("Products")
    assert (first.writes, first.failed) == (1, 1)
    assert (second.writes, second.failed) == (0, 1)
    refused = [d.message for d in second.details if d.kind == "failure"]
    assert len(refused) == 1 and "refused this create before" in refused[0]
    assert fixed.writes == 1 and fixed.failed == 0
    assert [p["ProductName"] for p in products] == ["Bolt"]
