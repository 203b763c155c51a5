"""Defects of property rows that only show against the rest of the document, or of the
documents given together: rows competing for one target field, conditions with an empty
path or value, a type that is no known type, one source field no sample value can serve.

`rivals` is the one competing-rows rule: lint's warnings, the rows the sync leaves out
(talk.sync.flows) and the harness's messages (talk.harness.competing) all come from it, so
they name the same lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import get_close_matches

from talk.dataflow.model import (
    BracketCondition,
    Dataflow,
    Finding,
    MergeCriterion,
    PropertyRow,
    Section,
    TypeKind,
)
from talk.sync.keys import is_key
from talk.systems.registry import profile_for, resolve_entity

__all__ = ["RowPlace", "Writer", "back_writer", "competing_rows", "competition_findings",
           "returning_rows", "rivals", "row_findings", "type_problem", "unlinkable_reason"]

KNOWN_TYPES = tuple(f'"{kind.value}"' for kind in TypeKind
                    if kind not in (TypeKind.NOT_APPLICABLE, TypeKind.EXPRESSION))
KNOWN_EXPRESSIONS = ("datetime-format",)
_SINGLE_WORD = re.compile(r'^"?[\w-]+"?$')
_EXPRESSION_HEAD = re.compile(r'^"(?P<name>[^"]*)"\s*,')


@dataclass(frozen=True)
class RowPlace:
    """A property row with its document and section: where a tester finds it."""

    dataflow: Dataflow
    section: Section
    row: PropertyRow

    def shown(self, other_documents: bool) -> str:
        where = f"{self.dataflow.path} line {self.row.line}" if other_documents \
            else f"line {self.row.line}"
        return f"{where} ({self.row.source.path} -> {self.row.target.path})"


def _condition_of(row: PropertyRow) -> BracketCondition | None:
    return row.source.condition or row.target.condition


def _exclusive(a: PropertyRow, b: PropertyRow) -> bool:
    """Rows whose conditions can never hold together (same path, different values)."""
    first, second = _condition_of(a), _condition_of(b)
    if first is None or second is None or not (first.understood and second.understood):
        return False
    return first.path == second.path and first.value != second.value


def _entity_name(system: str, entity: str) -> str:
    return resolve_entity(profile_for(system), entity).name


def _is_id(section: Section, row: PropertyRow) -> bool:
    target = resolve_entity(profile_for(section.target.system), section.target.entity)
    return is_key(target, row.target.path)


@dataclass(frozen=True)
class Writer:
    """A row as the competing-rows rule sees it, whoever asks (lint, sync or harness)."""

    field: tuple[str, str, str]  # target system key, entity, path
    source: tuple[str, str, str]  # source system key, entity, path
    order: tuple[str, int]  # document path, row line: of rivals, the first is kept
    row: PropertyRow


def rivals(writers: Sequence[Writer]) -> dict[int, list[int]]:
    """The one competing-rows rule: per index of a writer, the indexes of the others that
    write its target field from a different source and whose conditions can hold together
    (same path, different values never meet). Of a writer and its rivals, the first by
    `order` is the one kept; callers leave id rows out (they name a link, write nothing)."""
    by_field: dict[tuple[str, str, str], list[int]] = {}
    for index, writer in enumerate(writers):
        by_field.setdefault(writer.field, []).append(index)
    found: dict[int, list[int]] = {}
    for indexes in by_field.values():
        for index in indexes:
            own = writers[index]
            others = [other for other in indexes if other != index
                      and writers[other].source != own.source
                      and not _exclusive(own.row, writers[other].row)]
            if others:
                found[index] = others
    return found


def _sections_naming_both(dataflows: Sequence[Dataflow]) -> Iterator[tuple[Dataflow, Section]]:
    """Each document's unique sections that name both systems: only they have a field to
    write on either side."""
    for dataflow in dataflows:
        for section in dataflow.unique_sections:
            if section.target.system_key and section.source.system_key:
                yield dataflow, section


def competing_rows(dataflows: Sequence[Dataflow]) -> dict[int, list[RowPlace]]:
    """Rows writing one target field (system, entity, path) from different sources, by
    `id()` of each such row: the row itself first, then its rivals in document order (see
    `rivals`). A section naming no system has no target to write."""
    places: list[RowPlace] = []
    writers: list[Writer] = []
    for dataflow, section in _sections_naming_both(dataflows):
        target, source = section.target, section.source
        entity = _entity_name(target.system, target.entity)
        source_entity = _entity_name(source.system, source.entity)
        for row in section.properties:
            if row.target.path and not _is_id(section, row):
                places.append(RowPlace(dataflow, section, row))
                writers.append(Writer(
                    (target.system_key, entity, row.target.path),
                    (source.system_key, source_entity, row.source.path),
                    (str(dataflow.path), row.line), row))
    return {id(places[index].row): [places[index], *(places[o] for o in others)]
            for index, others in rivals(writers).items()}


def competition_findings(dataflows: Sequence[Dataflow]) -> dict[str, list[Finding]]:
    """One warning per competing row, by document path, naming every row involved."""
    several = len(dataflows) > 1
    found: dict[str, list[Finding]] = {}
    for places in competing_rows(dataflows).values():
        own = places[0]
        target = own.section.target
        others = {p.dataflow.path for p in places} != {own.dataflow.path}
        rows = ", ".join(p.shown(several and others) for p in places[1:])
        kept = min(places, key=lambda p: (str(p.dataflow.path), p.row.line))
        message = (f"{own.shown(False)} and {rows} write {target.label or target.system} "
                   f"{target.entity} {own.row.target.path} from different sources: only one "
                   f"value can be kept (the sync keeps the row listed first, by document "
                   f"and line: {kept.shown(several and others)})")
        found.setdefault(own.dataflow.path, []).append(Finding(own.row.line, "warning", message))
    for path, findings in _returning_findings(dataflows).items():
        found.setdefault(path, []).extend(findings)
    return found


def back_writer(source: tuple[str, str], target: tuple[str, str], row: PropertyRow,
                order: tuple[str, int]) -> Writer:
    """A row as the competing-rows rule sees it the other way: it writes its target field's
    edits back to its source field. `rivals` of such writers are rows of sections between
    the same two entities (system, entity) that read one source field into different target
    fields: only one value can go back, the first by `order`; the others are one-way."""
    return Writer((source[0], f"{source[1]} < {target[0]}/{target[1]}", row.source.path),
                  (*target, row.target.path), order, row)


def returning_rows(dataflows: Sequence[Dataflow]) -> dict[int, list[RowPlace]]:
    """By `id()` of each row that writes a source field back which another row writes back
    too (see `back_writer`): the row and its rivals, in document order (path, then line).
    Id rows and rows reading the source's own id write nothing back."""
    places: list[RowPlace] = []
    writers: list[Writer] = []
    for dataflow, section in _sections_naming_both(dataflows):
        source, target = section.source, section.target
        slots = ((source.system_key, _entity_name(source.system, source.entity)),
                 (target.system_key, _entity_name(target.system, target.entity)))
        own = resolve_entity(profile_for(source.system), source.entity)
        for row in section.properties:
            if row.target.path and row.source.path and not _is_id(section, row) \
                    and not own.is_id_field(row.source.path):
                places.append(RowPlace(dataflow, section, row))
                writers.append(back_writer(*slots, row, (str(dataflow.path), row.line)))
    return {id(places[index].row): sorted((places[i] for i in [index, *others]),
                                          key=lambda p: (str(p.dataflow.path), p.row.line))
            for index, others in rivals(writers).items()}


def _returning_findings(dataflows: Sequence[Dataflow]) -> dict[str, list[Finding]]:
    """One warning per row writing a source field back that another row writes back too."""
    several = len(dataflows) > 1
    found: dict[str, list[Finding]] = {}
    for row_id, places in returning_rows(dataflows).items():
        own = next(place for place in places if id(place.row) == row_id)
        others = len({p.dataflow.path for p in places}) > 1
        kept, source = places[0], own.section.source
        rows = ", ".join(p.shown(several and others) for p in places if p is not own)
        message = (f"{own.shown(False)} and {rows} write {source.label or source.system} "
                   f"{source.entity} {own.row.source.path} back from different target "
                   f"fields: only one value can be kept (the sync carries the row listed "
                   f"first, by document and line, back: {kept.shown(several and others)};"
                   f" the others are one-way)")
        found.setdefault(own.dataflow.path, []).append(Finding(own.row.line, "warning", message))
    return found


def type_problem(written: str) -> str | None:
    """Why a written type is no type talk knows (the check of its values is skipped), or
    None for a known type, N/A or a known expression."""
    text = written.strip()
    if text in KNOWN_TYPES or text == "N/A":
        return None
    head = _EXPRESSION_HEAD.match(text)
    if head is not None:
        if head.group("name") in KNOWN_EXPRESSIONS:
            return None
        return f"the type {text} is an expression talk does not know"
    if _SINGLE_WORD.match(text):
        close = get_close_matches(f'"{text.strip(chr(34))}"', [*KNOWN_TYPES, "N/A"], n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        return f"the type {text} is not a known type{hint}"
    return None


def self_merge_criteria(section: Section) -> list[MergeCriterion]:
    """In a section from an entity to itself, the merge criteria on the record's own id:
    each matches only the record itself, which never merges."""
    source, target = section.source, section.target
    if not source.system_key or (source.system_key, _entity_name(source.system, source.entity)) \
            != (target.system_key, _entity_name(target.system, target.entity)):
        return []
    entity = resolve_entity(profile_for(source.system), source.entity)
    return [criterion for criterion in section.merge_criteria
            if criterion.source.path == criterion.target.path
            and entity.is_id_field(criterion.source.path)]


def _self_merges(section: Section) -> list[Finding]:
    """No two records can be linked by a self-merge on the own id."""
    return [Finding(criterion.line, "warning", (
        f"the merge criterion {criterion.source.path} = {criterion.target.path} at line "
        f"{criterion.line} compares a {section.source.entity} with its own id: a record never "
        f"merges with itself, so no two records can be linked by it"))
        for criterion in self_merge_criteria(section)]


def unlinkable_reason(section: Section) -> str | None:
    """Why no record of the section can ever be linked, or None: a section that only links
    by merge (it never creates) whose every merge criterion is a self-merge on the own id."""
    if section.shape.creates or not section.merge_criteria:
        return None
    findings = _self_merges(section)
    if len(findings) < len(section.merge_criteria):
        return None
    return (f"{findings[0].message}; the section only links by merge and creates nothing, "
            f"so none of its records can be linked")


def row_findings(dataflow: Dataflow) -> list[Finding]:
    """Conditions with an empty path or value, types that are no known type, and merges
    of an entity with itself on its own id."""
    found = []
    for section in dataflow.unique_sections:
        rows: list[PropertyRow | MergeCriterion] = [*section.properties,
                                                    *section.merge_criteria]
        for row in rows:
            for end in (row.source, row.target):
                condition = end.condition
                if condition is not None and condition.path is not None \
                        and not (condition.value and condition.path):
                    found.append(Finding(row.line, "warning", (
                        f"the condition '{condition.text}' at line {row.line} has an empty "
                        f"value: talk cannot evaluate it, a tester checks it")))
                elif condition is not None and condition.path is None:
                    found.append(Finding(row.line, "warning", (
                        f"the condition '{condition.text}' at line {row.line} names no path "
                        f"and value ('Dependant on having <value> in <path>'): a tester "
                        f"checks it")))
        found += _self_merges(section)
        for row in section.properties:
            problem = type_problem(row.type.written)
            if problem is not None:
                found.append(Finding(row.line, "warning", f"line {row.line}: {problem}; the "
                                                          f"value's type is not checked"))
    return found
