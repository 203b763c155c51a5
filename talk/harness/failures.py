"""A failed checklist item reported without pytest formatting its traceback first.

The talk plugin shows a failed item as its feature line, failed step and message (the full
traceback is `--talk-tb=long` away). pytest would still format the traceback of every
failed step before the plugin replaces it, walking pytest's and pytest-bdd's fixture frames
and reading their source again for each failure: at corpus scale that was 40 % of a run.
So when the plugin's text will stand, the test report is made with it directly.

Also: pytest's terminal summary looks for each failure's teardown output by scanning every
passed setup and teardown report of the run, a scan per failure; reports with nothing to
show are dropped from that list first.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Generator
from typing import Any

import pytest

__all__ = ["ChecklistFailures"]


class ChecklistFailures:
    """`short_text(item, error)`: the text the plugin reports a failure with, or None when
    pytest's own representation stays (not a checklist item, `--talk-tb=long`, ...)."""

    def __init__(self, short_text: Callable[[pytest.Item, BaseException], str | None]) -> None:
        self.short_text = short_text

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]
                                  ) -> pytest.TestReport | None:
        excinfo = call.excinfo
        # Exception only: skips and interrupts keep pytest's handling
        if excinfo is None or not isinstance(excinfo.value, Exception):
            return None
        text = self.short_text(item, excinfo.value)
        if text is None:
            return None
        # pytest reports a call whose `excinfo` is already a representation as failed with
        # that representation, and formats nothing
        summary = copy.copy(call)
        summary.excinfo = text  # type: ignore[assignment]
        return pytest.TestReport.from_item_and_call(item, summary)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> Generator[None, None, None]:
        """Before pytest's summary: drop passed setup/teardown reports that carry no
        output, which the summary would scan once per failure for nothing to print."""
        stats: dict[str, list[Any]] = terminalreporter.stats
        quiet = stats.get("")
        if quiet and stats.get("failed"):
            stats[""] = [report for report in quiet if getattr(report, "sections", None)]
        return (yield)
