"""The history line: items whose status changed since a baseline run are marked."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_helpers import RESULTS, read_page, words

from talk.report import Change, Results, classify, compare, read_results, render


@pytest.mark.parametrize(("previous", "current", "change"), [
    (None, "passed", Change.NEW),
    ("passed", "passed", None),
    ("failed", "failed", None),
    ("passed", "failed", Change.NEW_FAILURE),
    ("manual", "failed", Change.NEW_FAILURE),
    ("failed", "passed", Change.FIXED),
    ("failed", "skipped", Change.CHANGED),
    ("passed", "skipped", Change.CHANGED),
])
def test_classify(previous: str | None, current: str, change: Change | None) -> None:
    assert classify(previous, current) == change


def _changes(results: Results) -> dict[tuple[int | None, str], tuple[str | None, str | None]]:
    return {(i.line, i.kind): (i.change, i.previous_status)
            for d in results.documents for s in d.sections for i in s.items if i.change}


def test_compare_marks_changed_items(sample: Results) -> None:
    comparison = compare(sample, read_results(RESULTS / "baseline.json"))
    assert _changes(sample) == {
        (47, "property"): ("new_failure", "passed"),
        (98, "property"): ("changed", "passed"),
        (26, "property"): ("fixed", "failed"),
        (37, "no_properties"): ("new", None),
    }
    assert comparison.counts == {"new_failure": 1, "fixed": 1, "changed": 1, "new": 1}
    assert [(r.document, r.section, r.text) for r in comparison.removed] == [
        ("keap-to-webcrm.rst", "Keap Users to Webcrm Users",
         'email_address | UserEmail | "string"')]
    unchanged = [i for d in sample.documents for s in d.sections for i in s.items
                 if not i.change]
    assert all(i.previous_status == i.status for i in unchanged)


def test_same_run_changes_nothing(sample: Results) -> None:
    comparison = compare(sample, read_results(RESULTS / "sample.json"))
    assert not _changes(sample) and not comparison.removed
    assert set(comparison.counts.values()) == {0}


def test_items_match_by_text_not_line(sample: Results) -> None:
    shifted = read_results(RESULTS / "sample.json")
    for document in shifted.documents:
        for section in document.sections:
            for item in section.items:
                item.line = (item.line or 0) + 3  # a paragraph added above
    compare(sample, shifted)
    assert not _changes(sample)


def test_pages_show_the_changes(sample: Results, out_dir: Path) -> None:
    comparison = compare(sample, read_results(RESULTS / "baseline.json"))
    written = render(sample, out_dir, comparison=comparison)
    index, superoffice, keap = (read_page(path) for path in written)
    index_text = words(next(e for e in index.elements if e.tag == "main"))
    assert "the run of 2025-01-13T08:30:00+00:00" in words(
        next(e for e in index.elements if e.tag == "header"))
    for label, n in (("new failure", 1), ("fixed", 1), ("changed", 1), ("new item", 1),
                     ("removed", 1)):
        assert f"{label} {n}" in index_text
    assert 'email_address | UserEmail | "string"' in index_text  # the removed item
    failed = next(e for e in superoffice.by_class("item") if e.attrs["data-line"] == "47")
    assert "new failure, was passed" in words(failed)
    fixed = next(e for e in keap.by_class("item") if e.attrs["data-line"] == "26")
    assert "fixed, was failed" in words(fixed)
    badges = [words(e) for page in (superoffice, keap) for e in page.by_class("change")]
    assert sorted(badges) == ["changed, was passed", "fixed, was failed",
                              "new failure, was passed", "new item"]


def test_without_baseline_no_change_is_shown(sample: Results, out_dir: Path) -> None:
    for path in render(sample, out_dir):
        page = read_page(path)
        assert not page.by_class("change")
        assert "baseline" not in words(next(e for e in page.elements if e.tag == "body"))
