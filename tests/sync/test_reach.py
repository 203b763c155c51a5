"""A run limited to the sections connected to some entities (`SyncEngine(reach=...)`).

The checklist harness relies on it: a scenario's systems hold only its own records, so a
run over the connected sections must leave the systems and the links exactly as a run over
every section would.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from talk.dataflow.model import Dataflow
from talk.emulator.base import Clock
from talk.sync.emulated import EmulatedSystems
from talk.sync.engine import SyncEngine
from talk.sync.flows import bind_flows, connected_flows
from talk.sync.store import Ref, SqliteLinkStore

from .helpers import Killed, document, kill_at_write, reopen, run_sync, snapshot, with_row


def _chain() -> list[Dataflow]:
    keap_doc = with_row(document("customerp-to-keap"), "CustomERP Product to Keap Product",
                        ("name", "product_name", '"string"'))
    return [keap_doc, document("customerp-to-webcrm"), document("keap-to-webcrm")]


def test_connected_flows_follow_shared_entities_and_keep_document_order() -> None:
    flows = bind_flows(_chain())
    chosen = connected_flows(flows, [("customerp", "Product")])
    slots = {slot for flow in chosen for slot in (flow.source_slot, flow.target_slot)}
    # through CustomERP Product the chain reaches Keap Product and WebCRM Products ...
    assert {("customerp", "Product"), ("keap", "Product"), ("webcrm", "Products")} <= slots
    # ... and every flow sharing an entity with those is in, every other one out
    for flow in flows:
        touches = flow.source_slot in slots or flow.target_slot in slots
        assert (flow in chosen) == touches, flow.key
    assert any(flow not in chosen for flow in flows)
    assert chosen == [flow for flow in flows if flow in chosen]
    assert connected_flows(flows, []) == []


def _systems() -> EmulatedSystems:
    return EmulatedSystems(_chain(), id_seed=5000,
                           clock=Clock(start=datetime(2024, 1, 1, tzinfo=UTC)))


def test_a_run_within_reach_ends_as_a_full_run_when_nothing_else_is_held() -> None:
    documents = _chain()
    outcomes = []
    for reach in (None, {("customerp", "Product")}):
        store = SqliteLinkStore(":memory:")
        with _systems() as systems:
            product = systems.emulator("CustomERP").seed("Product", {"name": "Widget"})
            reports = []
            for _ in range(2):
                engine = SyncEngine(documents, systems.connectors, store,
                                    now=systems.clock.peek, reach=reach)
                reports.append(engine.run())
            cluster = store.cluster_of(Ref("customerp", "Product", str(product["id"])))
            outcomes.append((snapshot(systems), cluster, reports))
    (full, full_cluster, full_reports), (reached, reached_cluster, reached_reports) = outcomes
    assert reached == full
    assert reached_cluster == full_cluster
    assert {("keap", "Product"), ("webcrm", "Products")} <= set(full_cluster)
    assert reached_reports[1].writes == full_reports[1].writes == 0
    # what it saves: the other sections' (empty) collections are not read
    assert reached_reports[0].requests < full_reports[0].requests
    assert len(reached_reports[0].sections) < len(full_reports[0].sections)


def test_an_intent_outside_the_reach_waits_for_a_run_that_reaches_it(tmp_path: Path) -> None:
    documents = [document("keap-to-webcrm")]
    store = SqliteLinkStore(tmp_path / "state.db")
    with EmulatedSystems(documents) as systems:
        systems.emulator("Keap").seed("Companies", {"company_name": "Acme AS"})
        with kill_at_write(systems, store, 1, after_apply=True), pytest.raises(Killed):
            run_sync(documents, systems, store)  # the create applied, its answer never seen
        store = reopen(store)
        assert store.counts()["intents"] == 1

        elsewhere = SyncEngine(documents, systems.connectors, store,
                               reach={("keap", "Product")}).run()
        assert elsewhere.failed == 0
        assert store.counts()["intents"] == 1  # not dropped as if its section were gone

        assert run_sync(documents, systems, store).failed == 0
        assert store.counts()["intents"] == 0
        assert len(systems.emulator("WebCRM").records("Organisations")) == 1
