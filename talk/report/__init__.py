"""Checklist reports: the results model, the baseline comparison and the HTML renderer.

    results = read_results(Path("reports/results.json"))
    comparison = compare(results, read_results(Path("previous/results.json")))  # optional
    render(results, Path("reports"), dataflows={...}, comparison=comparison)
"""

from talk.report.baseline import Change, Comparison, RemovedItem, classify, compare
from talk.report.html import render
from talk.report.results import (
    DocumentResult,
    Item,
    ItemKind,
    Results,
    SectionResult,
    Status,
    load_results,
)
from talk.report.validation import ResultsFileError, read_results

__all__ = [
    "Change",
    "Comparison",
    "DocumentResult",
    "Item",
    "ItemKind",
    "RemovedItem",
    "Results",
    "ResultsFileError",
    "SectionResult",
    "Status",
    "classify",
    "compare",
    "load_results",
    "read_results",
    "render",
]
