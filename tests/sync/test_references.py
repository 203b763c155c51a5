"""Keys and references: a row whose target holds a record's id gets the id of the linked
record in the target system, never the source system's own id string."""

from __future__ import annotations

from talk.sync.emulated import EmulatedSystems
from talk.sync.store import Ref, SqliteLinkStore

from .documents import dataflow, one_section, section
from .helpers import run_sync


def test_a_reference_is_translated_through_the_links_or_reported() -> None:
    documents = [dataflow(
        "wave-zendesk", "Wave", "Zendesk",
        section("Wave Company", "Zendesk Organization", [("name", "name", '"string"')]),
        section("Wave Customer", "Zendesk Users",
                [("name", "name", '"string"'),
                 ("company_id", "organization_id", '"string"')]))]
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        wave, zendesk = systems.emulator("Wave"), systems.emulator("Zendesk")
        company = wave.seed("Company", {"name": "Acme"})
        company_id = wave.id_of(wave.entity("Company"), company)
        wave.seed("Customer", {"name": "Ann", "company_id": company_id})
        bo = wave.seed("Customer", {"name": "Bo", "company_id": "company-999"})
        first = run_sync(documents, systems, store)
        second = run_sync(documents, systems, store)
        users = {u["name"]: u for u in zendesk.records("Users")}
    organization = store.counterpart(Ref("wave", "Company", company_id),
                                     ("zendesk", "Organization"))
    assert organization is not None and organization != company_id
    assert users["Ann"]["organization_id"] == organization  # translated, not copied
    assert "organization_id" not in users["Bo"]  # nothing to translate it into: left out
    findings = [d for d in first.details if d.kind == "untranslated_reference"]
    assert [(d.property, d.record_id) for d in findings] == [("organization_id", bo["id"])]
    assert "company-999" in findings[0].message and "cannot be translated" in findings[0].message
    assert first.failed == 0 and second.writes == 0 and second.failed == 0


def test_a_key_spelled_as_the_document_does_is_never_written() -> None:
    # SuperOffice has no dedicated profile: the document's `PersonId` is the Person's key
    documents = one_section("wave-superoffice", "Wave Customer", "Superoffice Person",
                            [("id", "PersonId", '"integer"'), ("name", "Firstname", '"string"')])
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        systems.emulator("Wave").seed("Customer", {"name": "Ann"})
        first = run_sync(documents, systems, store)
        people = systems.emulator("Superoffice").records("Person")
    assert first.failed == 0
    # the emulation spells the Person's key as the document does: its own id, not Wave's
    assert [(p["Firstname"], p["PersonId"]) for p in people] == [("Ann", people[0]["id"])]
