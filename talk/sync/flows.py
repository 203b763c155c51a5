"""Sections bound to system profiles: what the engine needs to know about each mapping."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from talk.dataflow.lint import entity_not_in_api, unsupported_reason
from talk.dataflow.model import Dataflow, EntityRef, PropertyRow, Section, Shape
from talk.dataflow.row_lint import Writer, back_writer, rivals
from talk.sync.keys import is_key, is_reference
from talk.systems.profile import EntityProfile
from talk.systems.registry import profile_for, resolve_entity

__all__ = ["Competition", "EntityGroup", "Flow", "Unnamed", "bind_flows", "competing_rows",
           "connected_flows", "entity_profile", "group_flows", "returning_rows",
           "unnamed_sections"]


def entity_profile(ref: EntityRef) -> EntityProfile:
    """The profile of a document's entity reference (generic when the system is unknown)."""
    return resolve_entity(profile_for(ref.system), ref.entity)


@dataclass(frozen=True)
class Flow:
    """One section of one document, with its source and target entity profiles."""

    key: str  # what the mapping is (see `_mapping_key`), unique across documents
    document: str
    section: Section
    source: EntityProfile
    target: EntityProfile
    # rows that carry values (id rows excluded, docs/design.md#id-rows)
    rows: tuple[PropertyRow, ...]
    id_rows: tuple[PropertyRow, ...]  # rows whose target is the target's own key
    # why this section can create nothing (docs/design.md#unsupported-sections), if so
    unsupported: str | None
    path: str = ""  # the document's file: with the line, the stable order of rows
    references: frozenset[int] = frozenset()  # lines of rows whose target is a reference

    @property
    def source_slot(self) -> tuple[str, str]:
        return (self.source.system, self.source.name)

    @property
    def target_slot(self) -> tuple[str, str]:
        return (self.target.system, self.target.name)

    @property
    def same_slot(self) -> bool:
        """A section from an entity to itself: it pairs records as twins (see the store)."""
        return self.source_slot == self.target_slot

    @property
    def creates(self) -> bool:
        """Shape 1 and 5 create what merge criteria don't find
        (docs/design.md#which-sections-create)."""
        return self.section.shape in (Shape.PLAIN, Shape.MATCH_OR_CREATE)

    @property
    def waits_for_condition(self) -> bool:
        """Shape 3 and 4 create only when a condition holds that talk does not evaluate."""
        return self.section.shape in (Shape.CONDITIONAL, Shape.CONNECTED)


def _unsupported_reason(section: Section, target: EntityProfile) -> str | None:
    """docs/design.md#unsupported-sections, in the words `talk lint` uses for the same section."""
    missing = entity_not_in_api(section)
    if missing:
        return missing
    if section.shape.creates and not target.can_create:
        if not (target.can_create or target.can_update or target.can_delete) and \
                not target.generic:
            return (f"{section.target.display} cannot be created: the {target.system} API "
                    f"is read-only for {target.name} ({target.source})")
        return f"{section.target.display} cannot be created through the {target.system} API"
    return unsupported_reason(section)


def _mapping_key(document: str, source: EntityProfile, target: EntityProfile,
                 seen: dict[str, int]) -> str:
    """`<document>:<system>/<entity>><system>/<entity>`: the store keeps what was last synced
    under this key, so editing a document's prose (which moves every line) loses no state.
    A second section of one document between the same entities gets `#2`, and so on."""
    key = f"{document}:{source.system}/{source.name}>{target.system}/{target.name}"
    seen[key] = seen.get(key, 0) + 1
    return key if seen[key] == 1 else f"{key}#{seen[key]}"


@dataclass(frozen=True)
class Unnamed:
    """A section that names no system on one side: there is no API to sync it with."""

    document: str
    section: Section
    reason: str


def _unnamed_side(section: Section) -> str | None:
    """Which side of a section names no system (a blank or punctuation-only name), if any.

    A heading side with no label before its entity (`Custom Product to  Products`) names
    no system either, even where the document's title does: the parser then only assumes
    the title's system, and `talk lint` warns that it names none. Syncing it would create
    records in a system the section never named."""
    for side, ref in (("source", section.source), ("target", section.target)):
        if not ref.system_key or not ref.label.strip():
            return side
    return None


def unnamed_sections(dataflows: Sequence[Dataflow]) -> list[Unnamed]:
    """The sections `bind_flows` leaves out because a side names no system, with why."""
    found = []
    for dataflow in dataflows:
        for section in dataflow.unique_sections:
            side = _unnamed_side(section)
            if side is not None:
                ref = section.source if side == "source" else section.target
                found.append(Unnamed(
                    dataflow.name, section,
                    f"the {side} entity {ref.entity!r} names no system, so there is no API "
                    "to sync it with: the section is skipped"))
    return found


def bind_flows(dataflows: Sequence[Dataflow]) -> list[Flow]:
    """One flow per section that names a system on both sides (see `unnamed_sections`)."""
    return [flow for dataflow in dataflows for flow in _document_flows(dataflow)]


# A document's flows, by the identity of its parsed document: every checklist scenario
# builds two engines over the same cached documents, and binding a section resolves its
# profiles and rows again. Flows are immutable; the entry goes with its document.
_BOUND: dict[int, tuple[weakref.ref[Dataflow], tuple[Flow, ...]]] = {}


def _document_flows(dataflow: Dataflow) -> tuple[Flow, ...]:
    key = id(dataflow)
    bound = _BOUND.get(key)
    if bound is not None and bound[0]() is dataflow:
        return bound[1]
    flows = []
    seen: dict[str, int] = {}
    for section in dataflow.unique_sections:
        if _unnamed_side(section) is not None:
            continue
        source = entity_profile(section.source)
        target = entity_profile(section.target)
        id_rows = tuple(r for r in section.properties if is_key(target, r.target.path))
        rows = tuple(r for r in section.properties if r not in id_rows)
        flows.append(Flow(
            key=_mapping_key(dataflow.name, source, target, seen),
            document=dataflow.name, section=section,
            source=source, target=target, rows=rows, id_rows=id_rows,
            unsupported=_unsupported_reason(section, target), path=dataflow.path,
            references=frozenset(r.line for r in rows
                                 if is_reference(target, r.target.path)),
        ))
    _BOUND[key] = (weakref.ref(dataflow, lambda _: _BOUND.pop(key, None)), tuple(flows))
    return _BOUND[key][1]


@dataclass
class EntityGroup:
    """All flows that read one (system, entity): it is read once per pass."""

    entity: EntityProfile
    as_source: list[Flow] = field(default_factory=list)
    as_target: list[Flow] = field(default_factory=list)

    @property
    def slot(self) -> tuple[str, str]:
        return (self.entity.system, self.entity.name)


def group_flows(flows: Sequence[Flow]) -> list[EntityGroup]:
    """Groups in the order the documents first name them (deterministic)."""
    groups: dict[tuple[str, str], EntityGroup] = {}
    for flow in flows:
        groups.setdefault(flow.source_slot, EntityGroup(flow.source)).as_source.append(flow)
    for flow in flows:
        groups.setdefault(flow.target_slot, EntityGroup(flow.target)).as_target.append(flow)
    return list(groups.values())


def connected_flows(flows: Sequence[Flow], slots: Iterable[tuple[str, str]]) -> list[Flow]:
    """The flows that share an entity with `slots`, directly or through other such flows.

    Only these can read, link, create or change a record of those entities; a flow outside
    them touches other entities only, so leaving it out of a run changes nothing for these
    records (the checklist harness, whose systems hold one scenario's records, relies on it).
    Document order is kept.
    """
    reached = set(slots)
    chosen: set[str] = set()
    grown = True
    while grown:
        grown = False
        for flow in flows:
            if flow.key in chosen:
                continue
            if flow.source_slot in reached or flow.target_slot in reached:
                chosen.add(flow.key)
                reached.update((flow.source_slot, flow.target_slot))
                grown = True
    return [flow for flow in flows if flow.key in chosen]


@dataclass(frozen=True)
class Competition:
    """Rows that write one target field from different source fields: only one value can
    stay, so the sync keeps the first row's (document path, then line) and leaves the others
    out, instead of writing each in turn on every run."""

    field: str  # "<target entity as the first document writes it>.<path>"
    kept: tuple[str, int]  # (flow key, row line) of the row the sync keeps
    rows: tuple[tuple[str, int], ...]  # every competing row, the kept one first
    back: bool = False  # rows writing one source field back (see `returning_rows`)

    def describe(self, flows: dict[str, Flow]) -> str:
        """The competing rows in words, saying which one the sync kept."""
        def where(key: str, line: int) -> str:
            flow = flows[key]
            row = next(r for r in flow.rows if r.line == line)
            end = row.target if self.back else row.source
            return f"{end.written} at {flow.document}:{line}"

        others = ", ".join(where(*row) for row in self.rows[1:])
        if self.back:
            return (f"{len(self.rows)} rows write {self.field} back from different target "
                    f"fields; the sync carries {where(*self.kept)} back and leaves {others} "
                    f"one-way")
        return (f"{len(self.rows)} rows write {self.field} from different source fields; "
                f"the sync keeps {where(*self.kept)} and leaves out {others}")


def competing_rows(flows: Sequence[Flow]) -> dict[tuple[str, int], Competition]:
    """Per (flow key, row line), the competition its row is in (rows in none are absent):
    lint's rule (`rivals`), so the sync leaves out exactly the rows lint warns about."""
    pairs = [(flow, row) for flow in flows for row in flow.rows]
    writers = [Writer((*flow.target_slot, row.target.path), (*flow.source_slot, row.source.path),
                      (str(flow.path), row.line), row) for flow, row in pairs]
    return _competitions(pairs, writers, back=False)


def returning_rows(flows: Sequence[Flow]) -> dict[tuple[str, int], Competition]:
    """Competing rows the other way (lint's rule, `back_writer`): rows of sections between
    the same two entities reading one source field into different target fields would each
    write a target edit back to it. Only one value can stay, so the first row (document
    path, then line) carries it back and the others are one-way (source to target only)."""
    pairs = [(flow, row) for flow in flows for row in flow.rows
             if not is_key(flow.source, row.source.path)]
    writers = [back_writer(flow.source_slot, flow.target_slot, row, (str(flow.path), row.line))
               for flow, row in pairs]
    return _competitions(pairs, writers, back=True)


def _competitions(pairs: Sequence[tuple[Flow, PropertyRow]], writers: Sequence[Writer], *,
                  back: bool) -> dict[tuple[str, int], Competition]:
    """Per (flow key, row line), the competition `rivals` puts its row in: the field
    written (the target's, or the source's on the way back) and the rows, first the kept."""
    found: dict[tuple[str, int], Competition] = {}
    for index, others in rivals(writers).items():
        members = sorted([index, *others], key=lambda i: writers[i].order)
        keys = tuple((pairs[i][0].key, pairs[i][1].line) for i in members)
        flow, row = pairs[members[0]]
        written = (f"{flow.section.source.display}.{row.source.path}" if back
                   else f"{flow.section.target.display}.{row.target.path}")
        found[(pairs[index][0].key, pairs[index][1].line)] = Competition(
            written, keys[0], keys, back=back)
    return found
