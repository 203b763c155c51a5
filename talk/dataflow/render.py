"""Write a Dataflow back as reStructuredText.

`render(parse_text(text)) == text` with LF line endings and a final newline: the proof that
the parser drops nothing. Text comes from the model's semantic fields (titles, sentences,
cells as written); blank-line counts and rules come from the layout. A model built or
edited in code renders too: missing layout falls back to the generator's usual form.
"""

from __future__ import annotations

from talk.dataflow.layout import TableLayout
from talk.dataflow.model import Dataflow, Section
from talk.dataflow.tables import row_lines

__all__ = ["render"]


def _blank(count: int) -> list[str]:
    return [""] * count


def _table_lines(table: TableLayout, rows: list[tuple[str, ...]]) -> list[str]:
    lines = [*_blank(table.blank_before), table.directive, *table.options]
    lines += _blank(table.blank_after_options)
    for cells in [table.header, *rows]:
        lines += row_lines(table.indent, cells)
    return lines


def _default_table(section: Section, columns: int, line: int | None) -> TableLayout:
    source, target = section.source.display, section.target.display
    header = (f"{source} Property", f"{target} Property", f"{section.target.label} Data Type")
    return TableLayout(line=line or 0, header=header[:columns])


def _section_lines(section: Section) -> list[str]:
    underline = section.layout.underline or "-" * len(section.title)
    lines = [*_blank(section.layout.blank_before), section.title, underline]
    parts: list[tuple[int, list[str]]] = [
        (s.line, _blank(s.blank_before) + s.text.split("\n")) for s in section.sentences]
    merge_rows = [(m.source.written, m.target.written) for m in section.merge_criteria]
    property_rows = [(p.source.written, p.target.written, p.type.written)
                     for p in section.properties]
    merge = section.merge_table
    if merge is None and merge_rows:
        merge = _default_table(section, 2, section.merge_table_line)
    properties = section.property_table
    if properties is None and property_rows:
        properties = _default_table(section, 3, section.property_table_line)
    for table, rows in ((merge, merge_rows), (properties, property_rows)):
        if table is not None:
            parts.append((table.line, _table_lines(table, list(rows))))
    # Parts sit in document order; a part without a line (built in code) goes last.
    for _, part in sorted(parts, key=lambda item: item[0] or 1 << 62):
        lines += part
    return lines


def render(dataflow: Dataflow, line_ending: str = "\n") -> str:
    """The document as text; `line_ending="\\r\\n"` or `dataflow.layout.line_ending` for CRLF."""
    layout = dataflow.layout
    lines = _blank(layout.leading_blank)
    if layout.title_overline is not None:
        lines.append(layout.title_overline)
    lines += [dataflow.title, layout.title_underline or "=" * len(dataflow.title)]
    for block in layout.preamble:
        lines += _blank(block.blank_before) + list(block.lines)
    if not layout.preamble and dataflow.generated is not None:
        lines += ["", f"Generated: {dataflow.generated}"]
    for section in dataflow.sections:
        lines += _section_lines(section)
    lines += _blank(layout.trailing_blank)
    return line_ending.join(lines) + line_ending
