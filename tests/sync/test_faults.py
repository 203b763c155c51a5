"""Durability: a run killed at any write, and bursts of 429/500, lose and duplicate nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from talk.commands import sync as sync_command
from talk.dataflow.model import Dataflow
from talk.sync.emulated import EmulatedSystems
from talk.sync.report import Detail, RunReport
from talk.sync.store import SqliteLinkStore

from .convergence import assert_converged
from .helpers import Killed, document, kill_at_write, reopen, run_sync


def _documents() -> list[Dataflow]:
    return [document("keap-to-webcrm"), document("customerp-to-webcrm")]


def _seed(systems: EmulatedSystems) -> None:
    keap, erp = systems.emulator("Keap"), systems.emulator("CustomERP")
    keap.seed("Companies", {"company_name": "Acme AS"})
    keap.seed("Companies", {"company_name": "Beta AS"})
    keap.seed("Product", {"product_name": "Widget", "product_price": 10.0})
    keap.seed("Users", {"given_name": "Ada", "email_address": "ada@example.com",
                        "job_title": "CTO"})
    erp.seed("Customer", {"name": "Gamma"})
    erp.seed("Product", {"name": "Gadget"})


def _edit(systems: EmulatedSystems) -> None:
    keap, webcrm = systems.emulator("Keap"), systems.emulator("WebCRM")
    company = keap.records("Companies")[0]
    keap.edit("Companies", company["id"], {"company_name": "Acme Holding AS"})
    product = keap.records("Product")[0]
    keap.edit("Product", product["id"], {"product_price": 12.5})
    organisation = next(o for o in webcrm.records("Organisations")
                        if o.get("OrganisationName") == "Beta AS")
    webcrm.edit("Organisations", organisation["OrganisationId"],
                {"OrganisationName": "Beta Group AS"})


def _writes_of_clean_run(tmp_path: Path, *, edits: bool) -> int:
    documents = _documents()
    with EmulatedSystems(documents) as systems:
        store = SqliteLinkStore(tmp_path / "clean.db")
        _seed(systems)
        report = run_sync(documents, systems, store)
        if edits:
            _edit(systems)
            report = run_sync(documents, systems, store)
        return report.writes


def _assert_edits_arrived(systems: EmulatedSystems) -> None:
    names = [o.get("OrganisationName") for o in
             systems.emulator("WebCRM").records("Organisations")]
    assert "Acme Holding AS" in names
    keap_names = sorted(c["company_name"] for c in systems.emulator("Keap").records("Companies"))
    assert keap_names == ["Acme Holding AS", "Beta Group AS"]
    prices = [p.get("ProductPrice") for p in systems.emulator("WebCRM").records("Products")]
    assert 12.5 in prices


@pytest.mark.parametrize("after_apply", [False, True], ids=["before-request", "after-apply"])
def test_initial_run_killed_at_every_write(tmp_path: Path, after_apply: bool) -> None:
    total = _writes_of_clean_run(tmp_path, edits=False)
    assert total >= 6
    documents = _documents()
    for number in range(1, total + 1):
        with EmulatedSystems(documents) as systems:
            store = SqliteLinkStore(tmp_path / f"kill-{number}-{after_apply}.db")
            _seed(systems)
            with kill_at_write(systems, store, number, after_apply=after_apply), \
                    pytest.raises(Killed):
                run_sync(documents, systems, store)
            store = reopen(store)
            recovered = run_sync(documents, systems, store)
            assert recovered.failed == 0, recovered.details
            assert_converged(documents, systems, store)
            assert len(systems.emulator("WebCRM").records("Organisations")) == 3
            assert len(systems.emulator("WebCRM").records("Products")) == 2
            assert run_sync(documents, systems, store).writes == 0


@pytest.mark.parametrize("after_apply", [False, True], ids=["before-request", "after-apply"])
def test_update_run_killed_at_every_write(tmp_path: Path, after_apply: bool) -> None:
    total = _writes_of_clean_run(tmp_path, edits=True)
    assert total >= 3
    documents = _documents()
    for number in range(1, total + 1):
        with EmulatedSystems(documents) as systems:
            store = SqliteLinkStore(tmp_path / f"edit-{number}-{after_apply}.db")
            _seed(systems)
            run_sync(documents, systems, store)
            _edit(systems)
            with kill_at_write(systems, store, number, after_apply=after_apply), \
                    pytest.raises(Killed):
                run_sync(documents, systems, store)
            store = reopen(store)
            assert run_sync(documents, systems, store).failed == 0
            _assert_edits_arrived(systems)
            assert_converged(documents, systems, store)
            assert run_sync(documents, systems, store).writes == 0


def test_a_dropped_create_answer_is_linked_in_the_same_run(tmp_path: Path) -> None:
    documents = _documents()
    with EmulatedSystems(documents) as systems:
        store = SqliteLinkStore(tmp_path / "state.db")
        _seed(systems)
        systems.emulator("WebCRM").drop_after_write("/Organisations", n=1, method="POST")
        first = run_sync(documents, systems, store)
        assert first.failed == 0, first.details
        assert first.totals()["created"] == 6
        second = run_sync(documents, systems, store)
        assert second.writes == 0
        assert store.counts()["intents"] == 0
        assert len(systems.emulator("WebCRM").records("Organisations")) == 3
        assert_converged(documents, systems, store)


@pytest.mark.parametrize("status", [429, 500, 503])
def test_bursts_of_errors_end_in_the_same_state(tmp_path: Path, status: int) -> None:
    documents = _documents()
    with EmulatedSystems(documents) as clean:
        _seed(clean)
        run_sync(documents, clean, SqliteLinkStore(tmp_path / "clean.db"))
        expected = {key: {name: len(e.records(name)) for name in e.entities()}
                    for key, e in clean.emulators.items()}
    with EmulatedSystems(documents) as systems:
        _seed(systems)
        for emulator in systems.emulators.values():
            emulator.fail_next("/", n=3, status=status)
        store = SqliteLinkStore(tmp_path / "faulty.db")
        report = run_sync(documents, systems, store)
        assert report.failed == 0, report.details
        got = {key: {name: len(e.records(name)) for name in e.entities()}
               for key, e in systems.emulators.items()}
        assert got == expected
        assert_converged(documents, systems, store)


def test_a_record_that_keeps_failing_is_retried_next_run(tmp_path: Path) -> None:
    documents = _documents()
    with EmulatedSystems(documents) as systems:
        store = SqliteLinkStore(tmp_path / "state.db")
        _seed(systems)
        run_sync(documents, systems, store)
        product = systems.emulator("Keap").records("Product")[0]
        systems.emulator("Keap").edit("Product", product["id"], {"product_price": 77.0})
        systems.emulator("WebCRM").fail_next("/Products/", n=50, status=500, method="PUT")
        failed = run_sync(documents, systems, store)
        assert failed.failed == 1
        systems.emulator("WebCRM").faults.clear()
        assert run_sync(documents, systems, store).failed == 0
        assert 77.0 in [p.get("ProductPrice") for p in
                        systems.emulator("WebCRM").records("Products")]


def test_a_retry_after_too_long_stops_that_entity_saying_when(tmp_path: Path) -> None:
    documents = _documents()
    with EmulatedSystems(documents) as systems:
        _seed(systems)
        webcrm = systems.emulator("WebCRM")
        webcrm.retry_after_seconds = 900  # more than talk waits by default
        webcrm.fail_next("/Products", n=1, status=429, method="GET")
        report = run_sync(documents, systems, SqliteLinkStore(tmp_path / "state.db"))
        stopped = [d for d in report.details if d.kind == "failure"]
        assert stopped and all("Products" in d.message for d in stopped), stopped
        assert all("retry after" in d.message and "UTC" in d.message for d in stopped)
        assert len(webcrm.records("Organisations")) == 3  # the other entities went on


def test_talk_sync_says_which_entity_stopped_and_when_to_retry(
        capsys: pytest.CaptureFixture[str]) -> None:
    report = RunReport(details=[Detail(
        kind="failure", document="d", section="s", line=1, system="webcrm",
        entity="Products", record_id=None, message="reading webcrm Products failed: retry "
        "after 2026-12-07 10:00:00 UTC")])
    sync_command._emit(report, as_json=False)
    out = capsys.readouterr().out
    assert "failure: webcrm Products: reading webcrm Products failed: retry after" in out
