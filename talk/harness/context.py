"""One scenario's world: its documents, fresh emulators, a fresh link store, and its evidence.

The link store is SQLite in memory (the same code as `.talk/state.db`, without the file: a
scenario's links end with it; durability is what tests/sync checks). A sync runs the
sections connected to the scenario's seeded records (`SyncEngine(reach=...)`): the systems
hold nothing else, so the other sections would only read empty collections.

Everything that varies between scenarios (record ids, emulator clocks) derives from the
scenario's node id, never from a global counter or the wall clock, so a run under
pytest-xdist gives the same ids, bodies and results as a serial one (docs/design.md#pytest-wiring).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from talk.dataflow.model import Dataflow, EntityRef, PropertyRow, Section
from talk.dataflow.row_lint import unlinkable_reason
from talk.emulator.base import Clock, Emulator
from talk.harness.checklist import PAIRED
from talk.harness.documents import load_document, resolve_document
from talk.harness.items import ItemInfo
from talk.harness.outcomes import ManualCheck, Unsupported
from talk.sync.emulated import EmulatedSystems
from talk.sync.engine import SyncEngine
from talk.sync.flows import unnamed_sections
from talk.sync.paths import set_path
from talk.sync.report import RunReport
from talk.sync.store import Ref, SqliteLinkStore
from talk.systems.keys import system_key
from talk.systems.profile import EntityProfile
from talk.systems.registry import profile_for, resolve_entity
from talk.types.values import MISSING, json_kind

__all__ = ["RecordType", "ScenarioContext", "node_seed"]

_SPACES = re.compile(r"\s+")
_WRITES = frozenset({"POST", "PUT", "PATCH"})
_ODATA_KEY = re.compile(r"\(.*\)$")


def node_seed(nodeid: str) -> int:
    """A stable number from a node id: the same in every process and every run."""
    return int.from_bytes(hashlib.sha256(nodeid.encode()).digest()[:6], "big")


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


@dataclass(frozen=True)
class RecordType:
    """A record kind named in a step: `Keap Companies` -> system keap, entity Companies."""

    phrase: str
    system: str  # system key
    entity: EntityProfile
    ref: EntityRef | None  # the document's reference, when a document names it
    # `paired Freshteam Employee`: in a section from an entity to itself, the record the
    # sync paired with the seeded one (both have one slot, so the phrase tells them apart)
    paired: bool = False

    @property
    def slot(self) -> tuple[str, str]:
        return (self.system, self.entity.name)


@dataclass(frozen=True)
class Sent:
    """One write the sync sent to a system, as seen at the HTTP boundary (no headers)."""

    system: str
    method: str
    path: str
    body: Any
    run: int

    def to_json(self) -> dict[str, Any]:
        return {"system": self.system, "method": self.method, "path": self.path,
                "body": self.body, "run": self.run}

    def writes_to(self, resource: str) -> bool:
        """Whether the write went to this resource: whole path segments, so `order` is not
        `orderitem`; an OData key (`Accounts(guid'...')`) belongs to its segment."""
        segments = [_ODATA_KEY.sub("", part).lower()
                    for part in self.path.split("?", 1)[0].split("/") if part]
        wanted = [part.lower() for part in resource.split("/") if part]
        return bool(wanted) and any(segments[i:i + len(wanted)] == wanted
                                    for i in range(len(segments) - len(wanted) + 1))


class ScenarioContext:
    """The state the steps of one scenario share."""

    def __init__(self, nodeid: str, anchors: list[Path]) -> None:
        self.nodeid = nodeid
        self.seed = node_seed(nodeid)
        self.anchors = anchors
        self.item: ItemInfo | None = None
        self.dataflows: list[Dataflow] = []
        self.documents: list[Path] = []
        self._systems: EmulatedSystems | None = None
        self._store: SqliteLinkStore | None = None
        self.seeded: list[tuple[RecordType, Ref]] = []
        self.reports: list[RunReport] = []
        self.sent: list[Sent] = []
        self.evidence: dict[str, Any] = {"seeded": [], "sent": [], "read_back": [],
                                         "checks": []}
        self._slots: dict[EntityRef, tuple[str, str]] = {}
        self._shown: dict[str, str] = {}

    # -- documents and systems ------------------------------------------------------------

    def add_document(self, written: str) -> Dataflow:
        if self._systems is not None:
            raise AssertionError("name every dataflow document before the first record or "
                                 "synchronization of the scenario")
        path = resolve_document(written, self.anchors)
        dataflow = load_document(path)
        if path not in self.documents:
            self.documents.append(path)
            self.dataflows.append(dataflow)
        self._refuse_unnamed()
        return dataflow

    def _refuse_unnamed(self) -> None:
        """An item of a section naming no system, or of one none of whose records can be
        linked, is unsupported with the section's reason (docs/design.md#unlinkable-sections):
        there is nothing to check it against."""
        current = self.current_section()
        if current is None:
            return
        dataflow, section = current
        for unnamed in unnamed_sections([dataflow]):
            if unnamed.section is section:
                raise Unsupported(f"{self.shown(dataflow)} line {section.line}: "
                                  f"{unnamed.reason}")
        unlinkable = unlinkable_reason(section)
        if unlinkable is not None:
            raise Unsupported(f"{self.shown(dataflow)} line {section.line}: {unlinkable}")

    @property
    def systems(self) -> EmulatedSystems:
        if self._systems is None:
            if not self.dataflows:
                raise AssertionError('no dataflow document named: start with '
                                     'Given the dataflow document "dataflows/<name>.rst"')
            start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=self.seed % 10**6)
            id_seed = (self.seed % 9000 + 1) * 1000
            self._systems = EmulatedSystems(self.dataflows, id_seed=id_seed,
                                            clock=Clock(start=start)).__enter__()
            for connector in self._systems.connectors.values():
                # in-process emulators: no proxy applies, and looking one up per request
                # (requests reads the whole environment each time) costs a third of a run
                connector.session.trust_env = False
        return self._systems

    @property
    def store(self) -> SqliteLinkStore:
        if self._store is None:
            self._store = SqliteLinkStore(":memory:")
        return self._store

    def close(self) -> None:
        if self._systems is not None:
            self._systems.__exit__(None, None, None)
            self._systems = None
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- names in steps -------------------------------------------------------------------

    def _refs(self) -> list[EntityRef]:
        return [ref for d in self.dataflows for s in d.unique_sections
                for ref in (s.source, s.target)]

    def record_type(self, phrase: str) -> RecordType:
        """`Keap Companies`, `Custom Contact`, `Exact Online Accounts (organisation data)`."""
        wanted = _norm(phrase)
        if wanted.startswith(PAIRED):
            kind = self.record_type(phrase.strip()[len(PAIRED):])
            return dataclasses.replace(kind, phrase=phrase, paired=True)
        for ref in self._refs():
            forms = {_norm(ref.display), _norm(f"{ref.label} {ref.entity}"),
                     _norm(f"{ref.system} {ref.entity}")}
            if wanted in forms:
                entity = resolve_entity(profile_for(ref.system), ref.entity)
                return RecordType(phrase, ref.system_key, entity, ref)
        words = phrase.split()
        for cut in range(len(words) - 1, 0, -1):
            system = " ".join(words[:cut])
            if system_key(system) in self.systems.emulators:
                entity = resolve_entity(profile_for(system), " ".join(words[cut:]))
                return RecordType(phrase, system_key(system), entity, None)
        raise AssertionError(f"{phrase!r} names no system and entity of {self._where()}")

    def system_of(self, phrase: str) -> str:
        """A system named in a step (`Webcrm`, or a document's label such as `Custom`)."""
        key = system_key(phrase)
        if key in self.systems.emulators:
            return key
        for ref in self._refs():
            if _norm(ref.label) == _norm(phrase):
                return ref.system_key
        raise AssertionError(f"{phrase!r} is no system of {self._where()}")

    def _where(self) -> str:
        return ", ".join(self.shown(d) for d in self.dataflows) or "no document"

    def shown(self, dataflow: Dataflow) -> str:
        """A document as a tester finds it: relative to the rootdir where possible."""
        shown = self._shown.get(str(dataflow.path))
        if shown is None:
            shown = self._shown[str(dataflow.path)] = self._relative(dataflow.path)
        return shown

    def _relative(self, written: str | Path) -> str:
        path = Path(written).resolve()
        for anchor in self.anchors:
            try:
                return path.relative_to(anchor.resolve()).as_posix()
            except ValueError:
                continue
        return str(written)

    def emulator(self, system: str) -> Emulator:
        return self.systems.emulators[system]

    # -- records --------------------------------------------------------------------------

    def seed_record(self, kind: RecordType, values: dict[str, Any]) -> Ref:
        record: dict[str, Any] = {}
        for path, value in values.items():
            set_path(record, path, value)
        emulator = self.emulator(kind.system)
        record = emulator.entity(kind.entity.name).as_described(record)
        stored = emulator.seed(kind.entity.name, record, key=self._merge_key(kind, values))
        ref = Ref(kind.system, kind.entity.name,
                  emulator.id_of(emulator.entity(kind.entity.name), stored))
        self.seeded.append((kind, ref))
        self.evidence["seeded"].append({"record": kind.phrase, "id": ref.id, "values": values})
        return ref

    def _merge_key(self, kind: RecordType, values: dict[str, Any]) -> object:
        """The id a seeded record must keep: where the item's section merges on a record's
        own id, the scenario gives both records one id, which only the seed can set (an
        API assigns ids on create)."""
        current = self.current_section()
        if current is None:
            return None
        for criterion in current[1].merge_criteria:
            for path in (criterion.source.path, criterion.target.path):
                if path in values and kind.entity.is_id_field(path):
                    return values[path]
        return None

    def seeded_of(self, kind: RecordType) -> list[Ref]:
        return [ref for seeded_kind, ref in self.seeded
                if seeded_kind.slot == kind.slot and seeded_kind.paired == kind.paired]

    def linked(self, kind: RecordType) -> Ref | None:
        """The record of this kind linked to a record the scenario seeded (for a paired
        kind: the record paired with the seeded one of its own entity)."""
        for seeded_kind, ref in self.seeded:
            if (ref.slot == kind.slot) != kind.paired or seeded_kind.paired:
                continue
            linked = self.store.counterpart(ref, kind.slot)
            if linked is not None:
                return Ref(*kind.slot, linked)
        return None

    def record_ref(self, kind: RecordType) -> Ref:
        """`the Keap Companies`: the one seeded, else the one linked to a seeded record."""
        own = self.seeded_of(kind)
        if own:
            return own[-1]
        linked = self.linked(kind)
        if linked is not None:
            return linked
        self.explain_missing_link(kind)
        raise AssertionError(f"no {kind.phrase} was seeded or linked in this scenario")

    def read(self, ref: Ref) -> dict[str, Any]:
        emulator = self.emulator(ref.system)
        try:
            return emulator.record(ref.entity, ref.id)
        except KeyError:
            raise AssertionError(f"{ref} does not exist in the emulated system") from None

    def note_read(self, kind: RecordType, ref: Ref, path: str, value: Any) -> None:
        shown = None if value is MISSING else value
        self.evidence["read_back"].append({"record": kind.phrase, "id": ref.id, "path": path,
                                           "value": shown, "type": json_kind(value)})

    # -- sections and the run report ------------------------------------------------------

    def _sections(self) -> list[tuple[Dataflow, Section]]:
        """Every section, the one of this scenario's item first: an item is judged on its
        own section, never on another joining the same entities (a "(human data)" twin)."""
        current = self.current_section()
        every = [(d, s) for d in self.dataflows for s in d.unique_sections]
        if current is None:
            return every
        return [current, *(pair for pair in every if pair[1] is not current[1])]

    def target_type(self, section: Section) -> RecordType:
        """The record kind a section writes to: `paired ...` when it is its source's own."""
        target = self.record_type(section.target.display)
        if target.slot == self.record_type(section.source.display).slot:
            return dataclasses.replace(target, phrase=PAIRED + target.phrase, paired=True)
        return target

    def _slot(self, ref: EntityRef) -> tuple[str, str]:
        """(system key, entity name) of a document's reference, resolved once per scenario
        (the checks of one item ask for the same few sections many times)."""
        slot = self._slots.get(ref)
        if slot is None:
            slot = (ref.system_key, resolve_entity(profile_for(ref.system), ref.entity).name)
            self._slots[ref] = slot
        return slot

    def sections_with(self, kind: RecordType) -> list[tuple[Dataflow, Section]]:
        """Sections that name this record kind as source or target, the item's own first."""
        return [(dataflow, section) for dataflow, section in self._sections()
                if kind.slot in (self._slot(section.source), self._slot(section.target))]

    def section_between(self, a: RecordType, b: RecordType) -> tuple[Dataflow, Section] | None:
        for dataflow, section in self.sections_with(a):
            if b.slot in (self._slot(section.source), self._slot(section.target)):
                return dataflow, section
        return None

    def current_section(self) -> tuple[Dataflow, Section] | None:
        """The section of the checklist item this scenario stands for, if generated."""
        if self.item is None or self.item.section_line is None:
            return None
        for dataflow, path in zip(self.dataflows, self.documents, strict=True):
            if self.item.document is not None and path != self.item.document:
                continue
            for section in dataflow.unique_sections:
                if section.line == self.item.section_line:
                    return dataflow, section
        return None

    def find_row(self, target_system: str, target_path: str,
                 source_path: str | None = None) -> tuple[Dataflow, Section, PropertyRow]:
        """The property row a step names; fails naming the document and section if none."""
        current = self.current_section()
        candidates = [current] if current else [
            (d, s) for d in self.dataflows for s in d.unique_sections]
        for dataflow, section in candidates:
            if section.target.system_key != target_system:
                continue
            for row in section.properties:
                if row.target.path == target_path and source_path in (None, row.source.path):
                    return dataflow, section, row
        where = "; ".join(f"{self.shown(d)} line {s.line} ({s.title})" for d, s in candidates)
        names = f"{source_path} -> {target_path}" if source_path else target_path
        raise AssertionError(f"{names} is not a property row of {where or self._where()}")

    def details(self, section: Section, dataflow: Dataflow, *kinds: str) -> list[Any]:
        found = []
        for report in self.reports:
            for detail in report.details:
                if detail.document == dataflow.name and detail.line == section.line \
                        and detail.kind in kinds:
                    found.append(detail)
        return found

    def untranslated(self, row: PropertyRow) -> str | None:
        """Why the sync left out this row's reference (it names a record the scenario has
        not linked), if it did: a tester checks the row with a record the reference names."""
        for dataflow in self.dataflows:
            for section in dataflow.unique_sections:
                if any(r is row for r in section.properties):
                    for detail in self.details(section, dataflow, "untranslated_reference"):
                        if detail.property == row.target.path:
                            return str(detail.message)
        return None

    def explain_missing_link(self, kind: RecordType) -> None:
        """Why a record has no link: unsupported or waiting on a condition
        (docs/design.md#which-sections-create, docs/design.md#unsupported-sections,
        docs/design.md#unlinkable-sections) raise the matching outcome; otherwise return and
        let the caller fail."""
        for _, seeded in self.seeded:
            other = RecordType("", seeded.system, resolve_entity(
                profile_for(seeded.system), seeded.entity), None)
            between = self.section_between(other, kind)
            if between is None:
                continue
            dataflow, section = between
            unsupported = self.details(section, dataflow, "unsupported")
            if unsupported:
                raise Unsupported(unsupported[0].message)
            waiting = self.details(section, dataflow, "not_evaluated")
            if waiting:
                raise ManualCheck(f"{waiting[0].message} ({self.shown(dataflow)} line "
                                  f"{section.line})")
            failures = self.details(section, dataflow, "failure", "ambiguous")
            if failures:
                raise AssertionError(f"the sync reported for {self.shown(dataflow)} line "
                                     f"{section.line}: {failures[0].message}")

    # -- running the sync -----------------------------------------------------------------

    def synchronize(self) -> RunReport:
        systems = self.systems
        before = {key: len(e.requests) for key, e in systems.emulators.items()}
        reach = {ref.slot for _, ref in self.seeded} or None
        engine = SyncEngine(self.dataflows, systems.connectors, self.store,
                            now=systems.clock.peek, reach=reach)
        report = engine.run()
        self.reports.append(report)
        run = len(self.reports)
        for key, emulator in systems.emulators.items():
            for request in emulator.requests[before[key]:]:
                if request.method.upper() not in _WRITES:
                    continue
                try:
                    body = request.json()
                except ValueError:
                    body = (request.body or b"").decode("utf-8", "replace")
                sent = Sent(key, request.method.upper(), request.path, body, run)
                self.sent.append(sent)
                self.evidence["sent"].append(sent.to_json())
        self.evidence.setdefault("runs", []).append(
            {key: value for key, value in report.totals().items() if value})
        return report

    def evidence_json(self) -> dict[str, Any]:
        """The evidence as plain JSON data (anything unusual shown as text)."""
        data: dict[str, Any] = json.loads(json.dumps(self.evidence, default=str))
        return {key: value for key, value in data.items() if value}

