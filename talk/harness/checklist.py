"""The checklist a document implies: one item per sentence or row that can be checked.

One derivation serves three readers: the feature generator (one scenario per item), the
pytest plugin (which sentence a test stands for in results.json) and the count test. Items
are in document order, so a report mirrors the document line by line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from talk.dataflow.model import Dataflow, MergeCriterion, PropertyRow, Section, Shape
from talk.report.results import ItemKind
from talk.systems.registry import profile_for, resolve_entity

__all__ = [
    "ChecklistItem",
    "SectionChecklist",
    "checklist",
    "document_item",
    "is_id_row",
    "row_text",
    "same_slot",
    "section_checklist",
]

NO_PROPERTIES = "no properties listed"
NO_SECTIONS = "nothing to check: the document has no sections, so it synchronizes nothing"
NO_SECTIONS_TITLE = "Nothing to check"


@dataclass(frozen=True)
class ChecklistItem:
    """One thing a tester ticks off: what it checks, where the document says it."""

    kind: ItemKind
    line: int
    text: str  # the document's own sentence or row
    row: PropertyRow | None = None
    merge: MergeCriterion | None = None
    manual: bool = False  # cannot be automated: the document's words go to a tester

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind.value, self.line)


@dataclass
class SectionChecklist:
    section: Section
    items: list[ChecklistItem] = field(default_factory=list)

    def find(self, kind: str, line: int) -> ChecklistItem | None:
        return next((i for i in self.items if i.kind.value == kind and i.line == line), None)


def row_text(row: PropertyRow) -> str:
    """A property row as one line: `company_name -> OrganisationName ("string")`."""
    return f"{row.source.written.strip()} -> {row.target.written.strip()} ({row.type.written})"


def _merge_text(criterion: MergeCriterion) -> str:
    return f"{criterion.source.written.strip()} = {criterion.target.written.strip()}"


PAIRED = "paired "  # the target's phrase in a section from an entity to itself


def same_slot(section: Section) -> bool:
    """Whether a section syncs an entity with itself (both sides one system and entity)."""
    ends = [(ref.system_key, resolve_entity(profile_for(ref.system), ref.entity).name)
            for ref in (section.source, section.target)]
    return ends[0] == ends[1]


def is_id_row(section: Section, row: PropertyRow) -> bool:
    """docs/design.md#id-rows: a row into the target's own id field names the link."""
    target = resolve_entity(profile_for(section.target.system), section.target.entity)
    return target.is_id_field(row.target.path)


def _sentence(section: Section, *needles: str) -> tuple[int, str]:
    """The first sentence holding any of `needles`, else the heading."""
    for sentence in section.sentences:
        if any(n in sentence.text for n in needles):
            return sentence.line, sentence.text
    return section.line, section.title


def _main_sentence(section: Section) -> tuple[int, str]:
    if section.shape is Shape.MERGE_FIRST:
        return _sentence(section, "Before any synchronization", "will merge with")
    if section.shape is Shape.CONDITIONAL:
        return _sentence(section, "will be synchronized with")
    if section.shape is Shape.CONNECTED:
        return _sentence(section, "Before any synchronization", "will be created from")
    return _sentence(section, "will be synchronized with", "will be created")


def _condition_sentence(section: Section) -> tuple[int, str]:
    if section.shape is Shape.CONDITIONAL:
        line, text = _sentence(section, "will be synchronized with")
        return line, text
    return _sentence(section, "will be created from", "connected to")


def _property_items(section: Section) -> list[ChecklistItem]:
    items: list[ChecklistItem] = []
    for row in section.properties:
        text = row_text(row)
        if is_id_row(section, row):
            items.append(ChecklistItem(ItemKind.ID_LINK, row.line, text, row=row))
            continue
        condition = row.source.condition or row.target.condition
        if condition is not None and not condition.understood:
            items.append(ChecklistItem(ItemKind.PROPERTY, row.line, text, row=row, manual=True))
            continue
        items.append(ChecklistItem(ItemKind.PROPERTY, row.line, text, row=row))
        if condition is not None:
            items.append(ChecklistItem(ItemKind.PROPERTY_CONDITION_NOT_MET, row.line,
                                       f"{text}, condition not met", row=row))
    if not items:
        line = section.property_table_line or section.line
        items.append(ChecklistItem(ItemKind.NO_PROPERTIES, line, NO_PROPERTIES))
    return items


def section_checklist(section: Section) -> SectionChecklist:
    """The items of one section, in the order the document says them."""
    result = SectionChecklist(section)
    line, text = _main_sentence(section)
    result.items.append(ChecklistItem(ItemKind.SYNCHRONIZED, line, text))
    if section.shape in (Shape.CONDITIONAL, Shape.CONNECTED):
        cline, ctext = _condition_sentence(section)
        result.items.append(ChecklistItem(ItemKind.CONDITION, cline, ctext, manual=True))
    for criterion in section.merge_criteria:
        result.items.append(ChecklistItem(ItemKind.MERGE, criterion.line,
                                          _merge_text(criterion), merge=criterion))
    kline, ktext = _sentence(section, "keep in sync", "regardless of where")
    result.items.append(ChecklistItem(ItemKind.EDITED_IN_SOURCE, kline, ktext))
    result.items.append(ChecklistItem(ItemKind.EDITED_IN_TARGET, kline, ktext))
    result.items.extend(_property_items(section))
    return result


def document_item(dataflow: Dataflow) -> ChecklistItem | None:
    """The one item of a document without sections (an introduction only), so that it is
    in the report as "nothing to check" instead of missing from it."""
    if dataflow.unique_sections:
        return None
    return ChecklistItem(ItemKind.NO_SECTIONS, dataflow.title_line, NO_SECTIONS)


def checklist(dataflow: Dataflow) -> list[SectionChecklist]:
    """Every section's items; a duplicated section is checked once
    (docs/design.md#duplicate-sections)."""
    return [section_checklist(section) for section in dataflow.unique_sections]
