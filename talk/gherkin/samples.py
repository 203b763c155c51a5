"""The sample records a section's scenarios use: deterministic, valid at both ends.

Every value is seeded from the document and the line of the row it serves, so generating
twice gives the same features. Values fit the source field, the documented type and the
target field (docs/design.md#sample-values); every other row whose ends are both strings gets a
hard string
(quotes, pipes, unicode, HTML-like text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from talk.dataflow.model import DataType, PropertyRow, Section, TypeKind
from talk.dataflow.row_lint import self_merge_criteria
from talk.harness.checklist import is_id_row
from talk.systems.profile import EntityProfile, FieldType
from talk.systems.registry import profile_for, resolve_entity
from talk.types.coerce import to_target
from talk.types.samples import Fit, RowEnd, edited_value, fitting_sample, sample_value

__all__ = ["SectionSamples", "section_samples", "unfit_rows", "value_rows"]

_STRING = DataType.parse('"string"')


@dataclass
class SectionSamples:
    """What a section's scenarios seed, edit and expect, by property path."""

    source: dict[str, Any] = field(default_factory=dict)  # the source record as seeded
    source_edit: dict[str, Any] = field(default_factory=dict)  # an edit in the source
    target_after_source_edit: dict[str, Any] = field(default_factory=dict)
    target_edit: dict[str, Any] = field(default_factory=dict)  # an edit in the target
    source_after_target_edit: dict[str, Any] = field(default_factory=dict)
    target_match: dict[str, Any] = field(default_factory=dict)  # an existing matching target


def _entities(section: Section) -> tuple[EntityProfile, EntityProfile]:
    source = resolve_entity(profile_for(section.source.system), section.source.entity)
    target = resolve_entity(profile_for(section.target.system), section.target.entity)
    return source, target


def value_rows(section: Section) -> list[PropertyRow]:
    """Rows whose values travel: not id rows, not rows whose condition a tester checks."""
    rows = []
    for row in section.properties:
        condition = row.source.condition or row.target.condition
        if is_id_row(section, row) or (condition is not None and not condition.understood):
            continue
        rows.append(row)
    return rows


def _both_strings(row: PropertyRow, source: EntityProfile, target: EntityProfile) -> bool:
    ends = (source.field_type(row.source.path), target.field_type(row.target.path))
    return row.type.kind is TypeKind.STRING and all(e in (None, FieldType.STRING) for e in ends)


def _source_groups(section: Section, source_entity: EntityProfile
                   ) -> dict[str, list[PropertyRow]]:
    """The value rows by the source field they read (the source's own id left out)."""
    groups: dict[str, list[PropertyRow]] = {}
    for row in value_rows(section):
        if not source_entity.is_id_field(row.source.path):
            groups.setdefault(row.source.path, []).append(row)
    return groups


def _fit(document: str, rows: list[PropertyRow], hard: bool, source_entity: EntityProfile,
         target_entity: EntityProfile) -> Fit:
    ends = [RowEnd(row.type, target_entity.field_type(row.target.path)) for row in rows]
    return fitting_sample(f"{document}:{rows[0].line}", source_entity.field_type(
        rows[0].source.path), ends, hard=hard)


def unfit_rows(section: Section) -> dict[int, str]:
    """Rows (by line) that no sample of their source field can serve, with the reason:
    the document gives one source field types that no single value can have."""
    source_entity, target_entity = _entities(section)
    found: dict[int, str] = {}
    for path, rows in _source_groups(section, source_entity).items():
        fit = _fit("lint", rows, False, source_entity, target_entity)
        if not fit.unfit:
            continue
        lines = ", ".join(f"{row.line} ({row.type.written.strip()})" for row in rows)
        for index in fit.unfit:
            found[rows[index].line] = (
                f"the rows at lines {lines} all read {path}, and no value of it can have "
                f"every one of their documented types")
    return found


def section_samples(document: str, section: Section) -> SectionSamples:
    """The samples of one section; `document` is the document's name (the seed's prefix)."""
    source_entity, target_entity = _entities(section)
    samples = SectionSamples()
    groups = _source_groups(section, source_entity)
    unfit: set[int] = set()
    hard_turn = False
    for path, rows in groups.items():
        hard = False
        if _both_strings(rows[0], source_entity, target_entity):
            hard, hard_turn = hard_turn, not hard_turn
        fit = _fit(document, rows, hard, source_entity, target_entity)
        unfit.update(rows[index].line for index in fit.unfit)
        seed = f"{document}:{rows[0].line}"
        samples.source[path] = fit.value
        samples.source_edit[path] = edited_value(fit.value, f"{seed}:source-edit")
        samples.source_after_target_edit[path] = edited_value(fit.value, f"{seed}:target-edit")
    for row in value_rows(section):
        path = row.source.path
        if path not in groups:
            continue
        condition = row.source.condition
        if condition is not None and condition.path and condition.value:
            samples.source.setdefault(condition.path, condition.value)
        # a condition on the target column holds on the existing target a merge finds
        condition = row.target.condition
        if condition is not None and condition.path and condition.value:
            samples.target_match.setdefault(condition.path, condition.value)
        if row.line in unfit:
            continue  # its item fails saying why; the document alone shows it (lint)
        samples.target_after_source_edit[row.target.path] = to_target(
            samples.source_edit[path], row.type)
        samples.target_edit[row.target.path] = to_target(
            samples.source_after_target_edit[path], row.type)
    _add_match(document, section, samples, source_entity, target_entity)
    return samples


def _add_match(document: str, section: Section, samples: SectionSamples,
               source_entity: EntityProfile, target_entity: EntityProfile) -> None:
    """The first usable merge criterion's values on both sides, so an existing target
    matches (a self-merge on the own id can match nothing: the next criterion serves)."""
    if not section.merge_criteria:
        return
    unusable = self_merge_criteria(section)
    usable = [c for c in section.merge_criteria if c not in unusable]
    criterion = (usable or section.merge_criteria)[0]
    path = criterion.source.path
    dtype = next((r.type for r in section.properties if r.source.path == path), _STRING)
    if path not in samples.source:
        samples.source[path] = sample_value(
            f"{document}:{criterion.line}", source_entity.field_type(path), dtype,
            target_field_type=target_entity.field_type(criterion.target.path))
    condition = criterion.source.condition
    if condition is not None and condition.path and condition.value:
        samples.source.setdefault(condition.path, condition.value)
    samples.target_match[criterion.target.path] = to_target(samples.source[path], dtype)


def merge_samples(document: str, section: Section, index: int) -> tuple[dict[str, Any],
                                                                         dict[str, Any]]:
    """Source and matching target values for the merge criterion at `index`."""
    source_entity, target_entity = _entities(section)
    criterion = section.merge_criteria[index]
    base = section_samples(document, section).source
    source = dict(base)
    path = criterion.source.path
    dtype = next((r.type for r in section.properties if r.source.path == path), _STRING)
    if path not in source:
        source[path] = sample_value(
            f"{document}:{criterion.line}", source_entity.field_type(path), dtype,
            target_field_type=target_entity.field_type(criterion.target.path))
    condition = criterion.source.condition
    if condition is not None and condition.path and condition.value:
        source[condition.path] = condition.value
    return source, {criterion.target.path: to_target(source[path], dtype)}
