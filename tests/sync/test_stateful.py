"""A Hypothesis state machine: random creates and edits in any system (unlinked records too),
syncs, injected faults, lost create answers in any entity, killed runs, a second run at the
same time, and edits to the documents' prose. Sections with empty payloads take part. After
every step no cluster holds two records of one (system, entity), no target record exists
without its source and records the sync did not create stay unlinked; after a final
fault-free run linked sides agree and a further run writes nothing."""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from talk.dataflow import parse_text
from talk.dataflow.model import Dataflow
from talk.sync.emulated import EmulatedSystems
from talk.sync.store import Ref, RunLock, SqliteLinkStore

from .convergence import assert_converged
from .helpers import Killed, document, kill_at_write, lose_answer_of_create, reopen, run_sync

DOCUMENTS = [document("keap-to-webcrm"), document("customcrm-to-customcrm")]


def _with_prose(dataflow: Dataflow) -> Dataflow:
    """The document with a paragraph more in its introduction: every section line moves."""
    text = Path(dataflow.path).read_text(encoding="utf-8").replace("\r\n", "\n")
    marker = "Introduction\n------------\n\n"
    return parse_text(text.replace(marker, marker + "Reviewed by QA.\n\nAgain.\n\n"),
                      dataflow.path)


EDITED = [_with_prose(d) for d in DOCUMENTS]
names = st.text(alphabet="abcdefgh XYZ'|<>æø", min_size=1, max_size=12).map(str.strip).filter(
    bool)
prices = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False).map(float)


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.systems = EmulatedSystems(DOCUMENTS).__enter__()
        self.store = SqliteLinkStore(Path(self.folder.name) / "state.db")
        self.keap = self.systems.emulator("Keap")
        self.webcrm = self.systems.emulator("WebCRM")
        self.crm = self.systems.emulator("Customcrm")
        self.documents = DOCUMENTS
        # records nobody asked the sync to touch: they must stay unlinked, as users left them
        self.unrelated = {str(self.webcrm.seed("Opportunities", {
            "OpportunityDescription": f"someone else's {n}"})["OpportunityId"]):
            f"someone else's {n}" for n in range(2)}

    # -- changes as users make them ---------------------------------------------------------

    @rule(name=names)
    def create_company(self, name: str) -> None:
        self.keap.seed("Companies", {"company_name": name})

    @rule(name=names, price=prices)
    def create_product(self, name: str, price: float) -> None:
        self.keap.seed("Product", {"product_name": name, "product_price": price})

    @rule(name=names)
    def create_opportunity(self, name: str) -> None:  # its section has no rows: empty payload
        self.keap.seed("Opportunity", {"opportunity_title": name})

    @rule(name=names)
    def create_customcrm_record(self, name: str) -> None:
        self.crm.seed("Contact", {"name": name})

    @precondition(lambda self: self.keap.records("Companies"))
    @rule(pick=st.integers(min_value=0), name=names)
    def edit_company_in_keap(self, pick: int, name: str) -> None:
        companies = self.keap.records("Companies")
        self.keap.edit("Companies", companies[pick % len(companies)]["id"],
                       {"company_name": name})

    def editable(self, entity: str) -> list[dict[str, object]]:
        """WebCRM records a user may edit: linked or not. The one exception is the README's
        stated limit: a record whose create answer was lost, edited before a run finds it,
        no longer holds what was sent and is not recognised; so while a create with a
        payload is pending (only a killed run leaves one) its target entity is left alone."""
        if entity == "Organisations" and self.store.counts()["intents"]:
            return []
        return self.webcrm.records(entity)

    @precondition(lambda self: self.editable("Organisations"))
    @rule(pick=st.integers(min_value=0), name=names)
    def edit_organisation_in_webcrm(self, pick: int, name: str) -> None:
        organisations = self.editable("Organisations")
        chosen = organisations[pick % len(organisations)]
        self.webcrm.edit("Organisations", chosen["OrganisationId"], {"OrganisationName": name})

    @rule(pick=st.integers(min_value=0), name=names)
    def edit_opportunity_in_webcrm(self, pick: int, name: str) -> None:
        opportunities = self.editable("Opportunities")
        chosen = opportunities[pick % len(opportunities)]
        record_id = str(chosen["OpportunityId"])
        self.webcrm.edit("Opportunities", chosen["OpportunityId"],
                         {"OpportunityDescription": name})
        if record_id in self.unrelated:
            self.unrelated[record_id] = name

    @precondition(lambda self: self.keap.records("Product"))
    @rule(pick=st.integers(min_value=0), price=prices)
    def edit_price_in_keap(self, pick: int, price: float) -> None:
        products = self.keap.records("Product")
        self.keap.edit("Product", products[pick % len(products)]["id"], {"product_price": price})

    @precondition(lambda self: self.webcrm.records("Products"))
    @rule(pick=st.integers(min_value=0), price=prices)
    def edit_price_in_webcrm(self, pick: int, price: float) -> None:
        products = self.webcrm.records("Products")
        self.webcrm.edit("Products", products[pick % len(products)]["ProductId"],
                         {"ProductPrice": str(price)})

    # -- syncs, clean and faulty ------------------------------------------------------------

    @rule()
    def sync(self) -> None:
        run_sync(self.documents, self.systems, self.store)

    @rule(status=st.sampled_from([429, 500, 503]), n=st.integers(min_value=1, max_value=4),
          system=st.sampled_from(["keap", "webcrm", "customcrm"]))
    def sync_through_errors(self, status: int, n: int, system: str) -> None:
        self.systems.emulators[system].fail_next("/", n=n, status=status)
        run_sync(self.documents, self.systems, self.store)
        self.systems.emulators[system].faults.clear()

    @rule(number=st.integers(min_value=1, max_value=12), after_apply=st.booleans())
    def killed_sync(self, number: int, after_apply: bool) -> None:
        try:
            with kill_at_write(self.systems, self.store, number, after_apply=after_apply):
                run_sync(self.documents, self.systems, self.store)
        except Killed:
            pass
        self.store = reopen(self.store)

    @rule(system=st.sampled_from(["keap", "webcrm"]))
    def sync_with_dropped_answer(self, system: str) -> None:
        self.systems.emulators[system].drop_after_write("/", n=1)
        run_sync(self.documents, self.systems, self.store)
        self.systems.emulators[system].faults.clear()

    @rule(number=st.integers(min_value=1, max_value=8))
    def sync_with_a_lost_create_answer(self, number: int) -> None:
        with lose_answer_of_create(self.systems, number):
            run_sync(self.documents, self.systems, self.store)

    @rule()
    def edit_the_documents_prose(self) -> None:
        self.documents = EDITED if self.documents is DOCUMENTS else DOCUMENTS

    @rule()
    def two_runs_at_once(self) -> None:
        """A second run (its own connection, as another process has) while one runs: the
        run lock makes it wait for the first to end."""
        failures: list[BaseException] = []

        def other_process() -> None:
            store = SqliteLinkStore(self.store.path)  # SQLite connections stay in a thread
            try:
                with RunLock(self.store.path, wait=60):
                    run_sync(self.documents, self.systems, store)
            except BaseException as exc:  # handed to the main thread
                failures.append(exc)
            finally:
                store.close()

        thread = threading.Thread(target=other_process)
        thread.start()
        try:
            with RunLock(self.store.path, wait=60):
                run_sync(self.documents, self.systems, self.store)
        finally:
            thread.join(timeout=120)
        assert not failures, failures

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def records_the_sync_did_not_create_stay_unlinked_and_unchanged(self) -> None:
        held = {str(r["OpportunityId"]): r.get("OpportunityDescription")
                for r in self.webcrm.records("Opportunities")}
        for record_id, description in self.unrelated.items():
            assert not self.store.is_member(Ref("webcrm", "Opportunities", record_id))
            assert held[record_id] == description

    @invariant()
    def no_cluster_holds_two_records_of_one_entity(self) -> None:
        with sqlite3.connect(self.store.path) as db:
            worst = db.execute(
                "SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM members "
                "GROUP BY cluster, system, entity)").fetchone()[0]
        assert worst <= 1

    @invariant()
    def no_target_record_without_its_source(self) -> None:
        # every WebCRM record was created for one Keap record: never more of them
        assert len(self.webcrm.records("Organisations")) <= len(self.keap.records("Companies"))
        assert len(self.webcrm.records("Products")) <= len(self.keap.records("Product"))
        assert len(self.webcrm.records("Opportunities")) <= (
            len(self.keap.records("Opportunity")) + len(self.unrelated))

    def teardown(self) -> None:
        try:
            for emulator in self.systems.emulators.values():
                emulator.faults.clear()
            final = run_sync(self.documents, self.systems, self.store)
            assert final.failed == 0, final.details
            assert_converged(DOCUMENTS, self.systems, self.store)
            again = run_sync(self.documents, self.systems, self.store)
            assert again.writes == 0, again.details
        finally:
            self.systems.__exit__(None, None, None)
            self.store.close()
            self.folder.cleanup()


SyncMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=12, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_sync_state_machine = SyncMachine.TestCase
