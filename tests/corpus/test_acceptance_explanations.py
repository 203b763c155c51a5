"""Which lint findings explain a failed item in the corpus acceptance test: only those on
the section's own lines, or a title naming no system (it concerns every section)."""

from __future__ import annotations

from typing import Any

from test_corpus_acceptance import _sections_with_findings


def _report(*findings: tuple[int, str]) -> dict[str, Any]:
    return {"file": "/x/alpha-beta.rst", "sections": [{"line": 10}, {"line": 30}],
            "findings": [{"line": line, "message": message} for line, message in findings]}


def test_a_finding_explains_only_its_own_section() -> None:
    lint = [_report((35, "the type strnig is not a known type"))]
    assert _sections_with_findings(lint) == {("alpha-beta.rst", 30)}


def test_a_finding_before_the_sections_explains_none_unless_it_concerns_every_section() -> None:
    stray = [_report((5, "the sentence at line 5 is outside any section"))]
    assert _sections_with_findings(stray) == set()
    title = [_report((2, "the title 'Alpha to  Dataflow' names no target system"))]
    assert _sections_with_findings(title) == {("alpha-beta.rst", 10), ("alpha-beta.rst", 30)}
