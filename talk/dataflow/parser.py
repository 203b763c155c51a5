"""Read a dataflow document (FORMAT.md) into the model, keeping every line number.

Two kinds of trouble are told apart. A document that cannot be read (no title, a table
whose rows do not fit its header, a heading that names no `<S> to <T>`) raises
DataflowError with file, line and message. A defect the rest of the document survives is
a Finding in `dataflow.findings`: warnings for a missing system name, a duplicate
section, a document without sections; errors for a sentence FORMAT.md does not know (the
sentence stays in the model so that rendering stays lossless; `talk lint` exits 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from talk.dataflow.blocks import Block, BlockKind, is_blank, is_rule, split_blocks, split_lines
from talk.dataflow.layout import DocumentLayout, RawBlock
from talk.dataflow.model import Dataflow, DataflowError, Finding
from talk.dataflow.section_parser import SectionParts, build_section
from talk.dataflow.sentences import classify

__all__ = ["parse_file", "parse_text"]

INTRODUCTION_HEADINGS = ("Introduction", "Introduction.")
_TITLE_END = "Dataflow"
_TITLE_TO = re.compile(r"(?:^|\s)to(?:\s|$)")
# Real lines are under 400 characters. The bound keeps every pattern's work small on
# whatever text arrives (a fuzzer, a binary file renamed .rst).
MAX_LINE_LENGTH = 2000
_GENERATED = re.compile(r"Generated:\s*(?P<value>.*)")
_TITLE_FORM = "'<Source system> to <Target system> Dataflow' between two lines of '='"
_BOM = "\ufeff"


def parse_file(path: str | Path) -> Dataflow:
    """Parse the document at `path` (UTF-8; LF or CRLF)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise DataflowError(path, 1, f"cannot read the file: {error.strerror}") from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DataflowError(path, line, f"line {line} is not UTF-8 text") from error
    return parse_text(text, path)


def parse_text(text: str, path: str | Path = "<text>") -> Dataflow:
    """Parse a document's text; `path` names it in errors and findings."""
    return _DocumentParser(str(path), text.removeprefix(_BOM)).parse()


@dataclass
class _Title:
    text: str
    line: int
    overline: str | None
    underline: str
    leading_blank: int
    next_index: int


@dataclass
class _DocumentParser:
    path: str
    text: str
    findings: list[Finding] = field(default_factory=list)

    def parse(self) -> Dataflow:
        lines = split_lines(self.text)
        self._check_line_lengths(lines)
        title = self._title(lines)
        source, target = self._systems(title)
        blocks, trailing = split_blocks(lines, title.next_index)
        first_section = next((i for i, b in enumerate(blocks) if _is_section_heading(b)),
                             len(blocks))
        preamble = blocks[:first_section]
        generated, generated_line = self._preamble(preamble)
        layout = DocumentLayout(
            leading_blank=title.leading_blank,
            title_overline=title.overline,
            title_underline=title.underline,
            preamble=[RawBlock(b.line, b.lines, b.blank_before) for b in preamble],
            trailing_blank=trailing,
            line_ending="\r\n" if self.text.split("\n", 1)[0].endswith("\r") else "\n",
        )
        dataflow = Dataflow(self.path, title.text, title.line, source, target, generated,
                            layout=layout, generated_line=generated_line)
        for parts in _section_parts(blocks[first_section:]):
            dataflow.sections.append(build_section(parts, dataflow, self.findings))
        self._mark_duplicates(dataflow)
        if not dataflow.sections:
            self._warn(title.line, "the document has no sections: it synchronizes nothing")
        dataflow.findings = sorted(self.findings, key=lambda f: f.line)
        return dataflow

    def _warn(self, line: int, message: str) -> None:
        self.findings.append(Finding(line, "warning", message))

    def _check_line_lengths(self, lines: list[str]) -> None:
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_LINE_LENGTH:
                raise DataflowError(self.path, number, f"line {number} has {len(line)} characters;"
                                                       f" a dataflow document's lines have at "
                                                       f"most {MAX_LINE_LENGTH}")

    def _title(self, lines: list[str]) -> _Title:
        index = 0
        while index < len(lines) and is_blank(lines[index]):
            index += 1
        at = index + 1
        window = [*lines[index:index + 3], "", "", ""]
        if is_rule(window[0], "=") and not is_blank(window[1]) and is_rule(window[2], "="):
            return _Title(window[1], at + 1, window[0], window[2], index, index + 3)
        if not is_blank(window[0]) and not is_rule(window[0], "=") and is_rule(window[1], "="):
            return _Title(window[0], at, None, window[1], index, index + 2)
        raise DataflowError(self.path, min(at, max(len(lines), 1)),
                            f"the document has no title: expected {_TITLE_FORM}")

    def _systems(self, title: _Title) -> tuple[str, str]:
        text = title.text.strip()
        match = _TITLE_TO.search(text.removesuffix(_TITLE_END))
        if not text.endswith(_TITLE_END) or not match:
            raise DataflowError(self.path, title.line,
                                f"the title '{title.text}' is not {_TITLE_FORM}")
        body = text.removesuffix(_TITLE_END)
        source, target = body[: match.start()].strip(), body[match.end():].strip()
        for side, name in (("source", source), ("target", target)):
            if not name:
                self._warn(title.line, f"the title '{title.text}' names no {side} system")
        return source, target

    def _preamble(self, blocks: list[Block]) -> tuple[str | None, int | None]:
        generated: tuple[str | None, int | None] = (None, None)
        for block in blocks:
            first = block.lines[0]
            match = _GENERATED.fullmatch(first)
            if block.kind is BlockKind.PARAGRAPH and match and generated[0] is None:
                generated = (match.group("value").strip(), block.line)
            elif block.kind is BlockKind.TABLE:
                self._warn(block.line, f"table at line {block.line} is outside any section; "
                                       f"is its section heading missing?")
            elif block.kind is BlockKind.PARAGRAPH and classify("\n".join(block.lines)):
                self._warn(block.line, f"the sentence at line {block.line} is outside any "
                                       f"section; is its section heading missing?")
        return generated

    def _mark_duplicates(self, dataflow: Dataflow) -> None:
        first_by_title: dict[str, int] = {}
        for section in dataflow.sections:
            key = " ".join(section.title.split())
            if key in first_by_title:
                section.duplicate_of = first_by_title[key]
                self._warn(section.line, f"section '{section.title}' repeats the section at line "
                                         f"{section.duplicate_of}; it is used once")
            else:
                first_by_title[key] = section.line


def _is_section_heading(block: Block) -> bool:
    return block.kind is BlockKind.HEADING and block.lines[0].strip() not in INTRODUCTION_HEADINGS


def _section_parts(blocks: list[Block]) -> list[SectionParts]:
    """Group the blocks after the preamble: each heading with the blocks up to the next."""
    sections: list[SectionParts] = []
    for block in blocks:
        if block.kind is BlockKind.HEADING:
            sections.append(SectionParts(block, []))
        else:
            sections[-1].body.append(block)
    return sections
