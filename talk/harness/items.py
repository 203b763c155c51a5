"""Which checklist item a collected test stands for, and where it is in its document.

A generated scenario says it through its kind tag (`@property`) and the `(line N)` at the end
of its name or the `line` column of its example row; its document is the one its Background
names (`Given the dataflow document "..."`). A hand-written scenario is an item of kind
`scenario` under a section named after its feature.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from talk.dataflow.model import Dataflow
from talk.gherkin.escape import decode_quoted
from talk.harness.checklist import NO_SECTIONS_TITLE, SectionChecklist, checklist, document_item
from talk.harness.compat import ScenarioInfo, example_of, scenario_info
from talk.harness.documents import load_document, resolve_document
from talk.report.results import ItemKind

__all__ = ["DOCUMENT_STEP", "LINE_TAG", "ItemInfo", "describe_item", "document_paths"]

DOCUMENT_STEP = re.compile(r'^the dataflow document (?P<path>".*")$')
_LINE = re.compile(r"\(line (\d+)\)\s*$")
LINE_TAG = "line_"
"""A generated scenario's document line travels as the tag `@line_N`, not in its name."""
_KINDS = {kind.value for kind in ItemKind}


@dataclass(frozen=True)
class ItemInfo:
    """One test as a checklist item; `document` is None when no document is named."""

    nodeid: str
    document: Path | None
    kind: str
    line: int | None
    section_title: str
    section_line: int | None
    text: str
    manual: bool


_DESCRIBED = pytest.StashKey["ItemInfo | None"]()


def document_paths(info: ScenarioInfo) -> list[str]:
    """The documents a scenario's Background names, as written."""
    found = []
    for text in info.background:
        match = DOCUMENT_STEP.match(text.strip())
        if match:
            found.append(decode_quoted(match.group("path")))
    return found


def _line_of(text: str | None) -> int | None:
    match = _LINE.search(text or "")
    return int(match.group(1)) if match else None


@lru_cache(maxsize=64)
def _checklist_of(document: Path) -> list[SectionChecklist]:
    """A document's checklist, derived once per document rather than once per item."""
    return checklist(load_document(document))


def _tagged_line(tags: frozenset[str]) -> int | None:
    for tag in tags:
        number = tag.removeprefix(LINE_TAG)
        if tag.startswith(LINE_TAG) and number.isdigit():
            return int(number)
    return None


def _generated(info: ScenarioInfo, example: dict[str, str], dataflow: Dataflow,
               nodeid: str, document: Path) -> ItemInfo | None:
    kinds = sorted(info.tags & _KINDS)
    if not kinds:
        return None
    kind = kinds[0]
    line = int(example["line"]) if example.get("line", "").isdigit() else \
        _tagged_line(info.tags) or _line_of(info.name)
    alone = document_item(dataflow)
    if alone is not None and kind == alone.kind.value:
        return ItemInfo(nodeid, document, kind, alone.line, NO_SECTIONS_TITLE, alone.line,
                        alone.text, False)
    section_line = _line_of(info.rule_name)
    for items in _checklist_of(document):
        if section_line is not None and items.section.line != section_line:
            continue
        item = items.find(kind, line) if line is not None else None
        if item is not None:
            return ItemInfo(nodeid, document, kind, line, items.section.title,
                            items.section.line, item.text, item.manual)
    return None


def describe_item(item: pytest.Item) -> ItemInfo | None:
    """The checklist item of a test collected from a `.feature` file (None otherwise);
    worked out once per test, however many hooks ask."""
    if _DESCRIBED not in item.stash:
        item.stash[_DESCRIBED] = _describe(item)
    return item.stash[_DESCRIBED]


def _describe(item: pytest.Item) -> ItemInfo | None:
    info = scenario_info(item)
    if info is None:
        return None
    document: Path | None = None
    dataflow: Dataflow | None = None
    written = document_paths(info)
    if written:
        anchors = [item.config.rootpath, info.feature_file.parent]
        try:
            document = resolve_document(written[0], anchors)
            dataflow = load_document(document)
        except (OSError, ValueError):
            document = None
    if dataflow is not None and document is not None:
        found = _generated(info, example_of(item), dataflow, item.nodeid, document)
        if found is not None:
            return found
    manual = "manual" in info.tags
    return ItemInfo(item.nodeid, document, ItemKind.SCENARIO.value, info.line,
                    f"Hand-written: {info.feature_name}", None, info.name, manual)
