"""Document text and sample values survive the trip through Gherkin unchanged."""

from __future__ import annotations

import json
import re
from typing import Any

from gherkin.parser import Parser
from hypothesis import given, settings
from hypothesis import strategies as st

from talk.gherkin import escape

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=6,
)


def _parse(feature: str) -> Any:
    return Parser().parse(feature)


def _steps(document: Any) -> Any:
    return document["feature"]["children"][0]["scenario"]["steps"]


@settings(max_examples=150, deadline=None)
@given(st.text() | _JSON)
def test_a_value_in_a_table_cell_reads_back_as_the_same_value(value: object) -> None:
    cell = escape.cell(escape.encode_value(value))
    feature = f"Feature: f\n  Scenario: s\n    Given a X with:\n      | path | {cell} |\n"
    row = _steps(_parse(feature))[0]["dataTable"]["rows"][0]["cells"]
    assert escape.decode_cell(row[1]["value"]) == value


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_a_quoted_argument_reads_back_as_the_same_text(text: str) -> None:
    feature = f"Feature: f\n  Scenario: s\n    Given the dataflow document {escape.quoted(text)}\n"
    step = _steps(_parse(feature))[0]["text"]
    argument = step.removeprefix("the dataflow document ")
    assert escape.decode_quoted(argument) == text


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1))
def test_document_words_in_a_docstring_read_back_unchanged(text: str) -> None:
    body = escape.docstring(text.strip())
    feature = (f'Feature: f\n  Scenario: s\n    Then a tester checks:\n      """\n'
               f'      {body}\n      """\n')
    assert _steps(_parse(feature))[0]["docString"]["content"] == text.strip()


def test_hostile_text_is_kept_exactly() -> None:
    hostile = ' a | b # c "d" <e> \\f æøå 日本 '
    assert escape.decode_cell(escape.encode_value(hostile)) == hostile
    assert escape.encode_value("Acme AS") == "Acme AS"  # plain text stays readable
    assert escape.encode_value("42") == '"42"'  # a text holding a number stays text
    assert json.loads(escape.encode_value(42)) == 42


def test_tags_are_valid_marker_names() -> None:
    for text in ("Keap Companies to Webcrm Organisations", "3 things", "Wix.com", "", "æøå"):
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", escape.tag(text)), text
    assert escape.tag("Keap Companies") == "keap_companies"


def test_outline_names_cannot_be_substituted() -> None:
    assert "<" not in escape.name("a <line> b", outline=True)
    assert escape.name("  two\n lines ") == "two lines"
