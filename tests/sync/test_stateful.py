"""A Hypothesis state machine: random creates and edits in any system, syncs, injected faults
and killed runs. After every step no cluster holds two records of one (system, entity);
after a final fault-free run linked sides agree and a further run writes nothing."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from talk.sync.emulated import EmulatedSystems
from talk.sync.store import Ref, SqliteLinkStore

from .convergence import assert_converged
from .helpers import Killed, document, kill_at_write, reopen, run_sync

DOCUMENTS = [document("keap-to-webcrm"), document("customcrm-to-customcrm")]
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

    # -- changes as users make them ---------------------------------------------------------

    @rule(name=names)
    def create_company(self, name: str) -> None:
        self.keap.seed("Companies", {"company_name": name})

    @rule(name=names, price=prices)
    def create_product(self, name: str, price: float) -> None:
        self.keap.seed("Product", {"product_name": name, "product_price": price})

    @rule(name=names)
    def create_customcrm_record(self, name: str) -> None:
        self.crm.seed("Contact", {"name": name})

    @precondition(lambda self: self.keap.records("Companies"))
    @rule(pick=st.integers(min_value=0), name=names)
    def edit_company_in_keap(self, pick: int, name: str) -> None:
        companies = self.keap.records("Companies")
        self.keap.edit("Companies", companies[pick % len(companies)]["id"],
                       {"company_name": name})

    def linked(self, entity: str, id_field: str) -> list[dict[str, object]]:
        """WebCRM records the sync has linked. A record whose create answer was lost is not
        linked until the next run finds it by its payload (decision 13); a user edit to it
        before then makes it unrecognisable, which is that decision's known limit, so the
        users of this machine edit only linked records."""
        return [r for r in self.webcrm.records(entity)
                if self.store.is_member(Ref("webcrm", entity, str(r[id_field])))]

    @precondition(lambda self: self.linked("Organisations", "OrganisationId"))
    @rule(pick=st.integers(min_value=0), name=names)
    def edit_organisation_in_webcrm(self, pick: int, name: str) -> None:
        organisations = self.linked("Organisations", "OrganisationId")
        chosen = organisations[pick % len(organisations)]
        self.webcrm.edit("Organisations", chosen["OrganisationId"], {"OrganisationName": name})

    @precondition(lambda self: self.keap.records("Product"))
    @rule(pick=st.integers(min_value=0), price=prices)
    def edit_price_in_keap(self, pick: int, price: float) -> None:
        products = self.keap.records("Product")
        self.keap.edit("Product", products[pick % len(products)]["id"], {"product_price": price})

    @precondition(lambda self: self.linked("Products", "ProductId"))
    @rule(pick=st.integers(min_value=0), price=prices)
    def edit_price_in_webcrm(self, pick: int, price: float) -> None:
        products = self.linked("Products", "ProductId")
        self.webcrm.edit("Products", products[pick % len(products)]["ProductId"],
                         {"ProductPrice": str(price)})

    # -- syncs, clean and faulty ------------------------------------------------------------

    @rule()
    def sync(self) -> None:
        run_sync(DOCUMENTS, self.systems, self.store)

    @rule(status=st.sampled_from([429, 500, 503]), n=st.integers(min_value=1, max_value=4),
          system=st.sampled_from(["keap", "webcrm", "customcrm"]))
    def sync_through_errors(self, status: int, n: int, system: str) -> None:
        self.systems.emulators[system].fail_next("/", n=n, status=status)
        run_sync(DOCUMENTS, self.systems, self.store)
        self.systems.emulators[system].faults.clear()

    @rule(number=st.integers(min_value=1, max_value=12), after_apply=st.booleans())
    def killed_sync(self, number: int, after_apply: bool) -> None:
        try:
            with kill_at_write(self.systems, self.store, number, after_apply=after_apply):
                run_sync(DOCUMENTS, self.systems, self.store)
        except Killed:
            pass
        self.store = reopen(self.store)

    @rule(system=st.sampled_from(["keap", "webcrm"]))
    def sync_with_dropped_answer(self, system: str) -> None:
        self.systems.emulators[system].drop_after_write("/", n=1)
        run_sync(DOCUMENTS, self.systems, self.store)
        self.systems.emulators[system].faults.clear()

    # -- invariants -------------------------------------------------------------------------

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

    def teardown(self) -> None:
        try:
            for emulator in self.systems.emulators.values():
                emulator.faults.clear()
            final = run_sync(DOCUMENTS, self.systems, self.store)
            assert final.failed == 0, final.details
            assert_converged(DOCUMENTS, self.systems, self.store)
            again = run_sync(DOCUMENTS, self.systems, self.store)
            assert again.writes == 0, again.details
        finally:
            self.systems.__exit__(None, None, None)
            self.store.close()
            self.folder.cleanup()


SyncMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=12, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_sync_state_machine = SyncMachine.TestCase
