"""The run report: per section counts, totals and one detail per notable event
(docs/design.md#run-report)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["COUNTS", "Detail", "RunReport", "SectionCounts"]

COUNTS = (
    "read", "created", "recovered", "linked", "updated_to_target", "updated_to_source", "unchanged",
    "conflicts", "failed", "not_evaluated", "unsupported", "no_match", "retired",
)


@dataclass
class SectionCounts:
    document: str
    title: str
    line: int
    read: int = 0
    created: int = 0
    recovered: int = 0  # created by an earlier run whose answer was lost, linked now
    linked: int = 0
    updated_to_target: int = 0
    updated_to_source: int = 0
    unchanged: int = 0
    conflicts: int = 0
    failed: int = 0
    not_evaluated: int = 0
    unsupported: int = 0
    no_match: int = 0
    retired: int = 0

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNTS}


@dataclass
class Detail:
    """One conflict, ambiguous merge, unsupported record, unevaluated condition, retired
    link, recovered create or failure, with what a tester needs to find it."""

    kind: str
    document: str
    section: str
    line: int
    system: str
    entity: str
    record_id: str | None
    message: str
    property: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunReport:
    sections: list[SectionCounts] = field(default_factory=list)
    details: list[Detail] = field(default_factory=list)
    writes: int = 0
    requests: int = 0
    passes: int = 0

    def for_section(self, document: str, line: int) -> SectionCounts | None:
        for section in self.sections:
            if section.document == document and section.line == line:
                return section
        return None

    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(COUNTS, 0)
        for section in self.sections:
            for name, value in section.counts().items():
                totals[name] += value
        totals["writes"] = self.writes
        return totals

    @property
    def failed(self) -> int:
        return sum(s.failed for s in self.sections)

    def to_json(self) -> dict[str, Any]:
        return {
            "sections": [asdict(s) for s in self.sections],
            "totals": self.totals(),
            "requests": self.requests,
            "passes": self.passes,
            "details": [asdict(d) for d in self.details],
        }

    def summary(self) -> str:
        """A few readable lines for a terminal."""
        lines = []
        width = max((len(f"{s.document}: {s.title}") for s in self.sections), default=20)
        for s in self.sections:
            shown = {k: v for k, v in s.counts().items() if v}
            parts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in shown.items())
            lines.append(f"{s.document + ': ' + s.title:<{width}}  {parts or 'nothing to do'}")
        totals = self.totals()
        shown_totals = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in totals.items() if v)
        passes = f"{self.passes} pass" + ("es" if self.passes != 1 else "")
        lines.append(f"total: {shown_totals or 'nothing to do'} ({passes})")
        return "\n".join(lines)

