"""Rendering a parsed document gives back its text: nothing is dropped."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from talk.dataflow import DataType, PropertyPath, PropertyRow, parse_file, parse_text, render

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted([*(ROOT / "dataflows").glob("*.rst"), *(ROOT / "tests" / "data").glob("*.rst")])


def test_all_seven_documents_are_there() -> None:
    assert len(DOCUMENTS) == 7


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_render_gives_back_the_document(path: Path) -> None:
    original = path.read_bytes().decode("utf-8")
    flow = parse_file(path)
    assert render(flow) == original.replace("\r\n", "\n")
    assert render(flow, flow.layout.line_ending) == original


def test_a_missing_final_newline_is_added() -> None:
    text = (ROOT / "dataflows" / "keap-to-webcrm.rst").read_text().rstrip("\n")
    assert render(parse_text(text)) == text + "\n"


def test_an_added_row_renders_where_the_table_is() -> None:
    """docs/design.md#unsupported-sections test copy: add `name -> product_name` to CustomERP
    Product -> Keap Product."""
    flow = parse_file(ROOT / "dataflows" / "customerp-to-keap.rst")
    product = flow.sections[-1]
    product.properties.append(PropertyRow(PropertyPath.parse("name"),
                                          PropertyPath.parse("product_name"),
                                          DataType.parse('"string"'), line=0))
    again = parse_text(render(flow), "copy.rst").sections[-1]
    assert [(r.source.path, r.target.path, r.type.written) for r in again.properties] == [
        ("name", "product_name", '"string"')]
    assert again.properties[0].line == 74


def test_a_model_without_layout_renders_readable_tables() -> None:
    flow = parse_file(ROOT / "tests" / "data" / "superoffice-to-tripletex.rst")
    flow.sections = [replace(s, merge_table=None, property_table=None) for s in flow.sections]
    again = parse_text(render(flow), "copy.rst")
    assert [len(s.properties) for s in again.sections] == [8, 3, 2, 2]
    assert [len(s.merge_criteria) for s in again.sections] == [2, 1, 0, 0]
    assert again.findings == []
