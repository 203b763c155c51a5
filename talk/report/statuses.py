"""How statuses and item kinds read in the report: a symbol, words beside it, a CSS class.

Colour is never the only signal: every mark carries its status as text ("✔ passed").
"""

from __future__ import annotations

from dataclasses import dataclass

from talk.report.results import ItemKind, Status

__all__ = ["KIND_LABELS", "STATUS_ORDER", "StatusMark", "kind_label", "status_mark"]


@dataclass(frozen=True)
class StatusMark:
    value: str  # the status as results.json writes it
    symbol: str  # decorative; screen readers read `label`
    label: str
    css: str  # a class name suffix, always one of ours (never taken from the data)


_MARKS = {
    Status.PASSED: StatusMark(Status.PASSED, "✔", "passed", "passed"),
    Status.FAILED: StatusMark(Status.FAILED, "✘", "failed", "failed"),
    Status.MANUAL: StatusMark(Status.MANUAL, "⚑", "manual", "manual"),
    Status.UNSUPPORTED: StatusMark(Status.UNSUPPORTED, "⊘", "unsupported", "unsupported"),
    Status.NOT_APPLICABLE: StatusMark(Status.NOT_APPLICABLE, "∅", "not applicable",
                                      "not-applicable"),
    Status.SKIPPED: StatusMark(Status.SKIPPED, "↷", "skipped", "skipped"),
}

# The order of totals and filter buttons: what needs a person's attention first.
STATUS_ORDER: tuple[str, ...] = (
    Status.FAILED, Status.PASSED, Status.MANUAL, Status.UNSUPPORTED, Status.NOT_APPLICABLE,
    Status.SKIPPED,
)


def status_mark(status: str) -> StatusMark:
    """The mark of a status; an unknown one is shown as written, in a neutral style."""
    try:
        return _MARKS[Status(status)]
    except ValueError:
        return StatusMark(status, "?", status, "unknown")


KIND_LABELS: dict[str, str] = {
    ItemKind.SYNCHRONIZED: "is synchronized: one linked record",
    ItemKind.EDITED_IN_SOURCE: "an edit in the source reaches the target",
    ItemKind.EDITED_IN_TARGET: "an edit in the target reaches the source",
    ItemKind.PROPERTY: "arrives with its documented type",
    ItemKind.PROPERTY_CONDITION_NOT_MET: "condition not met: the property is not sent",
    ItemKind.NO_PROPERTIES: "no properties listed",
    ItemKind.NO_SECTIONS: "nothing to check: no sections",
    ItemKind.MERGE: "links an existing record instead of a duplicate",
    ItemKind.CONDITION: "condition",
    ItemKind.ID_LINK: "the id row names the link",
    ItemKind.SCENARIO: "scenario",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " "))
