"""A system synced with itself: same-entity sections pair records as twins, outside the
clusters, so they neither match a record with itself nor break the cluster rule."""

from __future__ import annotations

from talk.sync.emulated import EmulatedSystems
from talk.sync.store import Ref, SqliteLinkStore

from .documents import dataflow, section
from .helpers import run_sync

# A generic system: Freshteam's description requires fields on create these records lack.
EMPLOYEE = "Customhrm Employee"
NAME = [("first_name", "first_name", '"string"')]


def _ids(systems: EmulatedSystems) -> dict[str, str]:
    emulator = systems.emulator("Customhrm")
    entity = emulator.entity("Employee")
    return {r["email"]: emulator.id_of(entity, r) for r in emulator.records("Employee")
            if "email" in r}


def test_merge_pairs_two_records_of_one_entity_and_never_a_record_with_itself() -> None:
    documents = [dataflow("customhrm-customhrm", "Customhrm", "Customhrm",
                          section(EMPLOYEE, EMPLOYEE, NAME, merge=[("email", "email")]))]
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        emulator = systems.emulator("Customhrm")
        emulator.seed("Employee", {"email": "ann@example.com", "first_name": "Ann"})
        emulator.seed("Employee", {"email": "ann@example.com", "first_name": "Anne"})
        emulator.seed("Employee", {"email": "bo@example.com", "first_name": "Bo"})
        first = run_sync(documents, systems, store)
        second = run_sync(documents, systems, store)
        names = sorted(r["first_name"] for r in emulator.records("Employee"))
    counts = first.sections[0]
    assert [d.message for d in first.details if d.kind in ("failure", "ambiguous")] == []
    assert (counts.linked, counts.created, counts.failed, counts.no_match) == (1, 1, 0, 0)
    # the two Anns are one pair (the first read is its source); Bo matched only himself,
    # so he got a twin of his own
    assert names == ["Ann", "Ann", "Bo", "Bo"]
    assert second.writes == 0 and second.failed == 0
    assert store.counts()["twins"] == 2


def test_several_same_entity_sections_give_a_record_one_twin_and_stop() -> None:
    documents = [dataflow("customhrm-customhrm", "Customhrm", "Customhrm",
                          section(EMPLOYEE, EMPLOYEE, NAME),
                          section(f"{EMPLOYEE} (human data)", EMPLOYEE, NAME)),
                 dataflow("customhrm-zendesk", "Customhrm", "Zendesk",
                          section(EMPLOYEE, "Zendesk Users", [("first_name", "name",
                                                               '"string"')]))]
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        emulator = systems.emulator("Customhrm")
        seeded = emulator.seed("Employee", {"email": "ann@example.com", "first_name": "Ann"})
        ann = Ref("customhrm", "Employee", emulator.id_of(emulator.entity("Employee"), seeded))
        reports = [run_sync(documents, systems, store) for _ in range(3)]
        employees = emulator.records("Employee")
        users = systems.emulator("Zendesk").records("Users")
    assert [r.writes for r in reports[1:]] == [0, 0]
    assert all(r.failed == 0 for r in reports)
    assert len(employees) == 2  # Ann and her one twin, whichever section made it
    twin = store.twin_of(ann)
    assert twin is not None and twin.is_source
    assert store.counterpart(ann, ("customhrm", "Employee")) == twin.other.id
    # each Customhrm employee has its own Zendesk user: twins are not one cluster
    assert sorted(u["name"] for u in users) == ["Ann", "Ann"]
    assert store.counterpart(ann, ("zendesk", "Users")) != store.counterpart(
        twin.other, ("zendesk", "Users"))


def test_a_value_written_to_a_twin_is_not_undone_by_the_read_that_preceded_it() -> None:
    # One read of the entity serves both sides of the pair: the twin's copy from that read
    # predates what the source side writes to it, and must not be taken for an edit.
    documents = [dataflow("customhrm-customhrm", "Customhrm", "Customhrm",
                          section(EMPLOYEE, EMPLOYEE, NAME, merge=[("email", "email")]))]
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        emulator = systems.emulator("Customhrm")
        emulator.seed("Employee", {"email": "ann@example.com", "first_name": "Ann"})
        emulator.seed("Employee", {"email": "ann@example.com"})
        first = run_sync(documents, systems, store)
        second = run_sync(documents, systems, store)
        names = [r.get("first_name") for r in emulator.records("Employee")]
    assert names == ["Ann", "Ann"]
    assert first.failed == 0 and second.writes == 0
