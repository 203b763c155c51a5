"""A failed checklist item shown by its evidence: the feature line, the failed step, the
message; pytest's traceback stays one option away (`--tb=long`, or any explicit `--tb`).

Why this is not left to pytest: formatting the traceback of a failed step walks pytest's
and pytest-bdd's fixture frames and reads their source again for every failure, which at
corpus scale took a third of a run; and the terminal summary looks for each failure's
teardown output by scanning every passed setup and teardown report of the run, a scan per
failure. A tester acts on the step and the message, so a checklist failure is reported as
that text, and reports with nothing to show are dropped from the summary's scan.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Generator
from typing import Any

import pytest

from talk.harness.compat import scenario_info

__all__ = ["ChecklistFailures", "failure_text"]

FULL_TRACEBACK_HINT = "(pytest's full traceback: --tb=long)"


def failure_text(where: str, scenario: str, step: str, error: BaseException) -> str:
    """`features/x.feature:27: Scenario: ...`, then the failed step and the message."""
    message = str(error).strip() or "(no message)"
    lines = [f"{where}: Scenario: {scenario}"]
    if step:
        lines.append(f"  failed step: {step}")
    lines.append(f"  {type(error).__name__}: {message}".replace("\n", "\n    "))
    lines.append(FULL_TRACEBACK_HINT)
    return "\n".join(lines)


class ChecklistFailures:
    """Hooks that report a failed checklist scenario as its evidence (see the module)."""

    def __init__(self, config: pytest.Config, step_of: Callable[[pytest.Item], str]) -> None:
        self.step_of = step_of
        # pytest's --tb defaults to "auto": an explicit style asks for pytest's traceback
        self.short = config.getoption("tbstyle", "auto") == "auto"

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]
                                  ) -> pytest.TestReport | None:
        excinfo = call.excinfo
        # Exception only: skips, pytest.fail and interrupts keep pytest's handling
        if not self.short or excinfo is None or not isinstance(excinfo.value, Exception):
            return None
        info = scenario_info(item)
        if info is None:
            return None
        try:
            shown = info.feature_file.relative_to(item.config.rootpath).as_posix()
        except ValueError:
            shown = str(info.feature_file)
        text = failure_text(f"{shown}:{info.line}", info.name, self.step_of(item),
                            excinfo.value)
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
