"""The parser on the real documents and on small hand-written ones: names, shapes, tables,
types, line numbers, and what counts as a finding or an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from talk.dataflow import (
    DataflowError,
    EntityRef,
    Shape,
    TypeKind,
    parse_file,
    parse_text,
)
from talk.dataflow.entities import resolve_entity_ref

ROOT = Path(__file__).resolve().parents[2]
SUPEROFFICE = ROOT / "tests" / "data" / "superoffice-to-tripletex.rst"
EXACT_BC = ROOT / "tests" / "data" / "exact-online-to-business-central.rst"

HEAD = """\
=========================
Alpha to Beta Co Dataflow
=========================

Generated: 2024-01-02 03:04:05

Introduction
------------

Some introduction.
"""


def doc(*sections: str, head: str = HEAD) -> str:
    return head + "".join("\n\n" + s for s in sections)


def plain(source: str = "Alpha Item", target: str = "Beta Co Thing", rows: str = "",
          label: str = "Beta Co") -> str:
    return f"""\
{source} to {target}
{'-' * len(f'{source} to {target}')}
Every {source} will be synchronized with a {target}.

The following properties are synchronized between a {source} and a {target}:

.. list-table::
   :header-rows: 1

   * - {source} Property
     - {target} Property
     - {label} Data Type
{rows}"""


def test_customerp_labels_resolve_to_the_title_system() -> None:
    flow = parse_file(ROOT / "dataflows" / "customerp-to-keap.rst")
    first, last = flow.sections[0], flow.sections[-1]
    assert first.source == EntityRef("Custom", "CustomERP", "Contact")
    assert first.source.system_key == "customerp"
    assert last.source == EntityRef("CustomERP", "CustomERP", "Product")
    assert first.target == EntityRef("Keap", "Keap", "Contacts")


def test_superoffice_shapes_types_and_conditions() -> None:
    flow = parse_file(SUPEROFFICE)
    assert [s.shape for s in flow.sections] == [
        Shape.MERGE_FIRST, Shape.MATCH_OR_CREATE, Shape.CONDITIONAL, Shape.CONNECTED]
    contact, person, sale, product = flow.sections
    orgnr = contact.merge_criteria[1].source
    assert orgnr.path == "OrgNr"
    assert orgnr.condition is not None
    assert (orgnr.condition.value, orgnr.condition.path) == ("NO", "Country.TwoLetterISOCountry")
    assert [p.type.kind for p in contact.properties] == [
        TypeKind.STRING, TypeKind.STRING, TypeKind.STRING, TypeKind.STRING, TypeKind.INTEGER,
        TypeKind.STRING, TypeKind.NOT_APPLICABLE, TypeKind.BOOLEAN]
    assert contact.merge_table_line == 18 and contact.property_table_line == 32
    assert person.source == EntityRef("SuperOffice", "SuperOffice", "Person", "human data")
    assert sale.condition == "When a SuperOffice Sale has status Sold"
    date = sale.properties[1].type
    assert date.kind is TypeKind.EXPRESSION and date.datetime_format == "%Y-%m-%d"
    assert product.connected_to == ["SuperOffice Sale", "Quote"]
    assert [p.type.kind for p in product.properties] == [TypeKind.STRING, TypeKind.DECIMAL]
    assert flow.layout.line_ending == "\r\n"
    assert all("\r" not in s.text for sec in flow.sections for s in sec.sentences)
    assert flow.findings == []


def test_older_introduction_heading_is_not_a_defect() -> None:
    flow = parse_file(EXACT_BC)
    assert flow.layout.preamble[1].lines == ("Introduction.", "-------------")
    assert [f.message for f in flow.findings if "Introduction" in f.message] == []
    assert [s.duplicate_of for s in flow.sections] == [None, None, 37]
    assert [s.line for s in flow.unique_sections] == [12, 37]


@pytest.mark.parametrize(("text", "systems", "preferred", "hint", "expected"), [
    ("Custom Contact", ["CustomERP", "Keap"], "CustomERP", None,
     EntityRef("Custom", "CustomERP", "Contact")),
    ("Custom ERP Product", ["CustomERP", "Keap"], "CustomERP", None,
     EntityRef("Custom ERP", "CustomERP", "Product")),
    ("Webcrm Users", ["Keap", "WebCRM"], "WebCRM", "Webcrm",
     EntityRef("Webcrm", "WebCRM", "Users")),
    ("Exact Online Accounts (organisation data)", ["Exact Online", "Business Central"],
     "Exact Online", None, EntityRef("Exact Online", "Exact Online", "Accounts",
                                     "organisation data")),
    ("Exact Online Contacts", ["Customcrm", "Exact"], "Exact", None,
     EntityRef("Exact Online", "Exact", "Contacts")),
    ("Wix.com Store Products", ["Wix.com", "Keap"], "Wix.com", None,
     EntityRef("Wix.com", "Wix.com", "Store Products")),
    (" Sesamproducts", ["Keap", ""], "", None, EntityRef("", "", "Sesamproducts")),
    ("Customcrm Product", ["Customcrm", "Customcrm"], "Customcrm", None,
     EntityRef("Customcrm", "Customcrm", "Product")),
])
def test_entity_labels_resolve_by_system_names(text: str, systems: list[str], preferred: str,
                                               hint: str | None, expected: EntityRef) -> None:
    resolution = resolve_entity_ref(text, systems, preferred, hint)
    assert resolution.ref == expected
    assert resolution.problem is None


def test_a_label_naming_no_title_system_is_resolved_with_a_warning() -> None:
    text = doc(plain(target="Gamma Thing", label="Gamma"))
    flow = parse_text(text, "x.rst")
    assert flow.sections[0].target == EntityRef("Gamma", "Beta Co", "Thing")
    assert [f.message for f in flow.findings] == [
        "section 'Alpha Item to Gamma Thing': 'Gamma' does not name a system of the title"]


def test_header_only_table_is_valid_and_rows_keep_their_lines() -> None:
    rows = "   * - a.b (Dependant on having  in c.d)\n     - x\n     - N/A\n"
    flow = parse_text(doc(plain(), plain("Alpha Other", rows=rows)), "x.rst")
    empty, full = flow.sections
    assert empty.properties == [] and empty.property_table_line == 19
    assert flow.findings == []
    row = full.properties[0]
    assert row.line == 39 and row.source.path == "a.b"
    assert row.source.condition is not None and not row.source.condition.understood
    assert row.type.kind is TypeKind.NOT_APPLICABLE


def test_missing_system_name_is_a_warning_not_a_crash() -> None:
    head = HEAD.replace("Alpha to Beta Co Dataflow", "Alpha to  Dataflow")
    flow = parse_text(doc(plain(target=" Things", label=""), head=head), "x.rst")
    assert flow.target_system == ""
    assert flow.sections[0].target == EntityRef("", "", "Things")
    assert [f.level for f in flow.findings] == ["warning", "warning"]


def test_no_sections_is_a_warning() -> None:
    flow = parse_text(HEAD, "x.rst")
    assert flow.sections == []
    assert [(f.line, f.level) for f in flow.findings] == [(2, "warning")]


def test_unknown_sentence_is_an_error_finding_and_kept_for_rendering() -> None:
    text = doc(plain().replace("Every Alpha Item will be", "Sometimes Alpha Item is"))
    flow = parse_text(text, "x.rst")
    assert [(f.line, f.level) for f in flow.findings] == [(15, "error")]
    assert flow.errors == flow.findings
    assert flow.sections[0].sentences[0].text.startswith("Sometimes")


def test_section_without_shape_sentence_is_an_error() -> None:
    section = plain().replace("Every Alpha Item will be synchronized with a Beta Co Thing.\n\n", "")
    flow = parse_text(doc(section), "x.rst")
    assert [(f.line, f.level) for f in flow.findings] == [(13, "error")]
    assert "has no sentence that says how it synchronizes" in flow.findings[0].message


def test_announced_table_must_follow() -> None:
    section = plain().split(".. list-table::")[0].rstrip() + "\n"
    flow = parse_text(doc(section), "x.rst")
    messages = [f.message for f in flow.findings]
    assert "the sentence at line 17 announces a property table, but no property table follows" \
        in messages


@pytest.mark.parametrize(("text", "line", "message"), [
    ("", 1, "the document has no title: expected '<Source system> to <Target system> Dataflow' "
            "between two lines of '='"),
    ("=====\nHello\n=====\n", 2, "the title 'Hello' is not '<Source system> to <Target system> "
                                 "Dataflow' between two lines of '='"),
    (doc("Just a heading\n--------------\n"), 13,
     "the heading 'Just a heading' at line 13 is not '<Source entity> to <Target entity>'"),
    (doc(plain(rows="   * - a\n     - b\n     - \"string\"\n     - extra\n")), 25,
     "table at line 19 has 4 columns in row 2 (line 25), the header has 3"),
    (doc(plain().replace("   :header-rows: 1\n", "")), 19,
     "table at line 19 lacks the option ':header-rows: 1'"),
    (doc(plain(rows="   * - a\n     - \n     - \"string\"\n")), 25,
     "table at line 19 has an empty cell in row 2 (line 25), column 2"),
    (doc(plain(rows="   * - a\n\n     - b\n     - \"string\"\n")), 26,
     "table at line 19 has a blank line at line 26 between its rows"),
    (doc(plain(rows="    * - a\n     - b\n     - \"string\"\n")), 25,
     "line 25 of the table at line 19 is neither a row ('* - ...') nor a cell ('  - ...') "
     "aligned with the rows above"),
    (doc(plain().split("   * -")[0].rstrip() + "\n"), 20,
     "table at line 19 is cut off at the end of the file before its header row"),
])
def test_unreadable_documents_raise_with_line_and_message(text: str, line: int,
                                                          message: str) -> None:
    with pytest.raises(DataflowError) as raised:
        parse_text(text, "doc.rst")
    assert (raised.value.file, raised.value.line, raised.value.message) == ("doc.rst", line,
                                                                            message)
    assert str(raised.value) == f"doc.rst:{line}: {message}"


def test_not_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.rst"
    path.write_bytes(HEAD.encode() + b"\n\xff\xfe\n")
    with pytest.raises(DataflowError) as raised:
        parse_file(path)
    assert raised.value.line == 12 and raised.value.message == "line 12 is not UTF-8 text"


def test_wrapped_paragraph_is_one_sentence() -> None:
    section = plain().replace("Every Alpha Item will be synchronized",
                              "Every Alpha Item will be\nsynchronized")
    flow = parse_text(doc(section), "x.rst")
    assert flow.findings == []
    assert flow.sections[0].shape is Shape.PLAIN
    assert flow.sections[0].sentences[0].text.count("\n") == 1


def test_shape_5_sentences_on_consecutive_lines_are_two_sentences() -> None:
    """Real documents write shape 5's two sentences with no blank line between them."""
    section = plain().replace(
        "Every Alpha Item will be synchronized with a Beta Co Thing.\n",
        "Every Alpha Item will be synchronized with a Beta Co Thing.\n\n"
        "If a matching Beta Co Thing already exists, the Alpha Item will be merged with the "
        "existing one.\r\nIf no matching Beta Co Thing is found, a new Beta Co Thing will be "
        "created.\n")
    flow = parse_text(doc(section))
    assert flow.errors == []
    assert flow.sections[0].shape is Shape.MATCH_OR_CREATE

