"""The history line: what changed since a previous run's results.json.

Items are matched by what the document says, not by line number, so that editing a
document above a section does not turn every item below it into a "new item": the key is
the document's file name, the section title, the item kind, the item's text, and its
occurrence among items with that same key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePath

from talk.report.results import Item, Results, Status

__all__ = ["Change", "Comparison", "RemovedItem", "classify", "compare"]

ItemKey = tuple[str, str, str, str, int]


class Change(StrEnum):
    NEW_FAILURE = "new_failure"  # failed now, did not fail in the baseline
    FIXED = "fixed"  # failed in the baseline, passes now
    CHANGED = "changed"  # any other change of status
    NEW = "new"  # the baseline had no such item

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Change.NEW_FAILURE: "new failure",
    Change.FIXED: "fixed",
    Change.CHANGED: "changed",
    Change.NEW: "new item",
}


@dataclass(frozen=True)
class RemovedItem:
    """An item of the baseline that the current run no longer has."""

    document: str
    section: str
    kind: str
    text: str
    line: int | None
    status: str


@dataclass
class Comparison:
    baseline_generated_at: str
    counts: dict[str, int] = field(default_factory=dict)  # Change value -> number of items
    removed: list[RemovedItem] = field(default_factory=list)


def classify(previous: str | None, current: str) -> Change | None:
    """How an item's status moved from `previous` (None: not in the baseline) to `current`."""
    if previous is None:
        return Change.NEW
    if previous == current:
        return None
    if current == Status.FAILED:
        return Change.NEW_FAILURE
    if previous == Status.FAILED and current == Status.PASSED:
        return Change.FIXED
    return Change.CHANGED


def compare(current: Results, baseline: Results) -> Comparison:
    """Set `previous_status` and `change` on every item of `current`; summarise the changes."""
    before = dict(_keyed(baseline))
    counts = {change.value: 0 for change in Change}
    for key, item in _keyed(current):
        previous = before.pop(key, None)
        item.previous_status = previous.status if previous else None
        change = classify(item.previous_status, item.status)
        item.change = change.value if change else None
        if change:
            counts[change.value] += 1
    removed = [RemovedItem(document=key[0], section=key[1], kind=item.kind, text=item.text,
                           line=item.line, status=item.status)
               for key, item in before.items()]
    return Comparison(baseline_generated_at=baseline.generated_at, counts=counts,
                      removed=removed)


def _keyed(results: Results) -> Iterator[tuple[ItemKey, Item]]:
    seen: Counter[tuple[str, str, str, str]] = Counter()
    for document in results.documents:
        name = PurePath(document.file).name
        for section in document.sections:
            for item in section.items:
                base = (name, section.title, item.kind, item.text)
                yield (*base, seen[base]), item
                seen[base] += 1
