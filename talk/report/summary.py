"""A checklist run as Markdown for a CI job summary (GitHub's `$GITHUB_STEP_SUMMARY`).

Totals first, then the failures, those that passed (or were absent) before marked new, so a
reviewer sees on the run's page what broke without opening the report.
"""

from __future__ import annotations

from collections.abc import Mapping

from talk.report.results import Results, Status

__all__ = ["markdown_summary"]

_MAX_FAILURES = 50


def markdown_summary(results: Results, previous: Mapping[str, str] | None = None,
                     report: str = "") -> str:
    """Markdown for `results`; `previous` maps node ids to their status in an earlier run."""
    lines = ["### talk checklist", "", "| status | items |", "| --- | --- |"]
    lines += [f"| {status} | {n} |" for status, n in results.totals.items() if n]
    failures = [(document, item) for document in results.documents
                for section in document.sections for item in section.items
                if item.status == Status.FAILED]
    new = [(d, i) for d, i in failures
           if previous is not None and previous.get(i.nodeid) != Status.FAILED]
    lines.append("")
    if previous is not None:
        lines.append(f"**{len(new)} new failures** (of {len(failures)}) since the earlier run.")
    for document, item in failures[:_MAX_FAILURES]:
        mark = " **new**" if (document, item) in new else ""
        where = item.feature or f"{document.file}:{item.line}"
        message = item.message.splitlines()[0] if item.message else ""
        lines.append(f"- `{where}`{mark}: {_cell(message)}")
    if len(failures) > _MAX_FAILURES:
        lines.append(f"- ... and {len(failures) - _MAX_FAILURES} more")
    if report:
        lines += ["", f"Full report: `{report}`"]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")[:300]
