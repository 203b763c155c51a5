"""Build one Section from its heading and body blocks: entities, shape, tables, findings."""

from __future__ import annotations

from dataclasses import dataclass

from talk.dataflow.blocks import Block, BlockKind
from talk.dataflow.entities import Resolution, collapse, resolve_entity_ref, split_qualifier
from talk.dataflow.layout import SectionLayout
from talk.dataflow.model import (
    Dataflow,
    DataflowError,
    DataType,
    Finding,
    MergeCriterion,
    PropertyPath,
    PropertyRow,
    Section,
    Sentence,
    Shape,
)
from talk.dataflow.sentences import Kind, Match, classify_paragraph, split_connected
from talk.dataflow.tables import MERGE_COLUMNS, PROPERTY_COLUMNS, ParsedTable, parse_table

__all__ = ["SectionParts", "build_section"]

_PROPERTY_SUFFIX = "Property"
_TYPE_SUFFIX = "Data Type"
MAX_HEADING_SPLITS = 10  # a heading has one or two " to "; only the first few are tried
_SHORT = 100  # longest sentence quoted in full in a finding
# Which sentence decides the shape when several occur (shape 5 is decided before these).
_SHAPE_PRECEDENCE = ((Kind.CONNECTED, Shape.CONNECTED), (Kind.CONDITIONAL, Shape.CONDITIONAL),
                     (Kind.LINK_FIRST, Shape.MERGE_FIRST), (Kind.EVERY, Shape.PLAIN))


@dataclass
class SectionParts:
    heading: Block
    body: list[Block]


def _quote(text: str) -> str:
    text = collapse(text)
    return text if len(text) <= _SHORT else text[: _SHORT - 3] + "..."


def _label_of(header: str, suffix: str) -> str | None:
    """`Keap Companies Property` -> `Keap Companies`; None when the suffix is missing."""
    stripped = header.rstrip()
    if not stripped.endswith(suffix):
        return None
    return stripped[: -len(suffix)].removesuffix(" ")


@dataclass
class _SectionBuilder:
    parts: SectionParts
    dataflow: Dataflow
    findings: list[Finding]

    @property
    def title(self) -> str:
        return self.parts.heading.lines[0]

    @property
    def line(self) -> int:
        return self.parts.heading.line

    def warn(self, line: int, message: str) -> None:
        self.findings.append(Finding(line, "warning", message))

    def error(self, line: int, message: str) -> None:
        self.findings.append(Finding(line, "error", message))

    def build(self) -> Section:
        items: list[Sentence | ParsedTable] = []
        for block in self.parts.body:
            if block.kind is BlockKind.TABLE:
                items.append(parse_table(block, self.dataflow.path))
            else:
                items.append(Sentence(block.line, "\n".join(block.lines), block.blank_before))
        merge, properties = self._tables([i for i in items if isinstance(i, ParsedTable)])
        announced = properties or merge
        header = announced.layout.header if announced else None
        source_text, target_text = self._split_heading(header)
        source, target = self._resolve(source_text, target_text, properties)
        self._warn_systems((source, target))
        sentences = [i for i in items if isinstance(i, Sentence)]
        section = Section(
            title=self.title,
            line=self.line,
            source=source.ref,
            target=target.ref,
            shape=Shape.PLAIN,
            sentences=sentences,
            layout=SectionLayout(self.parts.heading.blank_before, self.parts.heading.lines[1]),
        )
        self._read_sentences(section, items, source_text, target_text)
        for table in (merge, properties):
            if table is not None:
                self._check_header(table, source_text, target_text)
        if merge is not None:
            section.merge_table, section.merge_table_line = merge.layout, merge.layout.line
            section.merge_criteria = [
                MergeCriterion(PropertyPath.parse(row.cells[0]), PropertyPath.parse(row.cells[1]),
                               row.line) for row in merge.rows]
        if properties is not None:
            section.property_table = properties.layout
            section.property_table_line = properties.layout.line
            section.properties = [
                PropertyRow(PropertyPath.parse(row.cells[0]), PropertyPath.parse(row.cells[1]),
                            DataType.parse(row.cells[2]), row.line) for row in properties.rows]
        else:
            self.warn(self.line, f"section '{self.title}' has no property table")
        return section

    def _tables(self, tables: list[ParsedTable]) -> tuple[ParsedTable | None, ParsedTable | None]:
        found: dict[int, ParsedTable] = {}
        for table in tables:
            kind = "merge" if table.columns == MERGE_COLUMNS else "property"
            if table.columns in found:
                raise DataflowError(self.dataflow.path, table.layout.line,
                                    f"section '{self.title}' at line {self.line} has a second "
                                    f"{kind} table at line {table.layout.line}")
            found[table.columns] = table
        return found.get(MERGE_COLUMNS), found.get(PROPERTY_COLUMNS)

    def _split_heading(self, header: tuple[str, ...] | None) -> tuple[str, str]:
        """`<S> to <T>`, split where the table header says S ends, else where both resolve."""
        splits: list[tuple[str, str]] = []
        start = self.title.find(" to ")
        while start != -1 and len(splits) < MAX_HEADING_SPLITS:
            left, right = self.title[:start], self.title[start + 4:]
            if collapse(split_qualifier(left)[0]) and collapse(split_qualifier(right)[0]):
                splits.append((left, right))
            start = self.title.find(" to ", start + 1)
        if not splits:
            raise DataflowError(self.dataflow.path, self.line,
                                f"the heading '{self.title}' at line {self.line} is not "
                                f"'<Source entity> to <Target entity>'")
        source_hint = _label_of(header[0], _PROPERTY_SUFFIX) if header else None
        for left, right in splits:
            if source_hint is not None and collapse(left) == collapse(source_hint):
                return left, right
        for left, right in splits:
            if not any(r.problem for r in self._resolve(left, right, None)):
                return left, right
        return splits[0]

    def _resolve(self, source_text: str, target_text: str,
                 properties: ParsedTable | None) -> tuple[Resolution, Resolution]:
        flow = self.dataflow
        systems = [flow.source_system, flow.target_system]
        type_hint = None
        if properties is not None:
            type_hint = _label_of(properties.layout.header[2], _TYPE_SUFFIX)
        return (resolve_entity_ref(source_text, systems, flow.source_system),
                resolve_entity_ref(target_text, systems, flow.target_system, type_hint))

    def _warn_systems(self, resolutions: tuple[Resolution, Resolution]) -> None:
        for side, resolution in zip(("source", "target"), resolutions, strict=True):
            if resolution.problem:
                self.warn(self.line, f"section '{self.title}': {resolution.problem}")
            elif not resolution.ref.label:
                self.warn(self.line, f"the heading '{self.title}' names no system for the "
                                     f"{side} '{resolution.ref.entity}'")

    def _read_sentences(self, section: Section, items: list[Sentence | ParsedTable],
                        source_text: str, target_text: str) -> None:
        kinds: set[Kind] = set()
        unknown = False
        expected = {"source": collapse(source_text), "target": collapse(target_text)}
        for index, item in enumerate(items):
            if isinstance(item, ParsedTable):
                continue
            matches = classify_paragraph(item.text)
            if matches is None:
                unknown = True
                self.error(item.line, f"unknown sentence in section '{self.title}': "
                                      f"'{_quote(item.text)}'")
                continue
            for match in matches:
                kinds.add(match.kind)
                self._check_names(item, match, expected)
                self._check_announced_table(item, match, items[index + 1:index + 2])
                if match.kind is Kind.CONDITIONAL:
                    section.condition = match.fields["condition"]
                elif match.kind is Kind.CONNECTED:
                    section.connected_to = split_connected(match.fields["items"])
        section.shape = self._shape(kinds, unknown)

    def _check_names(self, sentence: Sentence, match: Match, expected: dict[str, str]) -> None:
        for side, name in match.entity_names():
            if collapse(name) != expected[side]:
                self.warn(sentence.line, f"the sentence at line {sentence.line} names the {side} "
                                         f"'{name}', the heading '{expected[side]}'")

    def _check_announced_table(self, sentence: Sentence, match: Match,
                               following: list[Sentence | ParsedTable]) -> None:
        wanted = {Kind.MERGE_TABLE: (MERGE_COLUMNS, "merge"),
                  Kind.PROPERTY_TABLE: (PROPERTY_COLUMNS, "property")}.get(match.kind)
        if wanted is None:
            return
        columns, name = wanted
        if not (following and isinstance(following[0], ParsedTable)
                and following[0].columns == columns):
            self.error(sentence.line, f"the sentence at line {sentence.line} announces a {name} "
                                      f"table, but no {name} table follows")

    def _shape(self, kinds: set[Kind], unknown: bool) -> Shape:
        match_or_create = {Kind.MATCH_EXISTING, Kind.CREATE_NEW}
        if kinds & match_or_create:
            if not match_or_create <= kinds:
                self.warn(self.line, f"section '{self.title}' has only one of the two "
                                     f"'If ... matching ...' sentences of shape 5")
            return Shape.MATCH_OR_CREATE
        for kind, shape in _SHAPE_PRECEDENCE:
            if kind in kinds:
                return shape
        if not unknown:
            self.error(self.line, f"section '{self.title}' has no sentence that says how it "
                                  f"synchronizes, e.g. 'Every <S> will be synchronized with "
                                  f"a <T>.'")
        return Shape.PLAIN

    def _check_header(self, table: ParsedTable, source_text: str, target_text: str) -> None:
        header = table.layout.header
        expected = [f"{collapse(source_text)} {_PROPERTY_SUFFIX}",
                    f"{collapse(target_text)} {_PROPERTY_SUFFIX}"]
        for cell, wanted in zip(header, expected, strict=False):
            if collapse(cell) != wanted:
                self.warn(table.layout.header_line, f"the table header at line "
                                                    f"{table.layout.header_line} reads '{cell}', "
                                                    f"expected '{wanted}'")
        if table.columns == PROPERTY_COLUMNS and _label_of(header[2], _TYPE_SUFFIX) is None:
            self.warn(table.layout.header_line, f"the table header at line "
                                                f"{table.layout.header_line} reads '{header[2]}', "
                                                f"expected '<Target label> {_TYPE_SUFFIX}'")


def build_section(parts: SectionParts, dataflow: Dataflow, findings: list[Finding]) -> Section:
    """The section of `parts`; recoverable defects go to `findings`."""
    return _SectionBuilder(parts, dataflow, findings).build()
