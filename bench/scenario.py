"""The benchmark's world: one document section, its emulated systems, seeded records.

CustomERP (the generic JSON API: cursor reads with `updated_since`) Customer to WebCRM
Organisations (read by update dates), three property rows of three documented types
(string, integer, boolean), so the engine converts and compares typed values both ways
and both sides are read by their changes, not in full.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from talk.dataflow import parse_file
from talk.dataflow.model import Dataflow
from talk.sync.emulated import EmulatedSystems
from talk.sync.engine import SyncEngine
from talk.sync.flows import Flow, bind_flows
from talk.sync.report import RunReport
from talk.sync.store import SqliteLinkStore

__all__ = ["DOCUMENT", "World", "bench_document", "edit_one_percent", "floor_sync", "world"]

DOCUMENT = """\
============================
CustomERP to WebCRM Dataflow
============================

Introduction
------------

The section `python -m bench` syncs: three property rows of three documented types.

CustomERP Customer to WebCRM Organisations
------------------------------------------
Every CustomERP Customer will be synchronized with a WebCRM Organisations.

Once a link between a CustomERP Customer and a WebCRM Organisations is established, \
it will keep in sync between the two systems, regardless of where it is edited.

The following properties are synchronized between a CustomERP Customer and a WebCRM \
Organisations:

.. list-table::
   :header-rows: 1

   * - CustomERP Customer Property
     - WebCRM Organisations Property
     - WebCRM Data Type
   * - name
     - OrganisationName
     - "string"
   * - employees
     - OrganisationXInt1
     - "integer"
   * - no_ads
     - OrganisationNoAds
     - "boolean"
"""


def bench_document(folder: Path) -> Dataflow:
    """The benchmark document, written to `folder` and parsed like any other."""
    path = folder / "customerp-to-webcrm-bench.rst"
    path.write_text(DOCUMENT, encoding="utf-8")
    return parse_file(path)


def source_record(number: int) -> dict[str, Any]:
    return {"name": f"Customer {number:06d}", "employees": number % 997,
            "no_ads": number % 2 == 0}


@dataclass
class World:
    """Emulated systems with N source records, the section's flow and a fresh link store."""

    systems: EmulatedSystems
    flow: Flow
    store: SqliteLinkStore
    dataflows: list[Dataflow]

    def engine(self) -> SyncEngine:
        return SyncEngine(self.dataflows, self.systems.connectors, self.store)

    def sync(self) -> RunReport:
        return self.engine().run()


def quiet(systems: EmulatedSystems) -> None:
    """Turn off the request logs (test aids that keep every request and answer), so a
    100,000-record run neither fills memory nor slows down as it goes; floor and sync alike."""
    for emulator in systems.emulators.values():
        emulator.requests = _NoLog()
    mock = systems._mock  # the `responses` mock: its call list keeps every call
    if mock is not None:
        calls: Any = mock._calls
        calls.add = lambda *args, **kwargs: None
        calls.add_call = lambda *args, **kwargs: None


class _NoLog(list[Any]):
    def append(self, item: Any) -> None:
        """Dropped: nothing in the benchmark reads the log."""


@contextmanager
def world(dataflow: Dataflow, records: int) -> Iterator[World]:
    """A fresh world: emulators with `records` source records, an empty link store."""
    flow = bind_flows([dataflow])[0]
    with tempfile.TemporaryDirectory(prefix="talk-bench-") as folder, \
            EmulatedSystems([dataflow]) as systems:
        quiet(systems)
        source = systems.emulators[flow.source.system]
        for number in range(records):
            source.seed(flow.section.source.entity, source_record(number))
        store = SqliteLinkStore(Path(folder) / "state.db")
        try:
            yield World(systems, flow, store, [dataflow])
        finally:
            store.close()


def floor_sync(world: World) -> int:
    """The floor: the initial sync's reads and writes through the same connectors, with no
    engine (every source record listed, one create per record). Returns the creates."""
    flow = world.flow
    source = world.systems.connectors[flow.source.system]
    target = world.systems.connectors[flow.target.system]
    created = 0
    for record in source.list_all(flow.source):
        target.create(flow.target, {"OrganisationName": record["name"],
                                    "OrganisationXInt1": record["employees"],
                                    "OrganisationNoAds": record["no_ads"]})
        created += 1
    return created


def edit_one_percent(world: World) -> int:
    """Edit every 100th source record as a user would (one property); returns how many."""
    flow = world.flow
    emulator = world.systems.emulators[flow.source.system]
    entity = flow.section.source.entity
    edited = 0
    for index, record in enumerate(emulator.records(entity)):
        if index % 100 == 0:
            emulator.edit(entity, record["id"], {"employees": record["employees"] + 1})
            edited += 1
    return edited
