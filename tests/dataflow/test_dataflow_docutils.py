"""Cross-check with docutils: it reads the valid documents without severe errors and agrees
on the section titles and on the rows of every table that has rows. (docutils drops
header-only tables with an error; the parser keeps them, so those are left out here.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree

from talk.dataflow import parse_file

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted([*(ROOT / "dataflows").glob("*.rst"), *(ROOT / "tests" / "data").glob("*.rst")])
ERROR, SEVERE = 3, 4


def doctree(path: Path) -> nodes.document:
    settings = {"report_level": 5, "halt_level": 5, "warning_stream": False}
    tree: nodes.document = publish_doctree(path.read_text(), settings_overrides=settings)
    return tree


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_docutils_agrees_on_titles_and_table_rows(path: Path) -> None:
    tree = doctree(path)
    flow = parse_file(path)
    severe = [m for m in tree.findall(nodes.system_message) if m["level"] >= SEVERE]
    assert severe == []
    assert tree["title"] == flow.title
    headings = [s[0].astext() for s in tree.findall(nodes.section)]
    assert headings[0].rstrip(".") == "Introduction"
    assert headings[1:] == [s.title for s in flow.sections]
    docutils_rows = [len(next(iter(t.findall(nodes.tbody))).children)
                     for t in tree.findall(nodes.table)]
    our_rows = [len(rows) for s in flow.sections for rows in (s.merge_criteria, s.properties)
                if rows]
    assert docutils_rows == our_rows


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_docutils_rejects_exactly_the_header_only_tables(path: Path) -> None:
    """Each header-only table is a docutils error at its directive line; no other errors."""
    errors = [m for m in doctree(path).findall(nodes.system_message) if m["level"] == ERROR]
    assert all("no data remaining for table body" in m.astext() for m in errors)
    flow = parse_file(path)
    header_only = [table.line for s in flow.sections
                   for table, rows in ((s.merge_table, s.merge_criteria),
                                       (s.property_table, s.properties))
                   if table is not None and not rows]
    assert [m["line"] for m in errors] == header_only
