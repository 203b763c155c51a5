"""The sample records a section's scenarios use: deterministic, valid at both ends.

Every value is seeded from the document and the line of the row it serves, so generating
twice gives the same features. Values fit the source field, the documented type and the
target field (decision 19); every other row whose ends are both strings gets a hard string
(quotes, pipes, unicode, HTML-like text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from talk.dataflow.model import DataType, PropertyRow, Section, TypeKind
from talk.harness.checklist import is_id_row
from talk.systems.profile import EntityProfile, FieldType
from talk.systems.registry import profile_for, resolve_entity
from talk.types.coerce import to_target
from talk.types.samples import edited_value, sample_value

__all__ = ["SectionSamples", "section_samples", "value_rows"]

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


def section_samples(document: str, section: Section) -> SectionSamples:
    """The samples of one section; `document` is the document's name (the seed's prefix)."""
    source_entity, target_entity = _entities(section)
    samples = SectionSamples()
    first_row: dict[str, PropertyRow] = {}
    hard_turn = False
    for row in value_rows(section):
        path = row.source.path
        if source_entity.is_id_field(path):
            continue  # the source's own id: assigned by its system, never seeded
        if path not in first_row:
            first_row[path] = row
            hard = False
            if _both_strings(row, source_entity, target_entity):
                hard, hard_turn = hard_turn, not hard_turn
            seed = f"{document}:{row.line}"
            value = sample_value(seed, source_entity.field_type(path), row.type, hard=hard,
                                 target_field_type=target_entity.field_type(row.target.path))
            samples.source[path] = value
            samples.source_edit[path] = edited_value(value, f"{seed}:source-edit")
            samples.source_after_target_edit[path] = edited_value(value, f"{seed}:target-edit")
        condition = row.source.condition
        if condition is not None and condition.path and condition.value:
            samples.source.setdefault(condition.path, condition.value)
        samples.target_after_source_edit[row.target.path] = to_target(
            samples.source_edit[path], row.type)
        samples.target_edit[row.target.path] = to_target(
            samples.source_after_target_edit[path], row.type)
    _add_match(document, section, samples, source_entity, target_entity)
    return samples


def _add_match(document: str, section: Section, samples: SectionSamples,
               source_entity: EntityProfile, target_entity: EntityProfile) -> None:
    """The first merge criterion's values on both sides, so an existing target matches."""
    if not section.merge_criteria:
        return
    criterion = section.merge_criteria[0]
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
