"""What each HTML page shows, worked out in Python so that the templates only lay it out.

A document page mirrors the document: when its parsed Dataflow is at hand, each sentence
and table row is shown as written, with the items whose line is that line beside it; items
on no known line are listed after their section. Without the Dataflow, the items alone are
shown, section by section, with their own text and line.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from talk.dataflow.model import Dataflow, MergeCriterion, PropertyRow, Section
from talk.report.baseline import Change, Comparison
from talk.report.results import DocumentResult, Item, ItemKind, Results, SectionResult, Status
from talk.report.statuses import STATUS_ORDER, StatusMark, kind_label, status_mark

__all__ = [
    "DocumentPage",
    "IndexPage",
    "ItemView",
    "build_document_page",
    "build_index_page",
    "count_statuses",
    "find_dataflow",
    "page_names",
]


@dataclass(frozen=True)
class EvidenceEntry:
    label: str
    text: str  # pretty JSON, or the words themselves when `plain`
    plain: bool = False


@dataclass
class ItemView:
    anchor: str
    item: Item
    mark: StatusMark
    kind: str  # what the item checks, in words
    show_text: bool  # the item's text differs from the document line it sits on
    evidence: list[EvidenceEntry]
    change: str | None  # the change's words ("new failure"), or None
    change_css: str
    previous: StatusMark | None

    @property
    def expanded(self) -> bool:
        """Failures open with their evidence; other evidence is one click away."""
        return self.item.status == Status.FAILED


@dataclass
class SentenceBlock:
    line: int
    text: str
    items: list[ItemView]
    kind: str = "sentence"


@dataclass
class TableRow:
    line: int
    cells: list[str]
    items: list[ItemView]


@dataclass
class TableBlock:
    title: str
    line: int | None
    headers: list[str]
    rows: list[TableRow]
    items: list[ItemView]  # items about the table as a whole ("no properties listed")
    kind: str = "table"


Block = SentenceBlock | TableBlock
_Take = Callable[[int | None, str], list[ItemView]]  # claims a line's items from a section


@dataclass
class SectionView:
    anchor: str
    title: str
    line: int | None
    blocks: list[Block]
    heading_items: list[ItemView]  # items whose line is the heading's
    other_items: list[ItemView]  # items on no line the document shows
    note: str = ""
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def items(self) -> list[ItemView]:
        found = list(self.heading_items)
        for block in self.blocks:
            found += block.items
            if isinstance(block, TableBlock):
                for row in block.rows:
                    found += row.items
        return found + self.other_items


@dataclass
class DocumentPage:
    file_name: str
    result: DocumentResult
    sections: list[SectionView]
    totals: dict[str, int]
    changes: dict[str, int]
    mirrored: bool  # the document itself was at hand
    generated_at: str
    baseline_generated_at: str | None


@dataclass
class DocumentRow:
    file_name: str
    result: DocumentResult
    totals: dict[str, int]
    changes: dict[str, int]

    @property
    def statuses(self) -> str:
        return _present(self.totals)


@dataclass
class PairRow:
    source: str
    target: str
    documents: list[DocumentRow]
    totals: dict[str, int]

    @property
    def statuses(self) -> str:
        return _present(self.totals)


@dataclass
class ItemLink:
    """An item listed on the index, pointing into its document page."""

    file_name: str
    document: str
    section: str
    view: ItemView


@dataclass
class IndexPage:
    results: Results
    totals: dict[str, int]
    changes: dict[str, int]
    documents: list[DocumentRow]
    pairs: list[PairRow]
    failures: list[ItemLink]
    changed: list[ItemLink]
    comparison: Comparison | None


def count_statuses(items: Iterable[Item]) -> dict[str, int]:
    """Items per status, every known status present (zero or not), then any unknown ones."""
    counts = Counter(item.status for item in items)
    totals = {status: counts.pop(status, 0) for status in STATUS_ORDER}
    totals.update(sorted(counts.items()))
    return totals


def count_changes(items: Iterable[Item]) -> dict[str, int]:
    counts = Counter(item.change for item in items if item.change)
    return {change.value: counts.get(change.value, 0) for change in Change}


def page_names(documents: list[DocumentResult]) -> list[str]:
    """One HTML file name per document, from its file stem: safe, unique, never index.html."""
    names: list[str] = []
    taken = {"index"}
    for document in documents:
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", PurePath(document.file).stem).strip(".-")
        stem = stem or "document"
        name, n = stem, 1
        while name.lower() in taken:
            n += 1
            name = f"{stem}-{n}"
        taken.add(name.lower())
        names.append(f"{name}.html")
    return names


def find_dataflow(dataflows: Mapping[str, Dataflow], file: str) -> Dataflow | None:
    """The Dataflow of a results document, keyed by its file as written, its name or stem."""
    path = PurePath(file)
    for key in (file, path.name, path.stem):
        if key in dataflows:
            return dataflows[key]
    for dataflow in dataflows.values():
        if PurePath(dataflow.path).name == path.name:
            return dataflow
    return None


def anchors(document: DocumentResult) -> dict[int, str]:
    """A stable anchor per item (by identity), numbered in document order."""
    found: dict[int, str] = {}
    for section in document.sections:
        for item in section.items:
            found[id(item)] = f"item-{len(found) + 1}"
    return found


def build_document_page(document: DocumentResult, file_name: str, results: Results,
                        dataflow: Dataflow | None, comparison: Comparison | None) -> DocumentPage:
    names = anchors(document)
    sections = (_mirror(document, dataflow, names) if dataflow
                else [_plain_section(s, n, names) for n, s in enumerate(document.sections, 1)])
    items = [item for section in document.sections for item in section.items]
    for view in sections:
        view.totals = count_statuses(v.item for v in view.items)
    return DocumentPage(
        file_name=file_name, result=document, sections=sections, totals=count_statuses(items),
        changes=count_changes(items), mirrored=dataflow is not None,
        generated_at=results.generated_at,
        baseline_generated_at=comparison.baseline_generated_at if comparison else None,
    )


def build_index_page(results: Results, file_names: list[str],
                     comparison: Comparison | None) -> IndexPage:
    rows: list[DocumentRow] = []
    failures: list[ItemLink] = []
    changed: list[ItemLink] = []
    for document, file_name in zip(results.documents, file_names, strict=True):
        items = [item for section in document.sections for item in section.items]
        rows.append(DocumentRow(file_name, document, count_statuses(items),
                                count_changes(items)))
        names = anchors(document)
        for section in document.sections:
            for item in section.items:
                failed = item.status == Status.FAILED
                if not failed and not item.change:
                    continue  # the index lists only these: no view (evidence) for the rest
                link = ItemLink(file_name, document.title or document.file, section.title,
                                _item_view(item, names[id(item)], ""))
                if failed:
                    failures.append(link)
                if item.change:
                    changed.append(link)
    everything = [i for d in results.documents for s in d.sections for i in s.items]
    return IndexPage(
        results=results, totals=count_statuses(everything), changes=count_changes(everything),
        documents=rows, pairs=_pairs(rows), failures=failures, changed=changed,
        comparison=comparison,
    )


def _pairs(rows: list[DocumentRow]) -> list[PairRow]:
    grouped: dict[tuple[str, str], list[DocumentRow]] = {}
    for row in rows:
        key = (row.result.source_system, row.result.target_system)
        grouped.setdefault(key, []).append(row)
    pairs = []
    for (source, target), members in sorted(grouped.items(), key=lambda kv: _fold(kv[0])):
        totals: Counter[str] = Counter()
        for member in members:
            totals.update(member.totals)
        pairs.append(PairRow(source, target, members,
                             {status: totals[status] for status in members[0].totals}
                             | dict(totals)))
    return pairs


def _fold(pair: tuple[str, str]) -> tuple[str, str]:
    return pair[0].casefold(), pair[1].casefold()


def _present(totals: dict[str, int]) -> str:
    return " ".join(status for status, n in totals.items() if n)


# --- one item -------------------------------------------------------------------------


def _item_view(item: Item, anchor: str, line_text: str) -> ItemView:
    change = _change(item.change)
    return ItemView(
        anchor=anchor, item=item, mark=status_mark(item.status), kind=kind_label(item.kind),
        show_text=_words(item.text) != _words(line_text), evidence=_evidence(item.evidence),
        change=change.label if change else item.change,
        change_css=change.value.replace("_", "-") if change else "changed",
        previous=status_mark(item.previous_status) if item.previous_status else None,
    )


def _change(value: str | None) -> Change | None:
    try:
        return Change(value) if value else None
    except ValueError:
        return None


def _words(text: str) -> str:
    return " ".join(text.split())


# Evidence entries that are words for a person (the failing step), not values to inspect.
_PLAIN_EVIDENCE = frozenset({"step", "message", "reason", "note"})


def _evidence(evidence: Any) -> list[EvidenceEntry]:
    """Each top-level entry of the evidence, in the recorded order, values as JSON."""
    if not evidence:
        return []
    if not isinstance(evidence, dict):
        return [EvidenceEntry("evidence", pretty_json(evidence))]
    entries = []
    for key, value in evidence.items():
        label = str(key).replace("_", " ")
        if str(key) in _PLAIN_EVIDENCE and isinstance(value, str):
            entries.append(EvidenceEntry(label, value, plain=True))
        else:
            entries.append(EvidenceEntry(label, pretty_json(value)))
    return entries


def pretty_json(value: Any, indent: int = 0, width: int = 88) -> str:
    """JSON that keeps small objects on one line and breaks big ones, for reading evidence."""
    return _pretty(value, indent, width)[0]


_ENCODE = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _pretty(value: Any, indent: int, width: int) -> tuple[str, str]:
    """(as shown, on one line): each value is encoded once, its one-line form made from
    its children's (encoding it whole again at every level was most of the HTML's time)."""
    if not isinstance(value, dict | list) or not value:
        flat = _ENCODE(value)
        return flat, flat
    if isinstance(value, dict):
        heads = [f"{_ENCODE(str(key))}: " for key in value]
        children = [_pretty(entry, indent + 2, width) for entry in value.values()]
        opening, closing = "{", "}"
    else:
        heads = [""] * len(value)
        children = [_pretty(entry, indent + 2, width) for entry in value]
        opening, closing = "[", "]"
    flat = opening + ", ".join(head + one for head, (_, one) in zip(heads, children,
                                                                     strict=True)) + closing
    if len(flat) + indent <= width:
        return flat, flat
    pad = " " * (indent + 2)
    inner = [f"{pad}{head}{shown.lstrip()}" for head, (shown, _) in zip(heads, children,
                                                                       strict=True)]
    return opening + "\n" + ",\n".join(inner) + "\n" + " " * indent + closing, flat


# --- a section without the document: the items alone ---------------------------------


def _plain_section(section: SectionResult, number: int, names: dict[int, str]) -> SectionView:
    return SectionView(
        anchor=f"section-{number}", title=section.title, line=section.line, blocks=[],
        heading_items=[],
        other_items=[_item_view(item, names[id(item)], "") for item in section.items],
    )


# --- a section mirrored from the document ---------------------------------------------


def _mirror(document: DocumentResult, dataflow: Dataflow,
            names: dict[int, str]) -> list[SectionView]:
    """The document's sections in its order, each holding the results section it matches."""
    matched = _match_sections(document.sections, dataflow.sections)
    used = {id(result) for result in matched.values()}
    views = [_mirrored_section(section, matched.get(id(section)), f"section-{n}", names)
             for n, section in enumerate(dataflow.sections, 1)]
    for result in document.sections:
        if id(result) not in used:
            view = _plain_section(result, len(views) + 1, names)
            alone = all(item.kind == ItemKind.NO_SECTIONS for item in result.items)
            view.note = ("The document has no sections: nothing to check." if alone else
                         _unmatched_note(result))
            views.append(view)
    return views


def _unmatched_note(result: SectionResult) -> str:
    """Why a results section has no place in the document, and where its items come from."""
    features = sorted({item.feature.rsplit(":", 1)[0] for item in result.items if item.feature})
    where = f" (from {', '.join(features)})" if features else ""
    if result.title.startswith("Hand-written: "):
        return f"Hand-written scenarios{where}: they check the document as a whole."
    return f"This section was not found in the document{where}; its items are shown alone."


def _match_sections(results: list[SectionResult],
                    sections: list[Section]) -> dict[int, SectionResult]:
    """Results sections by the id of the document section they belong to: line, else title."""
    matched: dict[int, SectionResult] = {}
    by_line = {section.line: section for section in sections}
    unmatched = []
    for result in results:
        section = by_line.get(result.line) if result.line is not None else None
        if section is not None and id(section) not in matched:
            matched[id(section)] = result
        else:
            unmatched.append(result)
    for result in unmatched:
        for section in sections:
            if (id(section) not in matched and section.duplicate_of is None
                    and _words(section.title) == _words(result.title)):
                matched[id(section)] = result
                break
    return matched


def _mirrored_section(section: Section, result: SectionResult | None, anchor: str,
                      names: dict[int, str]) -> SectionView:
    pending = list(result.items) if result else []

    def take(line: int | None, text: str) -> list[ItemView]:
        if line is None:
            return []
        mine = [item for item in pending if item.line == line]
        for item in mine:
            pending.remove(item)
        return [_item_view(item, names[id(item)], text) for item in mine]

    heading_items = take(section.line, section.title)
    blocks: list[Block] = [SentenceBlock(s.line, s.text, take(s.line, s.text))
                           for s in section.sentences]
    if section.merge_criteria or section.merge_table_line is not None:
        blocks.append(_merge_table(section, take))
    if section.properties or section.property_table_line is not None:
        blocks.append(_property_table(section, take))
    blocks.sort(key=_block_line)
    other = [_item_view(item, names[id(item)], "") for item in pending]
    note = ""
    if section.duplicate_of is not None:
        note = (f"This section repeats the one at line {section.duplicate_of}; "
                "the checklist checks it once, there.")
    elif result is None:
        note = "No checklist items were recorded for this section."
    return SectionView(anchor=anchor, title=section.title, line=section.line, blocks=blocks,
                       heading_items=heading_items, other_items=other, note=note)


def _block_line(block: Block) -> int:
    if isinstance(block, SentenceBlock):
        return block.line
    if block.line is not None:
        return block.line
    return block.rows[0].line if block.rows else 0


def _property_table(section: Section, take: _Take) -> TableBlock:
    headers = [f"{section.source.display} Property", f"{section.target.display} Property",
               f"{section.target.label} Data Type".strip()]
    table_items = take(section.property_table_line, "")
    rows = [TableRow(row.line, _row_cells(row), take(row.line, "")) for row in section.properties]
    return TableBlock("Properties", section.property_table_line, headers, rows, table_items)


def _merge_table(section: Section, take: _Take) -> TableBlock:
    headers = [f"{section.source.display} Property", f"{section.target.display} Property"]
    table_items = take(section.merge_table_line, "")
    rows = [TableRow(c.line, _criterion_cells(c), take(c.line, ""))
            for c in section.merge_criteria]
    return TableBlock("Merge criteria", section.merge_table_line, headers, rows, table_items)


def _row_cells(row: PropertyRow) -> list[str]:
    return [row.source.written.strip(), row.target.written.strip(), row.type.written.strip()]


def _criterion_cells(criterion: MergeCriterion) -> list[str]:
    return [criterion.source.written.strip(), criterion.target.written.strip()]
