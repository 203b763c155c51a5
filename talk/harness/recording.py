"""Checklist results: one record per test, merged into results.json in document order.

A record is plain JSON so that it travels from a pytest-xdist worker to the controller as
an attribute of the test report; the controller sorts records by document, section line and
item line, so the report does not depend on which worker ran what, or when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from talk.dataflow.model import Dataflow
from talk.harness.items import ItemInfo
from talk.report.results import DocumentResult, Item, ItemKind, Results, SectionResult
from talk.systems.registry import emulation_note

__all__ = ["KIND_ORDER", "build_record", "build_results", "document_key", "records_of"]

KIND_ORDER = [
    ItemKind.SYNCHRONIZED, ItemKind.CONDITION, ItemKind.MERGE, ItemKind.EDITED_IN_SOURCE,
    ItemKind.EDITED_IN_TARGET, ItemKind.PROPERTY, ItemKind.PROPERTY_CONDITION_NOT_MET,
    ItemKind.ID_LINK, ItemKind.NO_PROPERTIES, ItemKind.NO_SECTIONS, ItemKind.SCENARIO,
]
_MAX_MESSAGE = 4000


def document_key(path: Path, rootpath: Path) -> str:
    """A document's file as results.json names it: relative to the rootdir, posix."""
    try:
        return path.resolve().relative_to(rootpath.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def build_record(info: ItemInfo, dataflow: Dataflow | None, file: str, feature_name: str,
                 status: str, message: str, evidence: dict[str, Any],
                 duration: float) -> dict[str, Any]:
    """One test's result as plain JSON."""
    if len(message) > _MAX_MESSAGE:
        message = message[:_MAX_MESSAGE] + " [...]"
    document = {
        "file": file,
        "title": dataflow.title if dataflow else feature_name,
        "source_system": dataflow.source_system if dataflow else "",
        "target_system": dataflow.target_system if dataflow else "",
        "generated": dataflow.generated if dataflow else None,
    }
    return {
        "document": document,
        "section": {"title": info.section_title, "line": info.section_line},
        "item": {"kind": info.kind, "text": info.text, "line": info.line, "status": status,
                 "message": message, "evidence": evidence, "duration": round(duration, 4),
                 "nodeid": info.nodeid},
    }


def records_of(results: Results) -> list[dict[str, Any]]:
    """The records a report was built from (to merge a run over a subset into it)."""
    records = []
    for document in results.documents:
        head = {"file": document.file, "title": document.title,
                "source_system": document.source_system,
                "target_system": document.target_system, "generated": document.generated}
        for section in document.sections:
            for item in section.items:
                fields = {k: v for k, v in asdict(item).items()
                          if k not in {"previous_status", "change"}}
                records.append({"document": dict(head),
                                "section": {"title": section.title, "line": section.line},
                                "item": fields})
    return records


def _kind_rank(kind: str) -> int:
    values = [k.value for k in KIND_ORDER]
    return values.index(kind) if kind in values else len(values)


def build_results(records: Iterable[dict[str, Any]], generated_at: str | None = None
                  ) -> Results:
    """Every record under its document and section, in document order."""
    documents: dict[str, DocumentResult] = {}
    sections: dict[tuple[str, str, int | None], SectionResult] = {}
    for record in records:
        doc = record["document"]
        document = documents.get(doc["file"])
        if document is None:
            document = documents[doc["file"]] = DocumentResult(
                file=doc["file"], title=doc["title"], source_system=doc["source_system"],
                target_system=doc["target_system"], generated=doc.get("generated"),
                emulation={name: emulation_note(name) for name in
                           dict.fromkeys((doc["source_system"], doc["target_system"]))
                           if name.strip()})
        key = (doc["file"], record["section"]["title"], record["section"]["line"])
        section = sections.get(key)
        if section is None:
            section = sections[key] = SectionResult(record["section"]["title"],
                                                    record["section"]["line"])
            document.sections.append(section)
        section.items.append(Item(**record["item"]))
    for document in documents.values():
        document.sections.sort(key=lambda s: (s.line is None, s.line or 0, s.title))
        for section in document.sections:
            section.items.sort(key=lambda i: (i.line or 0, _kind_rank(i.kind), i.nodeid))
    ordered = [documents[name] for name in sorted(documents)]
    stamp = generated_at or datetime.now(UTC).isoformat(timespec="seconds")
    return Results(generated_at=stamp, documents=ordered).finish()
