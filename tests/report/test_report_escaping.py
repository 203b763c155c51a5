"""Hostile text from results.json or a document is shown as text, never run as markup."""

from __future__ import annotations

import re
from pathlib import Path

from report_helpers import read_page, words

from talk.dataflow.model import (
    Dataflow,
    DataType,
    EntityRef,
    PropertyPath,
    PropertyRow,
    Section,
    Sentence,
    Shape,
)
from talk.report import Results, render
from talk.report.html import _asset

HOSTILE = "<script>alert(1)</script>"


def _all_text(paths: list[Path]) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in paths)


def test_only_our_own_script_runs(hostile: Results, out_dir: Path) -> None:
    for path in render(hostile, out_dir):
        page = read_page(path)
        scripts = [e for e in page.elements if e.tag == "script"]
        assert len(scripts) == 1, path.name
        assert page.scripts == [_asset("filter.js")], path.name
        assert not any(name.startswith("on") for e in page.elements for name in e.attrs), path.name
        assert not [e for e in page.elements if e.tag in {"img", "textarea", "iframe"}]
        # The fake heading inside a section title stays text: h1 is the page's own, once.
        assert [e.tag for e in page.elements].count("h1") == 1


def test_hostile_text_is_escaped_and_kept_whole(hostile: Results, out_dir: Path) -> None:
    written = render(hostile, out_dir)
    html = _all_text(written)
    assert "alert(1)" in html  # still there, as text ...
    assert html.count("<script") == len(written)  # ... but the only tags are our scripts
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "</textarea>" not in html and "<img" not in html and "</section><h1>" not in html
    assert "{{ 7*191 }}" in html and "1337" not in html  # not evaluated as a template
    assert "ünïcødé 日本語 😀" in html
    document = read_page(written[1])
    text = "".join(document.text)
    long_message = hostile.documents[0].sections[0].items[1].message
    assert len(long_message) >= 10_000
    assert long_message in text  # the whole 10 kB message, unabridged
    assert hostile.documents[0].title in text
    assert '"double" \'single\' & &amp;' in text


def test_evidence_is_pretty_json_escaped(hostile: Results, out_dir: Path) -> None:
    document = read_page(render(hostile, out_dir)[1])
    evidence = [words(e) for e in document.elements if e.tag == "pre"]
    assert any('"qty": "12.5"' in block for block in evidence)  # JSON keeps the type
    assert any('"<script>alert(7)</script>"' in block for block in evidence)


def test_every_item_has_its_status_mark(hostile: Results, out_dir: Path) -> None:
    document = read_page(render(hostile, out_dir)[1])
    items = document.by_class("item")
    expected = [(i.status, i.kind) for s in hostile.documents[0].sections for i in s.items]
    assert [(e.attrs["data-status"], e.attrs["data-kind"]) for e in items] == expected
    labels = {"passed": "✔ passed", "failed": "✘ failed", "manual": "⚑ manual",
              "unsupported": "⊘ unsupported", "not_applicable": "∅ not applicable",
              "skipped": "↷ skipped"}
    for element in items:
        assert labels[element.attrs["data-status"]] in words(element)
    assert {i.status for i in hostile.documents[0].sections[0].items} == set(labels)


def test_manual_and_unsupported_show_their_words(hostile: Results, out_dir: Path) -> None:
    text = "".join(read_page(render(hostile, out_dir)[1]).text)
    assert "The document's words: " + HOSTILE in text
    assert "Reason: " + HOSTILE in text


def test_no_url_leaves_the_report(hostile: Results, sample: Results, out_dir: Path) -> None:
    written = render(hostile, out_dir / "h") + render(sample, out_dir / "s")
    html = _all_text(written)
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""(src|href)=["']?//""", html)
    for path in written:
        page = read_page(path)
        assert not [e for e in page.elements if e.tag in {"link", "img", "iframe", "object"}]
        assert [e.attrs.get("lang") for e in page.elements if e.tag == "html"] == ["en"]


def test_links_from_index_resolve(sample: Results, hostile: Results, out_dir: Path) -> None:
    for results, folder in ((sample, out_dir / "s"), (hostile, out_dir / "h")):
        written = render(results, folder)
        index = read_page(written[0])
        hrefs = [e.attrs["href"] for e in index.elements if e.tag == "a"]
        assert len(hrefs) > len(results.documents)
        for href in hrefs:
            target, _, fragment = href.partition("#")
            target = target.partition("?")[0] or "index.html"
            assert (folder / target).is_file(), href
            if fragment:
                assert fragment in read_page(folder / target).ids(), href
        for path in written[1:]:
            for element in read_page(path).elements:
                href = element.attrs.get("href", "")
                if element.tag == "a" and not href.startswith("#"):
                    assert (folder / href.partition("?")[0]).is_file(), href


def test_document_text_from_the_dataflow_is_escaped(hostile: Results, out_dir: Path) -> None:
    """The document is data too: its sentences and cells go through the same escaping."""
    entity = EntityRef(HOSTILE, "Src", "Contact")
    section = Section(
        title="Section " + hostile.documents[0].sections[0].title.removeprefix("Section "),
        line=12, source=entity, target=EntityRef("T", "T", "C"), shape=Shape.PLAIN,
        sentences=[Sentence(14, HOSTILE + " sentence"), Sentence(16, "</p><p>edit")],
        properties=[PropertyRow(PropertyPath.parse(HOSTILE), PropertyPath.parse("b"),
                                DataType.parse('"string"'), 20)],
        property_table_line=18,
    )
    dataflow = Dataflow("x.rst", HOSTILE, 2, "S", "T", None, [section])
    document = hostile.documents[0]
    written = render(hostile, out_dir, dataflows={document.file: dataflow})
    html = written[1].read_text(encoding="utf-8")
    assert html.count("<script") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt; sentence" in html
    assert "&lt;/p&gt;&lt;p&gt;edit" in html
    page = read_page(written[1])
    header_cells = [words(e) for e in page.elements if e.tag == "th"]
    assert HOSTILE + " Contact Property" in header_cells
