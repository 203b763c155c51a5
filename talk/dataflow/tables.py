"""Read a `.. list-table::` block into its header and rows, each row with its line.

A table that cannot be read raises DataflowError naming the table's line and the row that
breaks it, e.g. "table at line 39 has 2 columns in row 3 (line 47), the header has 3".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from talk.dataflow.blocks import Block, is_blank
from talk.dataflow.layout import TableLayout
from talk.dataflow.model import DataflowError

__all__ = ["MERGE_COLUMNS", "PROPERTY_COLUMNS", "ParsedTable", "parse_table", "row_lines"]

MERGE_COLUMNS = 2
PROPERTY_COLUMNS = 3

_OPTION = re.compile(r"\s+:[^:\s][^:]*:.*")
_ROW = re.compile(r"(?P<indent>[ \t]+)\* -(?: (?P<cell>.*))?")


@dataclass(frozen=True)
class TableRow:
    line: int
    cells: tuple[str, ...]  # as written after "- "


@dataclass(frozen=True)
class ParsedTable:
    layout: TableLayout
    rows: tuple[TableRow, ...]  # without the header row

    @property
    def columns(self) -> int:
        return len(self.layout.header)


def row_lines(indent: str, cells: tuple[str, ...]) -> list[str]:
    """The lines of one row as the renderer writes it."""
    return [f"{indent}{'* - ' if i == 0 else '  - '}{cell}" for i, cell in enumerate(cells)]


def _header_rows(options: list[str], file: str, line: int) -> None:
    values = [o.split(":header-rows:", 1)[1].strip() for o in options if ":header-rows:" in o]
    if not values:
        raise DataflowError(file, line, f"table at line {line} lacks the option ':header-rows: 1'")
    if values != ["1"]:
        raise DataflowError(file, line, f"table at line {line} has ':header-rows: "
                                        f"{values[0]}'; these tables have exactly 1 header row")


def _rows(block: Block, first: int, file: str) -> tuple[str, list[TableRow]]:
    indent = ""
    rows: list[tuple[int, list[str]]] = []
    for offset, text in enumerate(block.lines[first:]):
        number = block.line + first + offset
        match = _ROW.fullmatch(text)
        if is_blank(text):
            raise DataflowError(file, number, f"table at line {block.line} has a blank line at "
                                              f"line {number} between its rows")
        if match and (not rows or match.group("indent") == indent):
            indent = match.group("indent")
            rows.append((number, [match.group("cell") or ""]))
        elif rows and (text == f"{indent}  -" or text.startswith(f"{indent}  - ")):
            rows[-1][1].append(text[len(indent) + 4:])
        else:
            raise DataflowError(file, number, f"line {number} of the table at line {block.line} "
                                              f"is neither a row ('* - ...') nor a cell "
                                              f"('  - ...') aligned with the rows above")
    return indent, [TableRow(number, tuple(cells)) for number, cells in rows]


def _check_columns(block: Block, rows: list[TableRow], file: str) -> None:
    header = len(rows[0].cells)
    if header not in (MERGE_COLUMNS, PROPERTY_COLUMNS):
        raise DataflowError(file, rows[0].line, f"table at line {block.line} has {header} columns; "
                                                f"a merge table has 2, a property table 3")
    for number, row in enumerate(rows, start=1):
        count = len(row.cells)
        if count != header and number == len(rows) and block.at_eof and count < header:
            raise DataflowError(file, row.line, f"table at line {block.line} is cut off at the end "
                                                f"of the file: row {number} (line {row.line}) has "
                                                f"{count} columns, the header has {header}")
        if count != header:
            raise DataflowError(file, row.line, f"table at line {block.line} has {count} columns "
                                                f"in row {number} (line {row.line}), the header "
                                                f"has {header}")
        for column, cell in enumerate(row.cells, start=1):
            if not cell.strip():
                raise DataflowError(file, row.line, f"table at line {block.line} has an empty cell "
                                                    f"in row {number} (line {row.line}), column "
                                                    f"{column}")


def parse_table(block: Block, file: str | Path) -> ParsedTable:
    """The table of a TABLE block; raises DataflowError when it cannot be read."""
    name = str(file)
    index = 1
    while index < len(block.lines) and _OPTION.fullmatch(block.lines[index]):
        index += 1
    options = list(block.lines[1:index])
    _header_rows(options, name, block.line)
    blank_after = 0
    while index < len(block.lines) and is_blank(block.lines[index]):
        blank_after += 1
        index += 1
    if index == len(block.lines):
        where = "is cut off at the end of the file" if block.at_eof else "has no rows"
        raise DataflowError(name, block.line + index - 1,
                            f"table at line {block.line} {where} before its header row")
    indent, rows = _rows(block, index, name)
    _check_columns(block, rows, name)
    layout = TableLayout(
        line=block.line,
        header=rows[0].cells,
        header_line=rows[0].line,
        blank_before=block.blank_before,
        directive=block.lines[0],
        options=tuple(options),
        blank_after_options=blank_after,
        indent=indent,
    )
    return ParsedTable(layout, tuple(rows[1:]))
