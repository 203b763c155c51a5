"""The document model: what a dataflow document says, with the line each part came from.

Every element keeps its 1-based line number so that lint findings, harness failures and
reports can point a tester at the exact line of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from pathlib import Path

from talk.dataflow.layout import DocumentLayout, SectionLayout, TableLayout
from talk.systems.keys import system_key

__all__ = [
    "BracketCondition",
    "DataType",
    "Dataflow",
    "DataflowError",
    "EntityRef",
    "Finding",
    "MergeCriterion",
    "PropertyPath",
    "PropertyRow",
    "Section",
    "Sentence",
    "Shape",
    "TypeKind",
]


class DataflowError(Exception):
    """A document that cannot be read; carries file and line for the tester."""

    def __init__(self, file: str | Path, line: int, message: str) -> None:
        self.file = str(file)
        self.line = line
        self.message = message
        super().__init__(f"{self.file}:{line}: {message}")


@dataclass(frozen=True)
class Finding:
    """A recoverable defect (or a note) about a document, reported by `talk lint`."""

    line: int
    level: str  # "error" | "warning"
    message: str


class TypeKind(StrEnum):
    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    LIST = "list"
    NOT_APPLICABLE = "not_applicable"
    EXPRESSION = "expression"


_PLAIN = {f'"{k.value}"': k for k in TypeKind if k not in (TypeKind.NOT_APPLICABLE,
                                                          TypeKind.EXPRESSION)}
_DATETIME_FORMAT = re.compile(r'^"datetime-format"\s*,\s*"([^"]*)"')


@dataclass(frozen=True)
class DataType:
    """The third column of a property table, kept exactly as written."""

    kind: TypeKind
    written: str

    @classmethod
    def parse(cls, written: str) -> DataType:
        text = written.strip()
        if text in _PLAIN:
            return cls(_PLAIN[text], written)
        if text == "N/A":
            return cls(TypeKind.NOT_APPLICABLE, written)
        return cls(TypeKind.EXPRESSION, written)

    @property
    def datetime_format(self) -> str | None:
        """The strftime format of a `"datetime-format","%Y-%m-%d",...` expression, if any."""
        if self.kind is not TypeKind.EXPRESSION:
            return None
        match = _DATETIME_FORMAT.match(self.written.strip())
        return match.group(1) if match else None

    @property
    def is_checked(self) -> bool:
        """Whether a value's type can be checked against this documented type."""
        if self.kind is TypeKind.NOT_APPLICABLE:
            return False
        return self.kind is not TypeKind.EXPRESSION or self.datetime_format is not None


_CONDITION = re.compile(r"^Dependant on having (?P<value>.*?) in (?P<path>\S+)$")


@dataclass(frozen=True)
class BracketCondition:
    """`Dependant on having V in P`: the row applies only where path P holds V."""

    text: str
    value: str | None
    path: str | None

    @classmethod
    def parse(cls, text: str) -> BracketCondition:
        match = _CONDITION.match(text.strip())
        if not match:
            return cls(text, None, None)
        return cls(text, match.group("value").strip(), match.group("path"))

    @property
    def understood(self) -> bool:
        """docs/design.md#bracket-conditions: only a non-empty value and a path are evaluated; the
        rest is manual."""
        return bool(self.value) and bool(self.path)


@dataclass(frozen=True)
class PropertyPath:
    """A table cell naming a property: a dotted path, optionally with a bracket condition."""

    written: str
    path: str
    condition: BracketCondition | None = None

    @classmethod
    def parse(cls, written: str) -> PropertyPath:
        text = written.strip()
        if text.endswith(")") and " (" in text:
            head, _, rest = text.partition(" (")
            return cls(written, head.strip(), BracketCondition.parse(rest[:-1]))
        return cls(written, text)


@dataclass(frozen=True)
class PropertyRow:
    source: PropertyPath
    target: PropertyPath
    type: DataType
    line: int


@dataclass(frozen=True)
class MergeCriterion:
    """One alternative match criterion: the source and target values are equal."""

    source: PropertyPath
    target: PropertyPath
    line: int


@dataclass(frozen=True)
class EntityRef:
    """`<label> <entity> (<qualifier>)` with the label resolved to a system of the title."""

    label: str
    system: str
    entity: str
    qualifier: str | None = None

    @property
    def system_key(self) -> str:
        return system_key(self.system)

    @property
    def display(self) -> str:
        """The reference as the document writes it."""
        text = f"{self.label} {self.entity}".strip()
        return f"{text} ({self.qualifier})" if self.qualifier else text


class Shape(IntEnum):
    """The section shapes of FORMAT.md."""

    PLAIN = 1
    MERGE_FIRST = 2
    CONDITIONAL = 3
    CONNECTED = 4
    MATCH_OR_CREATE = 5

    @property
    def creates(self) -> bool:
        """docs/design.md#which-sections-create: shape 2 alone only links; the others may create."""
        return self is not Shape.MERGE_FIRST


@dataclass(frozen=True)
class Sentence:
    line: int
    text: str  # as written; a paragraph wrapped over several lines keeps its line breaks
    blank_before: int = 1  # layout: blank lines before it (0 right after the heading)


@dataclass
class Section:
    title: str
    line: int
    source: EntityRef
    target: EntityRef
    shape: Shape
    sentences: list[Sentence] = field(default_factory=list)
    condition: str | None = None  # shape 3: the free-text condition, in the document's words
    connected_to: list[str] = field(default_factory=list)  # shape 4: what it must be connected to
    merge_criteria: list[MergeCriterion] = field(default_factory=list)
    properties: list[PropertyRow] = field(default_factory=list)
    merge_table_line: int | None = None
    property_table_line: int | None = None
    duplicate_of: int | None = None  # line of the first copy, for a duplicate section
    # Layout only (for lossless rendering): heading underline, tables as written.
    layout: SectionLayout = field(default_factory=SectionLayout)
    merge_table: TableLayout | None = None
    property_table: TableLayout | None = None


@dataclass
class Dataflow:
    path: str
    title: str
    title_line: int
    source_system: str
    target_system: str
    generated: str | None
    sections: list[Section] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    layout: DocumentLayout = field(default_factory=DocumentLayout)  # for lossless rendering
    generated_line: int | None = None

    @property
    def errors(self) -> list[Finding]:
        """Findings of level error: the document says something the parser cannot use."""
        return [f for f in self.findings if f.level == "error"]

    @property
    def name(self) -> str:
        """The document's file name without extension, e.g. `keap-to-webcrm`."""
        return Path(self.path).stem

    @property
    def unique_sections(self) -> list[Section]:
        """Sections to sync and check: a duplicate is used once
        (docs/design.md#duplicate-sections)."""
        return [s for s in self.sections if s.duplicate_of is None]
