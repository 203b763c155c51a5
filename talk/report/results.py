"""The checklist results model: what `results.json` holds, per document, section and item.

Written by the pytest plugin at the end of a `pytest features/` run, read by `talk report`
and the HTML renderer. Items are ordered as the document orders them, so a report mirrors
the document line by line and is identical under pytest-xdist (timings aside).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

__all__ = [
    "DocumentResult",
    "Item",
    "ItemKind",
    "Results",
    "SectionResult",
    "Status",
    "load_results",
]

SCHEMA_VERSION = 1
"""The version of results.json's format (talk/report/results.schema.json describes it)."""


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    MANUAL = "manual"
    UNSUPPORTED = "unsupported"
    NOT_APPLICABLE = "not_applicable"
    SKIPPED = "skipped"


class ItemKind(StrEnum):
    """What a checklist item checks (one per sentence or row of the document)."""

    SYNCHRONIZED = "synchronized"  # the source entity gets exactly one linked target entity
    EDITED_IN_SOURCE = "edited_in_source"  # an edit in the source reaches the target
    EDITED_IN_TARGET = "edited_in_target"  # an edit in the target reaches the source
    PROPERTY = "property"  # a property row arrives with its documented type
    # docs/design.md#bracket-conditions, second check
    PROPERTY_CONDITION_NOT_MET = "property_condition_not_met"
    NO_PROPERTIES = "no_properties"  # a section without listed properties
    NO_SECTIONS = "no_sections"  # a document without sections: nothing to check
    MERGE = "merge"  # merge criteria link an existing record instead of duplicating
    CONDITION = "condition"  # shape 3/4 conditions: manual until a tester implements them
    ID_LINK = "id_link"  # docs/design.md#id-rows: an id row names the link
    SCENARIO = "scenario"  # a hand-written scenario


@dataclass
class Item:
    kind: str
    text: str  # the document's own sentence or property row, or the scenario name
    line: int | None
    status: str
    message: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    duration: float = 0.0
    nodeid: str = ""
    this_run: bool = True  # False: kept from an earlier report by a run over a subset
    feature: str = ""  # the scenario in its feature file, `features/x.feature:12`
    # Filled by talk.report.baseline.compare when a previous results.json is given:
    previous_status: str | None = None  # the item's status in the baseline run, if it was there
    change: str | None = None  # a talk.report.baseline.Change value, or None when unchanged


@dataclass
class SectionResult:
    title: str
    line: int | None
    items: list[Item] = field(default_factory=list)


@dataclass
class DocumentResult:
    file: str
    title: str
    source_system: str
    target_system: str
    generated: str | None = None
    sections: list[SectionResult] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    # per system: what it was checked against ("Keap REST v1 emulator", or the generic one)
    emulation: dict[str, str] = field(default_factory=dict)

    def count(self) -> dict[str, int]:
        totals = {status.value: 0 for status in Status}
        for section in self.sections:
            for item in section.items:
                totals[item.status] = totals.get(item.status, 0) + 1
        return totals


@dataclass
class Results:
    generated_at: str
    documents: list[DocumentResult] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    def finish(self) -> Results:
        """Fill in the per-document and overall totals."""
        overall = {status.value: 0 for status in Status}
        for document in self.documents:
            document.totals = document.count()
            for status, n in document.totals.items():
                overall[status] = overall.get(status, 0) + n
        self.totals = overall
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "generated_at": self.generated_at,
            "totals": self.totals,
            "documents": [_plain(d) for d in self.documents],
        }

    def write(self, path: Path) -> None:
        """results.json, one item per line: readable, a diff shows the items that changed,
        and each item is encoded by the json module's C encoder (with `indent` the module
        falls back to its pure-Python one: seconds at corpus scale, in the xdist controller
        while the workers are done)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_layout(self.to_json(), 0) + "\n", encoding="utf-8")


_ITEM_DEPTH = 6  # results > documents > document > sections > section > items > item


def _plain(value: Any) -> Any:
    """A result dataclass as JSON values; unlike `dataclasses.asdict`, the evidence (JSON
    already) is not deep-copied."""
    if isinstance(value, Item | SectionResult | DocumentResult):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, list):
        return [_plain(entry) for entry in value]
    return value


def _layout(value: Any, depth: int) -> str:
    """JSON indented by two spaces per level down to the items, each item on one line."""
    if depth >= _ITEM_DEPTH or not isinstance(value, dict | list) or not value:
        return json.dumps(value, ensure_ascii=False)
    pad = "  " * (depth + 1)
    if isinstance(value, dict):
        inner = [f"{pad}{json.dumps(key, ensure_ascii=False)}: {_layout(entry, depth + 1)}"
                 for key, entry in value.items()]
        return "{\n" + ",\n".join(inner) + "\n" + "  " * depth + "}"
    inner = [pad + _layout(entry, depth + 1) for entry in value]
    return "[\n" + ",\n".join(inner) + "\n" + "  " * depth + "]"


def load_results(path: Path) -> Results:
    """Read a results.json written by the plugin (or by hand, for tests)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    documents = []
    for doc in data.get("documents", []):
        sections = [
            SectionResult(
                title=s["title"], line=s.get("line"),
                items=[Item(**{k: v for k, v in i.items() if k in Item.__dataclass_fields__})
                       for i in s.get("items", [])],
            )
            for s in doc.get("sections", [])
        ]
        documents.append(DocumentResult(
            file=doc["file"], title=doc.get("title", ""),
            source_system=doc.get("source_system", ""),
            target_system=doc.get("target_system", ""),
            generated=doc.get("generated"), sections=sections, totals=doc.get("totals", {}),
            emulation=dict(doc.get("emulation") or {}),
        ))
    return Results(generated_at=data.get("generated_at", ""), documents=documents,
                   totals=data.get("totals", {}))
