"""Checklist reports: the results model, the baseline comparison and the HTML renderer.

    results = read_results(Path("reports/results.json"))
    comparison = compare(results, read_results(Path("previous/results.json")))  # optional
    render(results, Path("reports"), dataflows={...}, comparison=comparison)

`render` is imported on first use: the pytest plugin and every xdist worker import the
results model at start-up, and only the process that writes the report needs Jinja2.
"""

from typing import TYPE_CHECKING, Any

from talk.report.baseline import Change, Comparison, RemovedItem, classify, compare
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

if TYPE_CHECKING:
    from talk.report.html import render

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


def __getattr__(name: str) -> Any:
    if name == "render":
        from talk.report.html import render

        return render
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
