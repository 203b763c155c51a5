"""A document page mirrors its document: items sit on the line they name."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from report_helpers import DATA, read_page, words

from talk.dataflow.model import (
    Dataflow,
    DataType,
    EntityRef,
    MergeCriterion,
    PropertyPath,
    PropertyRow,
    Section,
    Sentence,
    Shape,
)
from talk.report import DocumentResult, Item, Results, SectionResult, render
from talk.report.pages import (
    SentenceBlock,
    TableBlock,
    build_document_page,
    build_index_page,
    find_dataflow,
    page_names,
    pretty_json,
)


def _section(line: int, title: str = "Keap Users to Webcrm Users") -> Section:
    keap, webcrm = EntityRef("Keap", "Keap", "Users"), EntityRef("Webcrm", "Webcrm", "Users")
    return Section(
        title=title, line=line, source=keap, target=webcrm, shape=Shape.MERGE_FIRST,
        sentences=[Sentence(line + 2, "Before any synchronization ..."),
                   Sentence(line + 4, "Once a link ... regardless of where it is edited."),
                   Sentence(line + 6, "The following properties are synchronized ...")],
        merge_criteria=[MergeCriterion(PropertyPath.parse("email_address"),
                                       PropertyPath.parse("UserEmail"), line + 12)],
        merge_table_line=line + 8,
        properties=[PropertyRow(PropertyPath.parse("job_title"), PropertyPath.parse("UserTitle"),
                                DataType.parse('"string"'), line + 22)],
        property_table_line=line + 16,
    )


def _document(*sections: SectionResult) -> DocumentResult:
    return DocumentResult("dataflows/keap-to-webcrm.rst", "Keap to Webcrm Dataflow", "Keap",
                          "Webcrm", sections=list(sections))


def _item(kind: str, line: int | None, status: str = "passed") -> Item:
    return Item(kind=kind, text=f"{kind} text", line=line, status=status)


def test_items_sit_on_their_sentence_and_row() -> None:
    result = SectionResult("Keap Users to Webcrm Users", 10, [
        _item("edited_in_source", 14), _item("edited_in_target", 14, "failed"),
        _item("merge", 22), _item("property", 32), _item("property_condition_not_met", 32),
        _item("scenario", 99), _item("no_properties", 26),
    ])
    dataflow = Dataflow("keap-to-webcrm.rst", "Keap to Webcrm Dataflow", 2, "Keap", "Webcrm",
                        None, [_section(10)])
    page = build_document_page(_document(result), "k.html", Results("t"), dataflow, None)
    (view,) = page.sections
    blocks = {b.line: b for b in view.blocks}
    sentence = blocks[14]
    assert isinstance(sentence, SentenceBlock)
    assert [v.item.kind for v in sentence.items] == ["edited_in_source", "edited_in_target"]
    merge, properties = blocks[18], blocks[26]
    assert isinstance(merge, TableBlock) and isinstance(properties, TableBlock)
    assert [v.item.kind for v in merge.rows[0].items] == ["merge"]
    assert [v.item.kind for v in properties.rows[0].items] == [
        "property", "property_condition_not_met"]
    assert [v.item.kind for v in properties.items] == ["no_properties"]
    assert [v.item.kind for v in view.other_items] == ["scenario"]  # line 99 is not shown
    assert [b.line for b in view.blocks] == sorted(b.line for b in view.blocks)
    assert page.totals["failed"] == 1 and view.totals["passed"] == 6


def test_sections_match_by_line_then_title_and_nothing_is_lost() -> None:
    sections = [_section(10), _section(40, "Keap Companies to Webcrm Organisations"),
                replace(_section(70), duplicate_of=10)]
    moved = SectionResult("Keap Companies to Webcrm Organisations", None, [_item("merge", 52)])
    stray = SectionResult("A section the document lacks", 500, [_item("synchronized", 502)])
    first = SectionResult("Keap Users to Webcrm Users", 10, [_item("merge", 22)])
    dataflow = Dataflow("k.rst", "K", 2, "Keap", "Webcrm", None, sections)
    page = build_document_page(_document(first, moved, stray), "k.html", Results("t"),
                               dataflow, None)
    assert [s.title for s in page.sections] == [
        "Keap Users to Webcrm Users", "Keap Companies to Webcrm Organisations",
        "Keap Users to Webcrm Users", "A section the document lacks"]
    assert [len(s.items) for s in page.sections] == [1, 1, 0, 1]
    assert "repeats the one at line 10" in page.sections[2].note
    assert "not found in the document" in page.sections[3].note


def test_without_the_document_the_items_are_listed(sample: Results, out_dir: Path) -> None:
    written = render(sample, out_dir)
    page = read_page(written[1])
    text = words(next(e for e in page.elements if e.tag == "main"))
    assert "The document itself was not available" in text
    assert "Name | name | \"string\"" in text
    items = page.by_class("item")
    assert len(items) == sum(len(s.items) for s in sample.documents[0].sections)


def test_rows_without_a_result_say_so() -> None:
    dataflow = Dataflow("k.rst", "K", 2, "Keap", "Webcrm", None, [_section(10)])
    result = SectionResult("Keap Users to Webcrm Users", 10, [_item("merge", 22)])
    page = build_document_page(_document(result), "k.html", Results("t"), dataflow, None)
    rows = [row for b in page.sections[0].blocks if isinstance(b, TableBlock) for row in b.rows]
    assert [len(row.items) for row in rows] == [1, 0]


def test_real_document_mirrored_line_by_line(sample: Results, out_dir: Path) -> None:
    parse_file = pytest.importorskip("talk.dataflow").parse_file
    path = DATA / "superoffice-to-tripletex.rst"
    written = render(sample, out_dir, dataflows={sample.documents[0].file: parse_file(path)})
    page = read_page(written[1])
    text = words(next(e for e in page.elements if e.tag == "main"))
    assert "Other checks of this section" not in text  # every item found its line
    assert "line 105 When a SuperOffice Sale has status Sold" in text
    assert "Tripletex Customer Property" in [words(e) for e in page.elements if e.tag == "th"]
    marks = [(e.attrs["data-line"], e.attrs["data-status"]) for e in page.by_class("item")]
    expected = [(str(i.line), i.status) for s in sample.documents[0].sections for i in s.items]
    assert sorted(marks) == sorted(expected)


def test_page_names_are_safe_and_unique() -> None:
    documents = [DocumentResult(file, "", "", "") for file in (
        "dataflows/keap-to-webcrm.rst", "other/keap-to-webcrm.rst", "index.rst",
        "a b&c.rst", "../..", "x/.rst")]
    names = page_names(documents)
    assert names[:4] == ["keap-to-webcrm.html", "keap-to-webcrm-2.html", "index-2.html",
                         "a-b-c.html"]
    assert len(set(names)) == len(names) and "index.html" not in names
    assert all(name.endswith(".html") and "/" not in name for name in names)


def test_find_dataflow_by_file_name_or_stem() -> None:
    dataflow = Dataflow("/abs/dataflows/keap-to-webcrm.rst", "K", 2, "Keap", "Webcrm", None)
    for key in ("dataflows/keap-to-webcrm.rst", "keap-to-webcrm.rst", "keap-to-webcrm"):
        assert find_dataflow({key: dataflow}, "dataflows/keap-to-webcrm.rst") is dataflow
    assert find_dataflow({"x": dataflow}, "elsewhere/keap-to-webcrm.rst") is dataflow
    assert find_dataflow({"x": dataflow}, "customerp-to-keap.rst") is None


def test_pretty_json_folds_only_what_is_long() -> None:
    assert pretty_json({"value": 4711, "type": "integer"}) == '{"value": 4711, "type": "integer"}'
    long = {"sent": [{"body": {"name": "x" * 100}}]}
    lines = pretty_json(long).splitlines()
    assert lines[0] == "{" and lines[1] == '  "sent": [' and lines[-1] == "}"
    assert pretty_json(long).replace("\n", "").replace(" ", "") == str(long).replace(
        "'", '"').replace(" ", "")


class _Counted:
    """A value whose every encoding as JSON (`default=str`) is counted."""

    def __init__(self) -> None:
        self.encoded = 0

    def __str__(self) -> str:
        self.encoded += 1
        return "value"


def test_the_index_shows_evidence_of_failed_and_changed_items_only() -> None:
    quiet, failed, changed = _Counted(), _Counted(), _Counted()
    items = [Item("property", "a", 1, "passed", evidence={"v": quiet}),
             Item("property", "b", 2, "failed", evidence={"v": failed}),
             Item("property", "c", 3, "passed", evidence={"v": changed}, change="fixed")]
    document = DocumentResult("a.rst", "A", "Keap", "WebCRM",
                              sections=[SectionResult("S", 1, items)])
    page = build_index_page(Results("now", [document]).finish(), ["a.html"], None)
    assert [link.view.item.text for link in page.failures] == ["b"]
    assert [link.view.item.text for link in page.changed] == ["c"]
    assert (quiet.encoded, failed.encoded, changed.encoded) == (0, 1, 1)


def test_pretty_json_encodes_each_value_once_however_deep() -> None:
    """Evidence is nested (sent > body > fields): encoding every level whole again made the
    HTML report cost grow with the depth."""
    value = _Counted()
    deep: object = [value, "x" * 100]
    for level in range(5):
        deep = {f"level{level}": deep}
    shown = pretty_json(deep)
    assert '"value"' in shown and shown.count("\n") > 5
    assert value.encoded == 1
