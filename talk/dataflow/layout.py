"""Presentation details of a document: what the renderer needs to give back the exact text.

These carry no meaning for sync or checks; they exist so that rendering a parsed document
reproduces it line for line (the proof that the parser drops nothing). Blank lines are
kept as counts: a line holding only spaces counts as blank and renders empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DocumentLayout", "RawBlock", "SectionLayout", "TableLayout"]


@dataclass(frozen=True)
class RawBlock:
    """Lines kept verbatim (the `Generated:` line, the introduction heading and paragraph)."""

    line: int
    lines: tuple[str, ...]
    blank_before: int = 1


@dataclass
class DocumentLayout:
    leading_blank: int = 0
    title_overline: str | None = None  # None: no overline
    title_underline: str | None = None  # None: '=' as long as the title
    preamble: list[RawBlock] = field(default_factory=list)  # between title and first section
    trailing_blank: int = 0  # blank lines after the last text line
    line_ending: str = "\n"  # "\r\n" when the file was written with CRLF


@dataclass(frozen=True)
class SectionLayout:
    blank_before: int = 2
    underline: str | None = None  # None: '-' as long as the heading


@dataclass(frozen=True)
class TableLayout:
    """A `.. list-table::` directive as written; its rows live in the section."""

    line: int  # line of the directive
    header: tuple[str, ...]  # header cells as written
    header_line: int = 0
    blank_before: int = 1
    directive: str = ".. list-table::"
    options: tuple[str, ...] = ("   :header-rows: 1",)
    blank_after_options: int = 1
    indent: str = "   "
