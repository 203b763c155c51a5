"""Bracket conditions on the target column, and values compared as the type they are."""

from __future__ import annotations

from talk.sync.emulated import EmulatedSystems
from talk.sync.store import Ref, SqliteLinkStore

from .documents import one_section
from .helpers import run_sync


def _by(records: list[dict[str, object]], key: str) -> dict[object, dict[str, object]]:
    return {r.get(key): r for r in records}


def test_a_target_condition_is_honoured_like_a_source_condition() -> None:
    rows = [("name", "name", '"string"'),
            ("phone", "Number (Dependant on having Mobile in Type)", '"string"')]
    documents = one_section("wave-zendesk", "Wave Customer", "Zendesk Users", rows,
                            merge=[("email", "email")])
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        wave, zendesk = systems.emulator("Wave"), systems.emulator("Zendesk")
        wave.seed("Customer", {"email": "a@example.com", "name": "Ann", "phone": "111"})
        wave.seed("Customer", {"email": "b@example.com", "name": "Bo", "phone": "222"})
        wave.seed("Customer", {"email": "c@example.com", "name": "Cy", "phone": "333"})
        zendesk.seed("Users", {"email": "a@example.com", "Type": "Work", "Number": "999"})
        zendesk.seed("Users", {"email": "c@example.com", "Type": "Mobile", "Number": "000"})
        first = run_sync(documents, systems, store)
        second = run_sync(documents, systems, store)
        users = _by(zendesk.records("Users"), "name")
    assert first.failed == 0 and second.writes == 0
    # a linked target that does not meet the condition keeps its own value ...
    assert (users["Ann"]["Type"], users["Ann"]["Number"]) == ("Work", "999")
    # ... one that meets it gets the source's value ...
    assert (users["Cy"]["Type"], users["Cy"]["Number"]) == ("Mobile", "333")
    # ... and a created one is created meeting it, with the value
    assert (users["Bo"]["Type"], users["Bo"]["Number"]) == ("Mobile", "222")


def test_one_instant_written_two_ways_is_no_edit() -> None:
    rows = [("changed", "changed_at", '"string"')]
    documents = one_section("wave-zendesk", "Wave Customer", "Zendesk Users", rows)
    store = SqliteLinkStore(":memory:")
    with EmulatedSystems(documents) as systems:
        wave, zendesk = systems.emulator("Wave"), systems.emulator("Zendesk")
        seeded = wave.seed("Customer", {"changed": "2024-05-06T07:08:23Z"})
        run_sync(documents, systems, store)
        source = Ref("wave", "Customer", wave.id_of(wave.entity("Customer"), seeded))
        linked = store.counterpart(source, ("zendesk", "Users"))
        zendesk.edit("Users", linked, {"changed_at": "2024-05-06T07:08:23.000Z"})
        again = run_sync(documents, systems, store)
        zendesk.edit("Users", linked, {"changed_at": "2024-05-06T07:08:24.000Z"})
        edited = run_sync(documents, systems, store)
        value = wave.record("Customer", source.id)["changed"]
    assert again.writes == 0
    assert edited.writes == 1 and value == "2024-05-06T07:08:24.000Z"  # a real edit travels
