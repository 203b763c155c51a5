"""Cut a document's lines into blocks: headings, list-table directives and paragraphs.

The parser reads lines itself rather than through docutils, because docutils keeps no
line number per table row and drops tables that have only a header row.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Block", "BlockKind", "is_blank", "is_rule", "split_blocks", "split_lines"]

TABLE_DIRECTIVE = ".. list-table::"


class BlockKind(StrEnum):
    HEADING = "heading"  # a text line underlined with '-'
    TABLE = "table"  # a `.. list-table::` directive and its indented body
    PARAGRAPH = "paragraph"  # consecutive text lines


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    line: int  # 1-based line of the block's first line
    lines: tuple[str, ...]
    blank_before: int
    at_eof: bool = False  # the block's last line is the document's last line


def split_lines(text: str) -> list[str]:
    """Lines without their LF or CRLF; the newline that ends the file ends the last line."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def is_blank(line: str) -> bool:
    return not line.strip()


def is_rule(line: str, char: str) -> bool:
    """A line made of one adornment character only, e.g. `-----`."""
    return bool(line) and line == char * len(line)


def _starts_heading(lines: list[str], index: int) -> bool:
    line = lines[index]
    return (
        index + 1 < len(lines)
        and not is_blank(line)
        and not line[0].isspace()
        and not is_rule(line, "-")
        and is_rule(lines[index + 1], "-")
    )


def _table_end(lines: list[str], start: int) -> int:
    """Index after the directive's body: its indented lines, without trailing blank lines."""
    end = start + 1
    while end < len(lines) and (is_blank(lines[end]) or lines[end][0].isspace()):
        end += 1
    while end > start + 1 and is_blank(lines[end - 1]):
        end -= 1
    return end


def _paragraph_end(lines: list[str], start: int) -> int:
    end = start + 1
    while (
        end < len(lines)
        and not is_blank(lines[end])
        and not _starts_heading(lines, end)
        and not lines[end].startswith(TABLE_DIRECTIVE)
    ):
        end += 1
    return end


def split_blocks(lines: list[str], start: int) -> tuple[list[Block], int]:
    """The blocks from index `start` on, and the number of blank lines after the last one."""
    blocks: list[Block] = []
    blanks = 0
    index = start
    while index < len(lines):
        if is_blank(lines[index]):
            blanks += 1
            index += 1
            continue
        if _starts_heading(lines, index):
            kind, end = BlockKind.HEADING, index + 2
        elif lines[index].startswith(TABLE_DIRECTIVE):
            kind, end = BlockKind.TABLE, _table_end(lines, index)
        else:
            kind, end = BlockKind.PARAGRAPH, _paragraph_end(lines, index)
        blocks.append(Block(kind, index + 1, tuple(lines[index:end]), blanks,
                            at_eof=end == len(lines)))
        blanks = 0
        index = end
    return blocks, blanks
