"""The two-way sync engine: one run over every section of every document.

Per pass, each (system, entity) is read once (changes since its cursor); each record read is
handled for every section that names its entity, as source (link by merge criteria or
create, then sync) or as target (sync back over an existing link). Change detection compares
each side with what was last synced, so the sync's own writes are never seen as edits. Another
pass follows while a pass created a record in an entity it had already read, or updated one
there that another section reads (no section that reads it has seen the write yet), so a
second run writes nothing (docs/design.md#one-run-fixed-point). Two more things keep that true over
many documents:
of the rows writing one target field from different source fields only the first (document
path, then line) is synced, the others are reported; and a write an API refused is not sent
again until its values change.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any

from talk.connectors.base import AmbiguousWrite, ApiError, AuthError, Connector, RetriesExhausted
from talk.dataflow.model import Dataflow, PropertyPath, PropertyRow
from talk.sync.flows import (
    Competition,
    EntityGroup,
    Flow,
    bind_flows,
    competing_rows,
    connected_flows,
    group_flows,
    returning_rows,
    unnamed_sections,
)
from talk.sync.keys import is_key, names_entity, referenced_entity
from talk.sync.paths import MISSING, PathError, condition_holds, get_path, set_path, top_level
from talk.sync.report import Detail, RunReport, SectionCounts
from talk.sync.store import ClusterConflict, Intent, LinkStore, Ref
from talk.sync.values import same_synced
from talk.systems.profile import EntityProfile
from talk.types.coerce import CoercionError, to_source, to_target
from talk.types.compare import same_value
from talk.types.values import show

__all__ = ["MAX_PASSES", "SyncEngine"]

MAX_PASSES = 20  # chains of sections through twins take 8 passes over the 115 sample documents
CREATE_BATCH = 200  # creates whose intents are committed together
Record = dict[str, Any]


class _Unsupported(Exception):
    """A record that the target API cannot take (docs/design.md#unsupported-sections)."""


class _Untranslated(Exception):
    """A key or reference whose record has no linked counterpart in the other system."""


class _Refused(Exception):
    """A write the API refused before with the same values: a 4xx answer does not change by
    itself, so sending it again on every run would be a write per run that never lands."""


class _RowFailure(Exception):
    """A value one property row cannot carry, named by the row (file and line, both
    properties) so the reader finds the row to fix, not only the record."""

    def __init__(self, flow: Flow, row: PropertyRow, reason: Exception) -> None:
        self.row = row
        super().__init__(f"{flow.path or flow.document}:{row.line}: {row.source.path} -> "
                         f"{row.target.path}: {reason}")


_RECORD_ERRORS = (ApiError, RetriesExhausted, CoercionError, ClusterConflict, PathError,
                  _Refused, _RowFailure)


@dataclass
class _Pass:
    read: set[tuple[str, str]] = field(default_factory=set)  # slots read so far this pass
    unseen: int = 0  # records created, or updated for other sections, in a slot already read


@dataclass
class _PendingCreate:
    flow: Flow
    ref: Ref
    payload: Record
    values: dict[str, tuple[PropertyRow, Any]]


class SyncEngine:
    """Keeps the systems named by `dataflows` in sync through `connectors` (by system key).

    `reach`, when given, limits a run to the sections connected to those (system, entity)
    slots (`connected_flows`): the others are neither read nor reported.
    """

    def __init__(
        self,
        dataflows: Sequence[Dataflow],
        connectors: Mapping[str, Connector],
        store: LinkStore,
        *,
        progress: Callable[[str], None] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        reach: Collection[tuple[str, str]] | None = None,
    ) -> None:
        bound = bind_flows(dataflows)
        self._all_flows = {flow.key: flow for flow in bound}
        self._documented = set(self._all_flows)
        self._left_out: dict[str, list[tuple[PropertyRow, Competition]]] = {}
        self.flows = self._keep_one_writer(bound)
        # rows whose target edits stay in the target: another row carries their source
        # field back (over every document, so the row carrying it is always the same one;
        # rows left out above write nothing either way)
        self._one_way: dict[str, dict[int, Competition]] = {}
        for (key, line), competition in returning_rows(self.flows).items():
            if competition.kept != (key, line):
                self._one_way.setdefault(key, {})[line] = competition
        self._unnamed = unnamed_sections(dataflows) if reach is None else []
        if reach is not None:
            self.flows = connected_flows(self.flows, reach)
        self.groups = group_flows(self.flows)
        self.flow_by_key = {flow.key: flow for flow in self.flows}
        self.connectors = connectors
        self.store = store
        self.progress = progress or (lambda message: None)
        self.now = now
        self._report = RunReport()
        self._counts: dict[str, SectionCounts] = {}
        # Which records were read and which pairs synced in this run grow with the data:
        # they are kept as the store's run marks (out of memory), not in sets here.
        self._failed: set[tuple[str, Ref, Ref]] = set()
        self._failed_records: set[tuple[str, Ref]] = set()
        self._pending: list[_PendingCreate] = []
        self._pending_keys: set[tuple[tuple[str, str], Ref]] = set()
        self._noted: set[tuple[str, str, str]] = set()
        self._merge_index: dict[tuple[str, str], dict[str, list[str]]] = {}
        self._evidence: dict[tuple[str, str], int] = {}  # per target slot, this run
        self._orphans: set[tuple[str, str]] = set()  # slots with a create answer lost
        self._unknown: set[tuple[tuple[str, str], Ref]] = set()  # outcome unknown
        self._sent: set[int] = set()  # intents of creates this run sent
        self._run_started = now()
        self._pass = _Pass()
        self._sections_of: dict[tuple[str, str], int] = {}  # slot -> sections naming it
        for flow in self.flows:
            for slot in {flow.source_slot, flow.target_slot}:
                self._sections_of[slot] = self._sections_of.get(slot, 0) + 1

    # -- the run --------------------------------------------------------------------------

    def run(self) -> RunReport:
        self._report = RunReport()
        self._counts = {}
        for flow in self.flows:
            counts = SectionCounts(flow.document, flow.section.title, flow.section.line)
            self._counts[flow.key] = counts
            self._report.sections.append(counts)
        self._report_unnamed()
        self._report_left_out()
        self._report_one_way()
        self.store.clear_marks()
        self._failed = set()
        self._failed_records = set()
        self._pending, self._pending_keys = [], set()
        self._noted = set()
        self._merge_index = {}
        self._evidence, self._orphans, self._unknown, self._sent = {}, set(), set(), set()
        self._run_started = self.now()
        requests_before = self._request_total()
        writes_before = self._write_total()

        try:
            self.store.rekey_sections({  # state of a version that keyed it by line numbers
                f"{flow.document}:{flow.section.line}": (
                    key, {str(row.line): _row_key(row) for row in flow.section.properties})
                for key, flow in self._all_flows.items()})
            self._resolve_intents(settle=True)
            for number in range(MAX_PASSES):
                current = self._pass = _Pass()
                self._report.passes = number + 1
                for group in self.groups:
                    self._read_group(group, current, first_pass=number == 0)
                self._merge_index = {}
                if current.unseen == 0:  # every record written was read after its write
                    break
            self.store.prune_evidence()
        finally:
            self.store.flush()  # the store may batch its commits
        self._report.requests = self._request_total() - requests_before
        self._report.writes = self._write_total() - writes_before
        return self._report

    def _keep_one_writer(self, flows: list[Flow]) -> list[Flow]:
        """The flows without the rows that lose a competition for a target field (over every
        document, whatever `reach` is, so the row kept is always the same one)."""
        competing = competing_rows(flows)
        kept = []
        for flow in flows:
            losing = []
            for row in flow.rows:
                competition = competing.get((flow.key, row.line))
                if competition is not None and competition.kept != (flow.key, row.line):
                    losing.append((row, competition))
            if losing:
                self._left_out[flow.key] = losing
                left = {row.line for row, _ in losing}
                flow = replace(flow, rows=tuple(r for r in flow.rows if r.line not in left))
            kept.append(flow)
        return kept

    def _report_left_out(self) -> None:
        """One detail per row left out because another row writes its target field."""
        flows = {flow.key: flow for flow in self.flows}
        for key, losing in self._left_out.items():
            if key not in flows:
                continue  # outside this run's reach
            for row, competition in losing:
                self._detail("competing_rows", flows[key], flows[key].target, None,
                             competition.describe(self._all_flows), prop=row.target.path,
                             data={"field": competition.field,
                                   "kept": f"{competition.kept[0]}:{competition.kept[1]}",
                                   "rows": [f"{k}:{line}" for k, line in competition.rows]})

    def _report_one_way(self) -> None:
        """One detail per row that reads a source field an earlier row carries back to: its
        target's edits do not go back (they would overwrite that row's)."""
        for flow in self.flows:
            for line, competition in sorted(self._one_way.get(flow.key, {}).items()):
                row = next(r for r in flow.rows if r.line == line)
                self._detail("one_way_rows", flow, flow.source, None,
                             competition.describe(self._all_flows), prop=row.target.path,
                             data={"field": competition.field,
                                   "kept": f"{competition.kept[0]}:{competition.kept[1]}",
                                   "rows": [f"{k}:{n}" for k, n in competition.rows]})

    def _report_unnamed(self) -> None:
        """A section naming no system is skipped, visibly: its line in the report says why."""
        for unnamed in self._unnamed:
            section = unnamed.section
            self._report.sections.append(
                SectionCounts(unnamed.document, section.title, section.line))
            side = section.target if section.source.system_key else section.source
            self._report.details.append(Detail(
                kind="skipped", document=unnamed.document, section=section.title,
                line=section.line, system=side.system if side.label.strip() else "",
                entity=side.entity, record_id=None,
                message=unnamed.reason))

    def _request_total(self) -> int:
        return sum(c.request_count for c in self.connectors.values())

    def _write_total(self) -> int:
        return sum(c.write_count for c in self.connectors.values())

    def connector(self, system: str) -> Connector:
        try:
            return self.connectors[system]
        except KeyError:
            raise KeyError(f"no connector configured for system {system!r}") from None

    # -- reading --------------------------------------------------------------------------

    def _read_group(self, group: EntityGroup, current: _Pass, *, first_pass: bool) -> None:
        entity = group.entity
        connector = self.connector(entity.system)
        name = f"{entity.system} {entity.name}"
        if first_pass:
            for ref in self.store.retries():
                if ref.slot == group.slot:
                    self._retry(group, ref, current)
            self._send_creates(current)  # before the read, which may fail
        unreadable = entity.unsupported or (
            None if entity.can_read else f"{entity.system} {entity.name} cannot be listed "
                                         f"through its API: its description has no list")
        if unreadable:  # nothing to read (the API lacks the entity or a list of it)
            for flow in group.as_source + group.as_target:
                self._note("unsupported", flow, None, unreadable)
            return
        if group.slot in self._orphans and not self._settle_orphans(group):
            return
        cursor = self.store.cursor(*group.slot)
        self.progress(f"reading {name}" + (f" changed since {cursor}" if cursor else ""))
        current.read.add(group.slot)
        try:
            page = connector.read_changes(entity, cursor)
            count = 0
            for record in page.records:
                count += 1
                self._handle(group, record, current)
                if count % 500 == 0:
                    self.progress(f"reading {name}: {count} record(s) so far")
            next_cursor = page.next_cursor()
            self._send_creates(current)
        except AuthError:
            raise
        except (ApiError, RetriesExhausted) as exc:
            self._pending, self._pending_keys = [], set()  # re-read next run: not lost
            for flow in group.as_source + group.as_target:
                self._counts[flow.key].failed += 1
                self._detail("failure", flow, entity, None, f"reading {name} failed: {exc}")
            return
        self.store.set_cursor(*group.slot, next_cursor)
        self.progress(f"read {count} {name} record(s)")

    def _settle_orphans(self, group: EntityGroup) -> bool:
        """Link records whose create answer was lost before `group` is read as a source, so
        an orphan is never taken for a new source record; False (and reported) while one
        stays unresolved: the entity is then read next run."""
        with contextlib.suppress(ApiError, RetriesExhausted):
            self._resolve_intents(slot=group.slot, settle=False)
        if not any((i.target_system, i.target_entity) == group.slot
                   and (group.slot, i.source) not in self._unknown
                   for i in self.store.intents()):
            self._orphans.discard(group.slot)
            return True
        name = f"{group.entity.system} {group.entity.name}"
        for flow in group.as_source + group.as_target:
            self._counts[flow.key].failed += 1
            self._detail("failure", flow, group.entity, None,
                         f"a create into {name} got no answer and its record was not found "
                         f"yet; {name} is read again next run")
        return False

    def _retry(self, group: EntityGroup, ref: Ref, current: _Pass) -> None:
        self.store.remove_retry(ref)
        try:
            record = self.connector(ref.system).get(group.entity, ref.id)
        except (ApiError, RetriesExhausted) as exc:
            self.store.add_retry(ref, str(exc))
            return
        if record is not None:
            self._handle(group, record, current)

    def _handle(self, group: EntityGroup, record: Record, current: _Pass) -> None:
        entity = group.entity
        ref = Ref(entity.system, entity.name, self.connector(entity.system).record_id(entity,
                                                                                      record))
        for flow in group.as_source:
            self._guarded(flow, ref, partial(self._as_source, flow, ref, record, current))
        for flow in group.as_target:
            self._guarded(flow, ref, partial(self._as_target, flow, ref, record))

    def _guarded(self, flow: Flow, ref: Ref, work: Callable[[], None]) -> None:
        """Run one record's work for one section; a failure is the record's, not the run's."""
        try:
            work()
        except AuthError:
            raise
        except _Unsupported as exc:
            self._counts[flow.key].unsupported += 1
            self._detail("unsupported", flow, None, ref, str(exc))
        except _RECORD_ERRORS as exc:
            self._failed_records.add((flow.key, ref))
            self._counts[flow.key].failed += 1
            row = exc.row if isinstance(exc, _RowFailure) else None
            self._detail("failure", flow, None, ref, str(exc),
                         prop=row.target.path if row else None,
                         data={"line": row.line, "source_property": row.source.path,
                               "target_property": row.target.path} if row else None)
            self.store.add_retry(ref, str(exc))

    # -- a record as the source of a section ----------------------------------------------

    def _as_source(self, flow: Flow, ref: Ref, record: Record, current: _Pass) -> None:
        counts = self._counts[flow.key]
        if (flow.key, ref) in self._failed_records:
            return  # failed earlier in this run (its create may be pending): next run
        if flow.same_slot:
            twin = self.store.twin_of(ref)
            if twin is not None and not twin.is_source:
                return  # the target side of its pair: synced as the section's target
        first_read = self.store.mark(f"read {flow.key}", ref)
        if first_read:
            counts.read += 1
        if self.store.is_retired(ref):
            return
        linked = self.store.counterpart(ref, flow.target_slot)
        if linked is not None:
            target = Ref(*flow.target_slot, linked)
            if not self.store.is_retired(target):
                self._sync_pair(flow, ref, target, record, None, count=first_read)
            return
        candidates = self._merge_candidates(flow, ref, record)
        if len(candidates) == 1:
            self._link(flow, ref, candidates[0])
            counts.linked += 1
            self._sync_pair(flow, ref, candidates[0], record, None, count=False)
            return
        if len(candidates) > 1:
            counts.no_match += 1
            self._detail("ambiguous", flow, None, ref,
                         f"{len(candidates)} {flow.section.target.display} records match; "
                         "nothing was linked or created",
                         data={"candidates": [c.id for c in candidates]})
            return
        if flow.waits_for_condition:
            counts.not_evaluated += 1
            words = flow.section.condition or ", ".join(flow.section.connected_to)
            self._note("not_evaluated", flow, ref,
                       f"condition not evaluated: {words}" if words else
                       "condition not evaluated")
            return
        if not flow.creates:
            counts.no_match += 1
            return
        self._create(flow, ref, record, current)

    def _create(self, flow: Flow, ref: Ref, record: Record, current: _Pass) -> None:
        if flow.unsupported:
            raise _Unsupported(flow.unsupported)
        payload, values = self._payload(flow, record, ref)
        present = {top_level(path) for path in _leaves(payload)}
        missing = flow.target.missing_required(present)
        if missing:
            fields_ = " or ".join(missing[0])
            raise _Unsupported(f"{flow.section.target.display} requires {fields_}; "
                               "this record has no value for it")
        self._not_refused(_create_key(flow, ref), flow.target.system, payload)
        key = (flow.target_slot, ref)
        if key in self._unknown:
            return  # an earlier create's outcome is unknown: never risk a second one
        if key in self._pending_keys:
            return  # another section already queued this record's create into that entity
        self._pending_keys.add(key)
        self._pending.append(_PendingCreate(flow, ref, payload, values))
        if len(self._pending) >= CREATE_BATCH:
            self._send_creates(current)

    def _send_creates(self, current: _Pass) -> None:
        """Record the queued creates' intents in one commit, then send them one by one.

        Each intent must be durable before its create is sent; committing them a
        batch at a time keeps that promise without a commit per record."""
        batch, self._pending = self._pending, []
        self._pending_keys.clear()
        if not batch:
            return
        refused: dict[tuple[str, str], Exception] = {}
        for pending in batch:
            slot = pending.flow.target_slot
            if slot not in self._evidence and slot not in refused:
                try:
                    self._evidence[slot] = self._take_evidence(pending.flow.target)
                except (ApiError, RetriesExhausted) as exc:
                    refused[slot] = exc
        with self.store.transaction():
            intents = [self.store.add_intent(p.flow.key, p.ref, *p.flow.target_slot, p.payload,
                                             self._evidence[p.flow.target_slot])
                       if p.flow.target_slot in self._evidence else 0 for p in batch]
        self.store.flush()
        self._sent.update(i for i in intents if i)
        for pending, intent in zip(batch, intents, strict=True):
            if not intent:
                self._guarded(pending.flow, pending.ref,
                              partial(_raise, refused[pending.flow.target_slot]))
                continue
            self._guarded(pending.flow, pending.ref,
                          partial(self._send_create, pending, intent, current))

    def _take_evidence(self, entity: EntityProfile) -> int:
        """Remember every id the target holds before this run's first create into it: on a
        lost answer only a record outside them can be the one created (emulator and API
        clocks are not wall clocks, so ids are the evidence, not times)."""
        connector = self.connector(entity.system)
        ids = [connector.record_id(entity, record) for record in connector.list_all(entity)]
        return self.store.add_evidence(entity.system, entity.name, ids)

    def _send_create(self, pending: _PendingCreate, intent: int, current: _Pass) -> None:
        flow, ref = pending.flow, pending.ref
        if self.store.counterpart(ref, flow.target_slot) is not None:
            self.store.remove_intent(intent)  # linked meanwhile: nothing to create
            return
        connector = self.connector(flow.target.system)
        try:
            created = connector.create(flow.target, pending.payload)
        except AmbiguousWrite:
            try:  # find it now, before anything reads that entity as a source
                found = intent in self._resolve_intents(slot=flow.target_slot, only={intent})
            except (ApiError, RetriesExhausted):
                found = False
            if not found:
                self._orphans.add(flow.target_slot)
                raise
            if flow.target_slot in current.read:
                current.unseen += 1
            return
        except ApiError as exc:
            self.store.remove_intent(intent)  # refused: certainly not created
            self._remember_refusal(_create_key(flow, ref), pending.payload, exc)
            raise
        target = Ref(*flow.target_slot, connector.record_id(flow.target, created))
        state = {key: {"a": a, "b": _value(created, row.target.path)}
                 for key, (row, a) in pending.values.items()}
        with self.store.transaction():
            self._link(flow, ref, target)
            self.store.remove_intent(intent)
            self.store.set_synced_values(flow.key, ref, target, state)
        self._counts[flow.key].created += 1
        if flow.target_slot in current.read:
            current.unseen += 1
        self.store.mark(f"synced {flow.key}", ref, target)

    def _payload(self, flow: Flow, record: Record, ref: Ref
                 ) -> tuple[Record, dict[str, tuple[PropertyRow, Any]]]:
        """The create payload (documented types) and, per row, the source value it came from."""
        payload: Record = {}
        values: dict[str, tuple[PropertyRow, Any]] = {}
        for row in self._rows_for(flow, record, None, record_id=None):
            source_value = self._read(flow.source, record, row.source.path, ref)
            if source_value is None:
                values[_row_key(row)] = (row, source_value)
                continue  # docs/design.md#comparing-values: a missing value is left out of a create
            try:
                out = self._outbound(flow, row, source_value, ref)
            except _Untranslated as exc:
                self._untranslated(flow, ref, row, str(exc))
                continue  # not in the synced values: written once it can be translated
            values[_row_key(row)] = (row, source_value)
            condition = row.target.condition
            if condition is not None and condition.path and condition.value is not None:
                # the record created meets its rows' target conditions: the value goes where
                # the document says (`Phones.Number` of the phone whose Type is Mobile)
                set_path(payload, condition.path, condition.value.strip())
            set_path(payload, row.target.path, out)
        return flow.target.as_described(payload), values

    # -- keys and references --------------------------------------------------------------

    def _read(self, entity: EntityProfile, record: Record, path: str, ref: Ref | None) -> Any:
        """A row's value; the record's own key is its id, however the API spells it."""
        if ref is not None and is_key(entity, path):
            return ref.id
        return _value(record, path)

    def _outbound(self, flow: Flow, row: PropertyRow, value: Any, holder: Ref,
                  written: Ref | None = None) -> Any:
        """A source value as the target gets it: a reference translated, then coerced."""
        if row.line in flow.references:
            value = self._translate(flow.source, holder, row.source.path, value,
                                    flow.target.system, row.target.path, written)
        try:
            return to_target(value, row.type)
        except CoercionError as exc:
            raise _RowFailure(flow, row, exc) from None

    def _inbound(self, flow: Flow, row: PropertyRow, value: Any, holder: Ref,
                 current: Any, written: Ref) -> Any:
        """A target value as the source gets it back: a reference translated, then coerced."""
        if row.line in flow.references:
            if is_key(flow.source, row.source.path):
                raise _Untranslated(f"{row.source.path} is the key of "
                                    f"{flow.section.source.display}; a sync never writes it")
            value = self._translate(flow.target, holder, row.target.path, value,
                                    flow.source.system, row.source.path, written)
        try:
            return to_source(value, flow.source.field_type(row.source.path), current)
        except CoercionError as exc:
            raise _RowFailure(flow, row, exc) from None

    def _translate(self, entity: EntityProfile, holder: Ref, path: str, value: Any,
                   to_system: str, to_path: str, written: Ref | None) -> str | None:
        """The id in `to_system` of the record that `value` (an id of `entity`'s system, at
        `path` of `holder`) names, through the links; the other side's name of the field
        (`PersonId`, `order.id`) picks among several linked records. A reference names
        another record than the one it is `written` into."""
        if value is None or value == "":
            return None
        named = ([holder] if is_key(entity, path)
                 else self.store.members_with_id(entity.system, str(value)))
        found: dict[Ref, None] = {}
        for ref in named:
            for (system, name), record_id in self.store.cluster_of(ref).items():
                if system == to_system and (system, name) != ref.slot:
                    found[Ref(system, name, record_id)] = None
            twin = self.store.twin_of(ref) if ref.system == to_system else None
            if twin is not None:
                found[twin.other] = None
        if written is not None:
            found.pop(written, None)
        candidates = list(found)
        if len(candidates) > 1:
            stem = referenced_entity(to_path) or referenced_entity(path)
            candidates = [ref for ref in candidates if names_entity(ref.entity, stem)]
        if len(candidates) == 1:
            return candidates[0].id
        what = f"{entity.system} id {show(value)} at {path}"
        if not named:
            raise _Untranslated(f"{what} names no record the sync has linked, so it cannot "
                                f"be translated into a {to_system} id for {to_path}")
        if not found:
            raise _Untranslated(f"{what} names a record linked to no {to_system} record, so "
                                f"it cannot be translated for {to_path}")
        raise _Untranslated(f"{what} names a record linked to {len(found)} {to_system} "
                            f"records ({', '.join(str(r) for r in found)}); {to_path} does "
                            "not say which one it means")

    def _untranslated(self, flow: Flow, ref: Ref, row: PropertyRow, reason: str) -> None:
        """Report a reference left out, once per record, row and run."""
        if not self.store.mark(f"untranslated {flow.key}:{row.line}", ref):
            return
        self._detail("untranslated_reference", flow, None, ref,
                     f"{reason}; the reference is not written", prop=row.target.path)

    def _rows_for(self, flow: Flow, source_record: Record | None, target_record: Record | None,
                  record_id: Ref | None) -> list[PropertyRow]:
        """The rows that apply to a pair: bracket conditions honoured
        (docs/design.md#bracket-conditions) on either
        column; a target condition holds for a record about to be created (`target_record`
        None), which is created meeting it."""
        rows = []
        for row in flow.rows:
            if (self._applies(flow, row.source, source_record, record_id)
                    and self._applies(flow, row.target, target_record, record_id,
                                      creating=target_record is None)):
                rows.append(row)
        return rows

    def _applies(self, flow: Flow, column: PropertyPath, record: Record | None,
                 record_id: Ref | None, *, creating: bool = False) -> bool:
        """Whether one column's bracket condition (if any) holds for the record (an
        understood one always holds for a record being created)."""
        condition = column.condition
        if condition is None:
            return True
        if not condition.understood:
            self._note("not_evaluated", flow, record_id,
                       f"condition not evaluated for {column.path}: {condition.text}",
                       prop=column.path)
            return False
        return creating or (record is not None and bool(condition_holds(record, condition)))

    def _link(self, flow: Flow, source: Ref, target: Ref) -> None:
        """Link a section's pair: as twins for a section from an entity to itself."""
        if flow.same_slot:
            self.store.link_twins(source, target, flow.key)
        else:
            self.store.link(source, target, flow.key)

    # -- merge criteria -------------------------------------------------------------------

    def _merge_candidates(self, flow: Flow, ref: Ref, record: Record) -> list[Ref]:
        found: list[Ref] = []
        for criterion in flow.section.merge_criteria:
            condition = criterion.source.condition
            if condition is not None and not (condition.understood
                                              and condition_holds(record, condition)):
                continue
            value = _value(record, criterion.source.path)
            if value is None or value == "":
                continue
            index = self._index(flow.target, criterion.target.path)
            for record_id in index.get(_merge_key(value), []):
                candidate = Ref(*flow.target_slot, record_id)
                if candidate == ref or candidate in found or self.store.is_retired(candidate):
                    continue  # a record never matches itself
                if flow.same_slot:
                    if self.store.twin_of(candidate) is not None:
                        continue  # already paired with another record
                elif flow.source_slot in self.store.cluster_of(candidate):
                    continue  # already linked to another source record
                found.append(candidate)
        return found

    def _index(self, entity: EntityProfile, path: str) -> dict[str, list[str]]:
        key = (f"{entity.system}/{entity.name}", path)
        if key not in self._merge_index:
            connector = self.connector(entity.system)
            index: dict[str, list[str]] = {}
            for record in connector.list_all(entity):
                value = _value(record, path)
                if value is not None and value != "":
                    index.setdefault(_merge_key(value), []).append(
                        connector.record_id(entity, record))
            self._merge_index[key] = index
        return self._merge_index[key]

    # -- a record as the target of a section ----------------------------------------------

    def _as_target(self, flow: Flow, ref: Ref, record: Record) -> None:
        fresh: Record | None = record
        if flow.same_slot:
            twin = self.store.twin_of(ref)
            linked = twin.other.id if twin is not None and not twin.is_source else None
            # one read of the entity serves both sides, so `record` may predate what the
            # source side wrote to it in this pass (taken for an edit, it would undo that
            # write): the pair is synced from a fresh read
            fresh = self._fetch(flow, flow.target, ref) if linked is not None else None
        else:
            linked = self.store.cluster_of(ref).get(flow.source_slot)
        if linked is None or self.store.is_retired(ref):
            return
        source = Ref(*flow.source_slot, linked)
        if fresh is not None and not self.store.is_retired(source):
            self._sync_pair(flow, source, ref, None, fresh)

    # -- keeping a linked pair in sync ----------------------------------------------------

    def _sync_pair(self, flow: Flow, source: Ref, target: Ref, a_now: Record | None,
                   b_now: Record | None, *, count: bool = False) -> None:
        """Sync one linked pair; `count` says whether "unchanged" is counted for it (once per
        source record and run, so the counts add up to what was read)."""
        pair = (flow.key, source, target)
        if pair in self._failed:
            return  # already failed (and reported) from its other side in this run
        try:
            self._sync_values(flow, source, target, a_now, b_now, count)
        except _RECORD_ERRORS:
            self._failed.add(pair)
            raise

    def _sync_values(self, flow: Flow, source: Ref, target: Ref, a_now: Record | None,
                     b_now: Record | None, count: bool) -> None:
        counts = self._counts[flow.key]
        state = self.store.synced_values(flow.key, source, target)
        if self.store.pair_origin(source, target) is None:
            self.store.set_pair_origin(source, target, flow.key)
        count = count and not self.store.is_marked(f"synced {flow.key}", source, target)
        if not flow.rows:
            if state is None:
                self.store.set_synced_values(flow.key, source, target, {})
            counts.unchanged += count
            return
        if state is not None and self._fresh_side_unchanged(flow, state, source, a_now, b_now):
            counts.unchanged += count
            return
        a_now = a_now if a_now is not None else self._fetch(flow, flow.source, source)
        b_now = b_now if b_now is not None else self._fetch(flow, flow.target, target)
        if a_now is None or b_now is None:
            return
        self.store.mark(f"synced {flow.key}", source, target)
        to_b: Record = {}
        to_a: Record = {}
        new_state: dict[str, Any] = {}
        for row in self._rows_for(flow, a_now, b_now, source):
            key = _row_key(row)
            a_val = self._read(flow.source, a_now, row.source.path, source)
            b_val = _value(b_now, row.target.path)
            last = (state or {}).get(key)
            try:
                a_out = self._outbound(flow, row, a_val, source, target)
            except _Untranslated as exc:
                self._untranslated(flow, source, row, str(exc))
                if last is not None:
                    new_state[key] = last
                continue
            write_b = write_a = False
            if last is None and state is not None and row.source.condition is None:
                pass  # a row added to (or retargeted in) a synced mapping: today's values
                # are its baseline, so neither side's edits are overwritten
            elif last is None:
                write_b = a_val is not None and not same_synced(a_out, b_val, row.type)
            else:
                a_changed = not same_synced(a_val, last["a"], row.type)
                b_changed = not same_synced(b_val, last["b"], row.type)
                if a_changed and not b_changed:
                    write_b = True
                elif b_changed and not a_changed:
                    write_a = True
                elif a_changed and b_changed and not same_synced(a_out, b_val, row.type):
                    write_b = self._source_wins(flow, row, source, target, a_now, b_now,
                                                a_val, b_val)
                    write_a = not write_b
                    counts.conflicts += 1
            if write_b and not flow.target.can_update:
                self._note("unsupported", flow, target,
                           f"{flow.section.target.display} cannot be updated through the "
                           f"{flow.target.system} API", prop=row.target.path)
                write_b = False
            if write_a and row.line in self._one_way.get(flow.key, {}):
                write_a = False  # another row carries this source field back
            if write_a and not flow.source.can_update:
                self._note("unsupported", flow, source,
                           f"{flow.section.source.display} cannot be updated through the "
                           f"{flow.source.system} API", prop=row.source.path)
                write_a = False
            if write_b:
                set_path(to_b, row.target.path, a_out)
                b_val = a_out
            if write_a:
                try:
                    a_val = self._inbound(flow, row, b_val, target, a_val, source)
                    set_path(to_a, row.source.path, a_val)
                except _Untranslated as exc:
                    self._untranslated(flow, target, row, str(exc))
            new_state[key] = {"a": a_val, "b": b_val}
        if to_b:
            self._update(flow, flow.target, target,
                         _whole_tops(flow.target.as_described(to_b), b_now))
            counts.updated_to_target += 1
        if to_a:
            self._update(flow, flow.source, source,
                         _whole_tops(flow.source.as_described(to_a), a_now))
            counts.updated_to_source += 1
        if not to_a and not to_b:
            counts.unchanged += count
        self.store.set_synced_values(flow.key, source, target, new_state)

    def _update(self, flow: Flow, entity: EntityProfile, ref: Ref, payload: Record) -> None:
        key = f"update {flow.key} {ref}"
        self._not_refused(key, ref.system, payload)
        try:
            self.connector(ref.system).update(entity, ref.id, payload)
        except ApiError as exc:
            self._remember_refusal(key, payload, exc)
            raise
        if ref.slot in self._pass.read and self._sections_of.get(ref.slot, 0) > 1:
            self._pass.unseen += 1  # another section read it before this write: read again

    def _not_refused(self, key: str, system: str, payload: Record) -> None:
        """Raise _Refused when the API refused this very write (same values) before."""
        refused = self.store.refusal(key)
        if refused is not None and refused[0] == _digest(payload):
            write = key.split(" ", 1)[0]
            raise _Refused(f"the {system} API refused this {write} before with the same "
                           f"values ({refused[1]}); it is sent again once they change")

    def _remember_refusal(self, key: str, payload: Record, exc: ApiError) -> None:
        if not isinstance(exc, AuthError):  # a credential problem stops the run instead
            self.store.set_refusal(key, _digest(payload), str(exc))

    def _fresh_side_unchanged(self, flow: Flow, state: dict[str, Any], source: Ref,
                              a_now: Record | None, b_now: Record | None) -> bool:
        """True when the side just read holds what was last synced: nothing to fetch."""
        for row in flow.rows:
            last = state.get(_row_key(row))
            if last is None:
                return False
            if a_now is not None and not same_synced(
                    self._read(flow.source, a_now, row.source.path, source), last["a"], row.type):
                return False
            if b_now is not None and not same_synced(_value(b_now, row.target.path),
                                                    last["b"], row.type):
                return False
        return True

    def _fetch(self, flow: Flow, entity: EntityProfile, ref: Ref) -> Record | None:
        record = self.connector(ref.system).get(entity, ref.id)
        if record is None:
            self.store.retire(ref)
            self._counts[flow.key].retired += 1
            self._detail("retired", flow, entity, ref,
                         f"{ref} no longer exists; its link is retired (deletes are not "
                         "propagated)")
        return record

    def _source_wins(self, flow: Flow, row: PropertyRow, source: Ref, target: Ref,
                     a_now: Record, b_now: Record, a_val: Any, b_val: Any) -> bool:
        """Latest modification wins; a tie goes to the source side of the link's section."""
        a_time = self.connector(source.system).modified_at(flow.source, a_now) \
            or self._run_started
        b_time = self.connector(target.system).modified_at(flow.target, b_now) \
            or self._run_started
        if a_time != b_time:
            source_wins = a_time > b_time
        else:
            origin = self.flow_by_key.get(self.store.pair_origin(source, target) or flow.key,
                                          flow)
            source_wins = origin.source_slot == source.slot
        winner = source if source_wins else target
        self._detail(
            "conflict", flow, None, source,
            f"{row.source.path} and {row.target.path} both changed; {winner} wins "
            + ("(latest modification)" if a_time != b_time else "(tie: section source side)"),
            prop=row.source.path,
            data={"source": str(source), "target": str(target), "source_value": a_val,
                  "target_value": b_val, "source_modified": a_time.isoformat(),
                  "target_modified": b_time.isoformat(), "winner": str(winner)},
        )
        return source_wins

    # -- crash recovery: creates whose answer was lost ----------------------------------

    def _resolve_intents(self, *, slot: tuple[str, str] | None = None,
                         only: Collection[int] | None = None, settle: bool = False) -> set[int]:
        """Link each pending create's record, found by evidence: not in the target before the
        create, unlinked, and holding the payload sent. Intents with the same payload are
        matched to such records in the order both were made. Where no record qualifies the
        create never happened: `settle` (at the start of a run, when no answer can still
        come) forgets the intent so the record is created again. Where more records qualify
        than intents explain, the outcome is unknown: reported, the intent kept, and nothing
        created for that source. Returns the intents linked."""
        intents = [i for i in self.store.intents()
                   if (slot is None or (i.target_system, i.target_entity) == slot)
                   and (only is None or i.id in only)]
        linked: set[int] = set()
        claimed: set[Ref] = set()
        listings: dict[tuple[str, str], list[tuple[Ref, Record]]] = {}
        for position, intent in enumerate(intents):
            flow = self.flow_by_key.get(intent.section)
            target_slot = (intent.target_system, intent.target_entity)
            if flow is None:
                if intent.section not in self._documented:  # its section is gone
                    self.store.remove_intent(intent.id)
                continue  # else outside this run's reach: the next full run resolves it
            if self.store.counterpart(intent.source, target_slot) is not None:
                self.store.remove_intent(intent.id)  # linked meanwhile
                continue
            if target_slot not in listings:
                self.progress(f"checking unfinished create(s) in {target_slot[0]} "
                              f"{target_slot[1]}")
                connector = self.connector(intent.target_system)
                listings[target_slot] = [
                    (Ref(*target_slot, connector.record_id(flow.target, record)), record)
                    for record in connector.list_all(flow.target)]
            before = (self.store.evidence(intent.evidence) if intent.evidence is not None
                      else None)
            fits = [ref for ref, record in listings[target_slot]
                    if ref not in claimed and ref.id not in (before or ())
                    and not self.store.is_member(ref) and self.store.twin_of(ref) is None
                    and _fits(record, intent.payload)]
            twins = sum(1 for other in intents[position:]
                        if (other.target_system, other.target_entity) == target_slot
                        and other.payload == intent.payload)
            match = _in_creation_order(fits, twins if before is not None else 1)
            if (match is None and fits) or (before is None and not intent.payload and fits):
                self._outcome_unknown(flow, intent, fits)
                continue
            if match is None:
                if settle:
                    self.store.remove_intent(intent.id)  # never created: create it again
                continue
            claimed.add(match)
            with self.store.transaction():
                self._link(flow, intent.source, match)
                self.store.remove_intent(intent.id)
            if intent.id in self._sent:  # this run's create: its answer was lost, not it
                self._counts[intent.section].created += 1
            else:
                self._recovered(flow, intent, match)
            linked.add(intent.id)
        return linked

    def _recovered(self, flow: Flow, intent: Intent, record: Ref) -> None:
        """Count an earlier run's create as recovered, not as created (it is no write of
        this run) and not again as unchanged when its source is read."""
        self._counts[flow.key].recovered += 1
        self.store.mark(f"synced {flow.key}", intent.source, record)
        self._detail("recovered", flow, None, intent.source,
                     f"an earlier run created {record.system} {record.entity} {record.id} "
                     "from this record but got no answer; linked to it now",
                     data={"created": record.id})

    def _outcome_unknown(self, flow: Flow, intent: Intent, fits: list[Ref]) -> None:
        self._unknown.add((flow.target_slot, intent.source))
        self._counts[flow.key].failed += 1
        self._detail("outcome_unknown", flow, None, intent.source,
                     f"a create into {flow.target.system} {flow.target.name} got no answer "
                     f"and {len(fits)} new records could be the one created; nothing was "
                     "linked or created (delete the wrong ones, or link by hand)",
                     data={"candidates": [ref.id for ref in fits]})

    # -- report helpers -------------------------------------------------------------------

    def _detail(self, kind: str, flow: Flow, entity: EntityProfile | None, ref: Ref | None,
                message: str, prop: str | None = None,
                data: dict[str, Any] | None = None) -> None:
        self._report.details.append(Detail(
            kind=kind, document=flow.document, section=flow.section.title,
            line=flow.section.line,
            system=ref.system if ref else (entity.system if entity else flow.source.system),
            entity=ref.entity if ref else (entity.name if entity else flow.source.name),
            record_id=ref.id if ref else None, message=message, property=prop,
            data=data or {},
        ))

    def _note(self, kind: str, flow: Flow, ref: Ref | None, message: str,
              prop: str | None = None) -> None:
        """A detail reported once per section and message in a run (not once per record)."""
        key = (kind, flow.key, message)
        if key not in self._noted:
            self._noted.add(key)
            self._detail(kind, flow, None, ref, message, prop=prop)


def _create_key(flow: Flow, ref: Ref) -> str:
    """A create is one write whichever section asks for it: a record into an entity."""
    return f"create {flow.target.system}/{flow.target.name} from {ref}"


def _digest(payload: Record) -> str:
    """A short fingerprint of a write's values, to recognise the same write again."""
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _row_key(row: PropertyRow) -> str:
    """What a row maps (not its line), so a document edit elsewhere keeps its state."""
    return f"{row.source.written.strip()} -> {row.target.written.strip()}"


def _value(record: Record, path: str) -> Any:
    """A property's value, with a missing one read as None."""
    value = get_path(record, path)
    return None if value is MISSING else value


def _raise(exc: Exception) -> None:
    raise exc


def _fits(record: Record, payload: Record) -> bool:
    return all(same_value(_value(record, path), value)
               for path, value in _leaves(payload).items())


def _in_creation_order(fits: list[Ref], twins: int) -> Ref | None:
    """The record this intent created: the only one that fits, or, when `twins` intents
    sent one after another share the payload and no more records fit than they explain,
    the oldest. Ids that count up give the order: numbers, or one prefix and a number
    (`product-12`); other ids (GUIDs) give none, and the outcome stays unknown."""
    if len(fits) == 1:
        return fits[0]
    if not fits or len(fits) > twins:
        return None
    counted: list[tuple[tuple[str, int], Ref]] = []
    for ref in fits:
        counter = _counter(ref.id)
        if counter is None:
            return None
        counted.append((counter, ref))
    if len({counter[0] for counter, _ in counted}) != 1:
        return None
    return min(counted, key=lambda pair: pair[0][1])[1]


def _counter(record_id: str) -> tuple[str, int] | None:
    """(prefix, number) of an id that counts up: `42` -> ("", 42), `product-12` ->
    ("product-", 12); None for anything else."""
    match = _COUNTER_ID.fullmatch(record_id)
    return (match[1], int(match[2])) if match else None


_COUNTER_ID = re.compile(r"([A-Za-z_-]*?)(\d+)")


def _merge_key(value: Any) -> str:
    if isinstance(value, str):
        return value.strip().casefold()
    return str(value)


def _leaves(payload: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted paths of a payload's leaf values (through the first element of lists)."""
    if isinstance(payload, dict):
        out: dict[str, Any] = {}
        for key, value in payload.items():
            out.update(_leaves(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(payload, list) and payload and isinstance(payload[0], dict):
        return _leaves(payload[0], prefix)
    return {prefix: payload}


def _whole_tops(changes: Record, current: Record) -> Record:
    """An update payload that sends whole top-level values (nested objects merged), so an
    API that replaces a nested object or a list on write keeps its other fields."""
    return {top: _merged(current.get(top), value) for top, value in changes.items()}


def _merged(existing: Any, change: Any) -> Any:
    """`change` laid over `existing`. A path through a list names its first element (as
    reading it does), so a change to `line_items.sku` is merged into the first line item;
    the list is never replaced by an object."""
    if isinstance(change, list):
        if not (change and isinstance(change[0], dict) and isinstance(existing, list)):
            return change
        change = change[0]  # the first element, as the path addresses it
    if not isinstance(change, dict):
        return change
    if isinstance(existing, list) and existing and isinstance(existing[0], dict):
        return [_merged(existing[0], change), *copy.deepcopy(existing[1:])]
    merged = copy.deepcopy(existing) if isinstance(existing, dict) else {}
    for key, value in change.items():
        merged[key] = _merged(merged.get(key), value)
    return merged
