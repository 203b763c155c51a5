"""The sync engine on the seed documents: creation, identity, fixed point, edits, conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from talk.dataflow import parse_text
from talk.dataflow.model import Dataflow
from talk.sync.emulated import EmulatedSystems
from talk.sync.engine import SyncEngine
from talk.sync.flows import bind_flows
from talk.sync.report import COUNTS, RunReport, SectionCounts
from talk.sync.seed import seed_samples
from talk.sync.store import Ref, SqliteLinkStore
from talk.systems.profile import EntityProfile

from .helpers import document, run_sync, seed_documents, with_row


def _source_refs(systems: EmulatedSystems, profile: EntityProfile) -> list[Ref]:
    connector = systems.connectors[profile.system]
    return [Ref(profile.system, profile.name, connector.record_id(profile, r))
            for r in systems.emulators[profile.system].records(profile.name)]


def _counts(report: RunReport, dataflow: Dataflow, title: str) -> SectionCounts:
    section = next(s for s in dataflow.sections if s.title == title)
    counts = report.for_section(dataflow.name, section.line)
    assert counts is not None
    return counts


def test_five_documents_first_run_links_every_record_once_then_nothing(tmp_path: Path) -> None:
    documents = seed_documents()
    store = SqliteLinkStore(tmp_path / "state.db")
    with EmulatedSystems(documents) as systems:
        seeded = seed_samples(systems, documents, per_entity=2)
        assert seeded > 0
        first = run_sync(documents, systems, store)
        assert first.failed == 0, first.details

        for flow in bind_flows(documents):
            counts = first.for_section(flow.document, flow.section.line)
            assert counts is not None
            refs = _source_refs(systems, flow.source)
            for ref in refs:
                linked = store.cluster_of(ref).get(flow.target_slot)
                if flow.unsupported:
                    assert linked is None, f"{flow.key} created despite {flow.unsupported}"
                else:
                    assert linked is not None, f"{ref} has no {flow.target_slot} ({flow.key})"
                    target_ids = [systems.connectors[flow.target.system].record_id(flow.target, r)
                                  for r in systems.emulators[flow.target.system].records(
                                      flow.target.name)]
                    assert target_ids.count(linked) == 1
            if flow.unsupported:
                assert counts.unsupported == len(refs)
                assert counts.created == 0

        # every target record belongs to a cluster: nothing was created twice
        for flow in bind_flows(documents):
            for ref in _source_refs(systems, flow.target):
                assert store.is_member(ref), f"orphan record {ref}"

        members = store.counts()["members"]
        for _ in range(3):
            again = run_sync(documents, systems, store)
            totals = again.totals()
            assert totals["created"] == 0
            assert totals["writes"] == 0, again.details
            assert totals["failed"] == 0
            assert store.counts()["members"] == members


def test_the_report_has_the_documented_shape(tmp_path: Path) -> None:
    documents = seed_documents()
    with EmulatedSystems(documents) as systems:
        seed_samples(systems, documents, per_entity=1)
        report = run_sync(documents, systems, SqliteLinkStore(":memory:"))
    data = report.to_json()
    section_keys = {"document", "title", "read", "created", "linked", "updated_to_target",
                    "updated_to_source", "unchanged", "conflicts", "failed", "not_evaluated"}
    assert section_keys <= set(data["sections"][0])
    assert set(COUNTS) | {"writes"} <= set(data["totals"])
    assert data["totals"]["writes"] > 0
    assert any(d["kind"] == "unsupported" and "requires" in d["message"]
               for d in data["details"])


def test_both_directions_of_one_pair_are_one_link(tmp_path: Path) -> None:
    documents = [document("customcrm-to-customcrm")]
    store = SqliteLinkStore(tmp_path / "state.db")
    with EmulatedSystems(documents) as systems:
        crm = systems.emulator("Customcrm")
        for n in range(3):
            crm.seed("Contact", {"name": f"contact {n}"})
        run_sync(documents, systems, store)
        assert len(crm.records("Product")) == 3
        assert len(crm.records("Contact")) == 3
        for _ in range(2):
            report = run_sync(documents, systems, store)
            assert report.totals()["created"] == 0
        assert len(crm.records("Product")) == 3


def test_a_chain_of_sections_ends_with_one_record_per_entity(tmp_path: Path) -> None:
    keap_doc = with_row(document("customerp-to-keap"), "CustomERP Product to Keap Product",
                        ("name", "product_name", '"string"'))
    documents = [keap_doc, document("customerp-to-webcrm"), document("keap-to-webcrm")]
    store = SqliteLinkStore(tmp_path / "state.db")
    with EmulatedSystems(documents) as systems:
        erp = systems.emulator("CustomERP")
        products = [erp.seed("Product", {"name": f"Widget {n}"}) for n in range(4)]
        first = run_sync(documents, systems, store)
        assert first.failed == 0, first.details
        assert len(systems.emulator("Keap").records("Product")) == 4
        assert len(systems.emulator("WebCRM").records("Products")) == 4
        for product in products:
            cluster = store.cluster_of(Ref("customerp", "Product", str(product["id"])))
            assert ("keap", "Product") in cluster
            assert ("webcrm", "Products") in cluster
        for _ in range(2):
            assert run_sync(documents, systems, store).totals()["writes"] == 0
        assert len(systems.emulator("WebCRM").records("Products")) == 4


def test_edits_travel_both_ways_with_the_documented_types(tmp_path: Path) -> None:
    documents = [document("keap-to-webcrm")]
    store = SqliteLinkStore(tmp_path / "state.db")
    with EmulatedSystems(documents) as systems:
        keap, webcrm = systems.emulator("Keap"), systems.emulator("WebCRM")
        product = keap.seed("Product", {"product_name": "Widget", "product_price": 10.0})
        run_sync(documents, systems, store)
        (linked,) = webcrm.records("Products")

        keap.edit("Product", product["id"], {"product_price": 12.5})
        before = len(webcrm.requests)
        report = run_sync(documents, systems, store)
        assert report.totals()["updated_to_target"] == 1
        sent = [r.json() for r in webcrm.requests[before:] if r.method == "PUT"]
        assert sent and sent[-1]["ProductPrice"] == "12.5"  # a string, as documented
        assert webcrm.record("Products", linked["ProductId"])["ProductPrice"] == 12.5

        webcrm.edit("Products", linked["ProductId"], {"ProductPrice": "99.9"})
        report = run_sync(documents, systems, store)
        assert report.totals()["updated_to_source"] == 1
        assert keap.record("Product", product["id"])["product_price"] == 99.9
        assert run_sync(documents, systems, store).totals()["writes"] == 0


@pytest.mark.parametrize("later", ["keap", "webcrm"])
def test_a_conflict_goes_to_the_later_edit_and_is_reported(tmp_path: Path, later: str) -> None:
    documents = [document("keap-to-webcrm")]
    store = SqliteLinkStore(tmp_path / "state.db")
    with EmulatedSystems(documents) as systems:
        keap, webcrm = systems.emulator("Keap"), systems.emulator("WebCRM")
        user = keap.seed("Users", {"given_name": "Ada", "email_address": "ada@example.com",
                                   "job_title": "Engineer"})
        run_sync(documents, systems, store)
        (linked,) = webcrm.records("Users")
        edits = [lambda: keap.edit("Users", user["id"], {"job_title": "Keap title"}),
                 lambda: webcrm.edit("Users", linked["UserId"], {"UserTitle": "WebCRM title"})]
        if later == "keap":
            edits.reverse()
        for edit in edits:  # the emulators share one clock: the second edit is later
            edit()
        report = run_sync(documents, systems, store)
        conflicts = [d for d in report.details if d.kind == "conflict"]
        assert report.totals()["conflicts"] == 1
        assert len(conflicts) == 1 and conflicts[0].property == "job_title"
        expected = "Keap title" if later == "keap" else "WebCRM title"
        assert webcrm.record("Users", linked["UserId"])["UserTitle"] == expected
        if later == "keap":
            assert conflicts[0].data["winner"].startswith("keap/")
        else:
            # Keap v1 has no update for Users: the winning WebCRM value cannot go back
            assert any(d.kind == "unsupported" for d in report.details)


def test_merge_criteria_link_an_existing_record(tmp_path: Path) -> None:
    documents = [document("superoffice-to-tripletex")]
    store = SqliteLinkStore(tmp_path / "state.db")
    with EmulatedSystems(documents) as systems:
        superoffice, tripletex = systems.emulator("SuperOffice"), systems.emulator("Tripletex")
        contact = superoffice.seed("Contact", {"Name": "Acme", "Emails": [{"Value": "a@acme.no"}]})
        existing = tripletex.seed("Customer", {"name": "ACME AS", "email": "A@acme.no"})
        report = run_sync(documents, systems, store)
        assert len(tripletex.records("Customer")) == 1
        counts = _counts(report, documents[0], "SuperOffice Contact to Tripletex Customer")
        assert counts is not None and counts.linked == 1 and counts.created == 0
        cluster = store.cluster_of(Ref("superoffice", "Contact", str(contact["id"])))
        assert cluster[("tripletex", "customer")] == str(existing["id"])  # the API's own name
        assert tripletex.record("Customer", existing["id"])["name"] == "Acme"


def test_two_merge_candidates_create_nothing_and_are_reported(tmp_path: Path) -> None:
    documents = [document("superoffice-to-tripletex")]
    store = SqliteLinkStore(tmp_path / "state.db")
    with EmulatedSystems(documents) as systems:
        superoffice, tripletex = systems.emulator("SuperOffice"), systems.emulator("Tripletex")
        superoffice.seed("Contact", {"Name": "Acme", "Emails": [{"Value": "a@acme.no"}]})
        tripletex.seed("Customer", {"name": "Acme 1", "email": "a@acme.no"})
        tripletex.seed("Customer", {"name": "Acme 2", "email": "a@acme.no"})
        report = run_sync(documents, systems, store)
        assert len(tripletex.records("Customer")) == 2
        ambiguous = [d for d in report.details if d.kind == "ambiguous"]
        assert len(ambiguous) == 1 and len(ambiguous[0].data["candidates"]) == 2


def test_shape_two_without_a_match_creates_nothing(tmp_path: Path) -> None:
    documents = [document("superoffice-to-tripletex")]
    with EmulatedSystems(documents) as systems:
        systems.emulator("SuperOffice").seed("Contact", {"Name": "Lonely"})
        report = run_sync(documents, systems, SqliteLinkStore(":memory:"))
        assert systems.emulator("Tripletex").records("Customer") == []
        counts = _counts(report, documents[0], "SuperOffice Contact to Tripletex Customer")
        assert counts is not None and counts.no_match == 1 and counts.failed == 0


def test_conditions_that_cannot_be_evaluated_are_counted_not_guessed() -> None:
    documents = [document("superoffice-to-tripletex")]
    with EmulatedSystems(documents) as systems:
        systems.emulator("SuperOffice").seed("Sale", {"Amount": 10.5, "SaleDate": "2024-01-02"})
        report = run_sync(documents, systems, SqliteLinkStore(":memory:"))
        assert systems.emulator("Tripletex").records("Order") == []
        assert report.totals()["not_evaluated"] >= 1


def test_deletes_are_not_propagated_and_the_link_is_retired(tmp_path: Path) -> None:
    documents = [document("keap-to-webcrm")]
    store = SqliteLinkStore(tmp_path / "state.db")
    with EmulatedSystems(documents) as systems:
        keap, webcrm = systems.emulator("Keap"), systems.emulator("WebCRM")
        product = keap.seed("Product", {"product_name": "Widget", "product_price": 1.0})
        run_sync(documents, systems, store)
        (linked,) = webcrm.records("Products")
        webcrm.delete("Products", linked["ProductId"])
        keap.edit("Product", product["id"], {"product_price": 2.0})
        report = run_sync(documents, systems, store)
        assert report.totals()["retired"] == 1
        assert keap.records("Product")[0]["product_price"] == 2.0
        assert webcrm.records("Products") == []  # nothing recreated
        assert run_sync(documents, systems, store).totals()["writes"] == 0


def test_a_value_that_cannot_be_coerced_fails_that_record_only(tmp_path: Path) -> None:
    documents = [document("superoffice-to-tripletex")]
    with EmulatedSystems(documents) as systems:
        so = systems.emulator("SuperOffice")
        so.seed("Person", {"Firstname": "A", "Emails": [{"Value": "a@x.no"}]})
        so.seed("Contact", {"Name": "Bad", "NumberOfEmployees": "many",
                            "Emails": [{"Value": "bad@x.no"}]})
        systems.emulator("Tripletex").seed("Customer", {"email": "bad@x.no"})
        engine = SyncEngine(documents, systems.connectors, SqliteLinkStore(":memory:"))
        report = engine.run()
        failures = [d for d in report.details if d.kind == "failure"]
        assert len(failures) == 1 and "many" in failures[0].message
        assert len(systems.emulator("Tripletex").records("Contact")) == 1


def _customcrm_document(*sections: tuple[str, str]) -> Dataflow:
    """A Customcrm document with these (source, target) entity sections and no properties."""
    lines = ["=" * 31, "Customcrm to Customcrm Dataflow", "=" * 31, ""]
    for source, target in sections:
        title = f"Customcrm {source} to Customcrm {target}"
        lines += [title, "-" * len(title),
                  f"Every Customcrm {source} will be synchronized with a Customcrm {target}.",
                  "", ".. list-table::", "   :header-rows: 1", "",
                  f"   * - Customcrm {source} Property", f"     - Customcrm {target} Property",
                  "     - Customcrm Data Type", "", ""]
    return parse_text("\n".join(lines), "customcrm-passes.rst")


def test_one_pass_when_every_created_record_is_read_after_its_create() -> None:
    documents = [_customcrm_document(("Contact", "Product"))]
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        systems.emulator("Customcrm").seed("Contact", {"name": "Ada"})
        first = run_sync(documents, systems, store)
        assert first.passes == 1  # Product is read after the create: no second pass
        assert first.totals()["created"] == 1
        again = run_sync(documents, systems, store)
        assert again.writes == 0 and again.totals()["created"] == 0


def test_a_record_created_in_an_entity_already_read_gets_another_pass() -> None:
    # Contact is read first (source of the first section), then the Order section creates a
    # Contact: only another pass lets the first section see it and create its Product.
    documents = [_customcrm_document(("Contact", "Product"), ("Order", "Contact"))]
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        crm = systems.emulator("Customcrm")
        order = crm.seed("Order", {"name": "Order 1"})
        first = run_sync(documents, systems, store)
        assert first.passes == 2
        assert len(crm.records("Contact")) == 1 and len(crm.records("Product")) == 1
        cluster = store.cluster_of(Ref("customcrm", "Order", str(order["id"])))
        assert {("customcrm", "Contact"), ("customcrm", "Product")} <= set(cluster)
        again = run_sync(documents, systems, store)
        assert again.writes == 0 and again.totals()["created"] == 0
