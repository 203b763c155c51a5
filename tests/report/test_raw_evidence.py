"""Evidence kept as JSON text: the same results.json and HTML, parsed only where shown."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from talk.report.evidence import RawEvidence
from talk.report.html import render
from talk.report.results import Results, Status


def _with_raw_evidence(results: Results) -> Results:
    raw = copy.deepcopy(results)
    for document in raw.documents:
        for section in document.sections:
            for item in section.items:
                item.evidence = RawEvidence.of(item.evidence)
    return raw


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_results_json_is_byte_for_byte_the_same(sample: Results, tmp_path: Path) -> None:
    sample.write(tmp_path / "parsed.json")
    _with_raw_evidence(sample).write(tmp_path / "raw.json")
    assert (tmp_path / "raw.json").read_bytes() == (tmp_path / "parsed.json").read_bytes()


def test_html_is_the_same(sample: Results, tmp_path: Path) -> None:
    render(sample, tmp_path / "parsed")
    render(_with_raw_evidence(sample), tmp_path / "raw")
    parsed, raw = _files(tmp_path / "parsed"), _files(tmp_path / "raw")
    assert any(b"evidence" in page for page in parsed.values())
    assert raw == parsed


def test_evidence_is_parsed_once_for_the_page_that_shows_it(
        sample: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not for the index (unless failed: it lists failures with their evidence), not kept."""
    raw = _with_raw_evidence(sample)
    items = [i for d in raw.documents for s in d.sections for i in s.items]
    parsed_texts: list[bytes] = []
    original = RawEvidence.parsed

    def counting(self: RawEvidence) -> dict[str, object]:
        parsed_texts.append(self.text)
        return original(self)

    monkeypatch.setattr(RawEvidence, "parsed", counting)
    render(raw, tmp_path / "out")
    for item in items:
        evidence = item.evidence
        assert isinstance(evidence, RawEvidence), item.text  # still text after the pages
        expected = 0 if not original(evidence) else 2 if item.status == Status.FAILED else 1
        assert parsed_texts.count(evidence.text) == expected, item.text
