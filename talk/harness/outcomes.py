"""Outcomes of a checklist item other than pass and fail, raised by steps.

pytest shows each as skipped with its reason; results.json shows the status itself. None
is ever counted as passed or as failed.
"""

from __future__ import annotations

from talk.harness.compat import SkipException
from talk.report.results import Status

__all__ = ["ItemOutcome", "ManualCheck", "NotApplicable", "Unsupported"]


class ItemOutcome(SkipException):
    """A step found that the item cannot be passed or failed automatically.

    A skip to pytest (`pytest.skip.Exception`), so pytest reports it without formatting a
    traceback: formatting one per unsupported item was a third of a checklist run."""

    status: Status = Status.SKIPPED

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message, pytrace=False)


class Unsupported(ItemOutcome):
    """The system's real API cannot do what the document promises: a finding for QA."""

    status = Status.UNSUPPORTED


class ManualCheck(ItemOutcome):
    """A condition in the document's own words, for a tester to check."""

    status = Status.MANUAL


class NotApplicable(ItemOutcome):
    """Nothing to check, e.g. a section that lists no properties."""

    status = Status.NOT_APPLICABLE
