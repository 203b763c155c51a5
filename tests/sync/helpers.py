"""Shared helpers of the sync tests: documents, emulated systems, kill switches."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from talk.dataflow import parse_file, parse_text
from talk.dataflow.model import Dataflow
from talk.emulator.base import DroppedAfterWrite, Emulator, HttpRequest, HttpResponse
from talk.sync.emulated import EmulatedSystems
from talk.sync.engine import SyncEngine
from talk.sync.report import RunReport
from talk.sync.store import LinkStore, Ref, SqliteLinkStore

ROOT = Path(__file__).resolve().parents[2]
DATAFLOWS = ROOT / "dataflows"
DATA = ROOT / "tests" / "data"


def seed_documents() -> list[Dataflow]:
    return [parse_file(path) for path in sorted(DATAFLOWS.glob("*.rst"))]


def document(name: str) -> Dataflow:
    for folder in (DATAFLOWS, DATA):
        path = folder / f"{name}.rst"
        if path.exists():
            return parse_file(path)
    raise FileNotFoundError(name)


def with_row(dataflow: Dataflow, section_title: str, row: tuple[str, str, str]) -> Dataflow:
    """A test copy of a document with one more property row in one section
    (docs/design.md#unsupported-sections)."""
    text = Path(dataflow.path).read_text(encoding="utf-8").replace("\r\n", "\n")
    lines = text.split("\n")
    start = lines.index(section_title)
    header = next(i for i in range(start, len(lines)) if lines[i].strip().endswith("Data Type"))
    extra = [f"   * - {row[0]}", f"     - {row[1]}", f"     - {row[2]}"]
    lines[header + 1:header + 1] = extra
    return parse_text("\n".join(lines), dataflow.path)


class Killed(BaseException):
    """Stands for the process being killed: nothing in talk may catch it."""


@contextmanager
def at_write(systems: EmulatedSystems, number: int,
             fault: Callable[[HttpRequest, Callable[[HttpRequest], HttpResponse]], HttpResponse],
             methods: Collection[str] = ("POST", "PUT", "PATCH", "DELETE")) -> Iterator[list[int]]:
    """Let `fault(request, original)` answer the `number`-th (1-based) write request across
    all systems whose method is in `methods`; every other request is served as usual."""
    seen = [0]
    originals: dict[str, Callable[[HttpRequest], HttpResponse]] = {}

    def wrap(emulator: Emulator) -> Callable[[HttpRequest], HttpResponse]:
        original = emulator.handle

        def handle(request: HttpRequest) -> HttpResponse:
            if request.method.upper() in methods:
                seen[0] += 1
                if seen[0] == number:
                    return fault(request, original)
            return original(request)

        return handle

    for key, emulator in systems.emulators.items():
        originals[key] = emulator.handle
        emulator.handle = wrap(emulator)  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        for key, emulator in systems.emulators.items():
            emulator.handle = originals[key]  # type: ignore[method-assign]


def kill_at_write(systems: EmulatedSystems, store: SqliteLinkStore, number: int, *,
                  after_apply: bool) -> AbstractContextManager[list[int]]:
    """Kill the run at the `number`-th write request (1-based) across all systems: before
    the request reaches the server, or after the server applied it (answer never seen).

    A killed process runs no `finally` and commits nothing: from the kill on, the store's
    flush does nothing, and `reopen` drops its connection uncommitted."""

    def kill(request: HttpRequest, original: Callable[[HttpRequest], HttpResponse]
             ) -> HttpResponse:
        if after_apply:
            original(request)
        store.flush = lambda: None  # type: ignore[method-assign]
        raise Killed(f"killed {'after' if after_apply else 'before'} write {number}")

    return at_write(systems, number, kill)


def lose_answer_of_create(systems: EmulatedSystems, number: int
                          ) -> AbstractContextManager[list[int]]:
    """The `number`-th create across all systems is applied, and its answer lost."""

    def drop(request: HttpRequest, original: Callable[[HttpRequest], HttpResponse]
             ) -> HttpResponse:
        original(request)
        raise DroppedAfterWrite(request.url)

    return at_write(systems, number, drop, methods=("POST",))


def run_sync(dataflows: Sequence[Dataflow], systems: EmulatedSystems,
             store: LinkStore) -> RunReport:
    return SyncEngine(dataflows, systems.connectors, store).run()


def reopen(store: SqliteLinkStore) -> SqliteLinkStore:
    """A new store on the same file, as a process restarted after a kill would open it.

    The old connection is dropped without `close()`, which would commit the store's open
    batch: a killed process commits nothing, so neither may the test."""
    store._db.close()  # sqlite3 discards an uncommitted transaction on close
    return SqliteLinkStore(store.path)


def counterparts(store: LinkStore, ref: Ref, system: str, entity: str) -> str | None:
    return store.cluster_of(ref).get((system, entity))


def snapshot(systems: EmulatedSystems) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Every record of every entity of every emulator (ids and stamps dropped)."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for key, emulator in systems.emulators.items():
        out[key] = {name: emulator.records(name) for name in emulator.entities()}
    return out
