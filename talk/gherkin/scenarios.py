"""Checklist items as Gherkin scenarios, written in the step vocabulary of `steps/`.

Each scenario is a view (name, tags, steps, examples) that the template prints; all text
is escaped here, so the template only lays it out. The plugin finds the item a scenario
stands for by its kind tag and its `@line_N` tag (for an outline, the `line` column of its
examples); names carry no line, so node ids stay when a document changes above them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from talk.dataflow.model import Dataflow, DataflowError, PropertyRow, Section
from talk.gherkin import escape
from talk.gherkin.samples import SectionSamples, merge_samples, section_samples, value_rows
from talk.harness.checklist import (
    PAIRED,
    ChecklistItem,
    SectionChecklist,
    checklist,
    document_item,
    same_slot,
)
from talk.harness.items import LINE_TAG
from talk.report.results import ItemKind
from talk.systems.keys import system_key
from talk.types.coerce import CoercionError

__all__ = ["FeatureView", "RuleView", "ScenarioView", "StepView", "feature_view"]


@dataclass
class StepView:
    keyword: str
    text: str
    table: list[list[str]] = field(default_factory=list)  # escaped cells
    docstring: str | None = None  # escaped content


@dataclass
class ScenarioView:
    name: str
    tags: list[str]
    steps: list[StepView]
    outline: bool = False
    examples_header: list[str] = field(default_factory=list)
    examples: list[list[str]] = field(default_factory=list)


@dataclass
class RuleView:
    name: str
    tags: list[str]
    scenarios: list[ScenarioView]


@dataclass
class FeatureView:
    source_path: str  # the document as `talk generate` was given it (posix, relative)
    name: str
    tags: list[str]
    rules: list[RuleView]
    scenarios: list[ScenarioView] = field(default_factory=list)  # outside any rule


def _table(values: Mapping[str, Any]) -> list[list[str]]:
    return [[escape.cell(path), escape.cell(escape.encode_value(value))]
            for path, value in values.items()]


def _given_record(record: str, values: Mapping[str, Any], keyword: str = "Given") -> StepView:
    if not values:
        return StepView(keyword, f"a {record}")
    return StepView(keyword, f"a {record} with:", _table(values))


class _SectionWriter:
    """The scenarios of one section."""

    def __init__(self, dataflow: Dataflow, items: SectionChecklist) -> None:
        self.dataflow = dataflow
        self.section: Section = items.section
        self.items = items
        self.samples: SectionSamples = section_samples(dataflow.name, self.section)
        self.src = self.section.source.display
        self.tgt = self.section.target.display
        if same_slot(self.section):  # one entity on both sides: the phrase tells them apart
            self.tgt = f"{PAIRED}{self.tgt}"
        self.target_system = self.section.target.system or self.section.target.label

    # -- shared openings ----------------------------------------------------------------

    def _arrange(self, source: Mapping[str, Any] | None = None,
                 match: Mapping[str, Any] | None = None) -> list[StepView]:
        """Seed the source (and, for a section that only links, a matching target)."""
        values = self.samples.source if source is None else source
        steps = [_given_record(self.src, values)]
        existing = self.samples.target_match if match is None else match
        if existing and not self.section.shape.creates:
            steps.append(_given_record(self.tgt, existing, "And"))
        steps.append(StepView("When", "the dataflows are synchronized"))
        return steps

    def _name(self, text: str, line: int, *, outline: bool = False) -> str:
        """The scenario's name carries no line: node ids and CI history survive edits above
        it. The line travels as a tag (`scenarios` adds it)."""
        return escape.name(text, outline=outline)

    # -- one scenario per item kind -----------------------------------------------------

    def scenarios(self) -> list[ScenarioView]:
        views: list[ScenarioView] = []
        property_rows: list[ChecklistItem] = []
        not_met_rows: list[ChecklistItem] = []
        for item in self.items.items:
            if item.kind is ItemKind.PROPERTY and not item.manual:
                property_rows.append(item)
            elif item.kind is ItemKind.PROPERTY_CONDITION_NOT_MET:
                not_met_rows.append(item)
            else:
                views.append(_line_tagged(self._scenario(item), item.line))
        for condition, rows in self._by_condition(property_rows).items():
            views.append(_line_tagged(self._property_outline(rows, condition),
                                      self.section.line))
        if not_met_rows:
            views.append(_line_tagged(self._not_met_outline(not_met_rows), self.section.line))
        return views

    def _scenario(self, item: ChecklistItem) -> ScenarioView:
        kind = item.kind
        if kind is ItemKind.SYNCHRONIZED:
            return self._synchronized(item)
        if kind is ItemKind.MERGE:
            return self._merge(item)
        if kind is ItemKind.EDITED_IN_SOURCE:
            return self._edited_in_source(item)
        if kind is ItemKind.EDITED_IN_TARGET:
            return self._edited_in_target(item)
        if kind is ItemKind.ID_LINK:
            return self._id_link(item)
        if kind is ItemKind.NO_PROPERTIES:
            return self._no_properties(item)
        return self._manual(item)

    def _synchronized(self, item: ChecklistItem) -> ScenarioView:
        steps = self._arrange()
        steps.append(StepView("And", "the dataflows are synchronized again"))
        steps.append(StepView("Then", f"the {self.src} is linked to exactly one {self.tgt}"))
        name = self._name(f"{self.src} is synchronized with exactly one {self.tgt}", item.line)
        return ScenarioView(name, [kind_tag(item)], steps)

    def _merge(self, item: ChecklistItem) -> ScenarioView:
        assert item.merge is not None
        index = self.section.merge_criteria.index(item.merge)
        source, match = merge_samples(self.dataflow.name, self.section, index)
        steps = [_given_record(self.src, source), _given_record(self.tgt, match, "And"),
                 StepView("When", "the dataflows are synchronized"),
                 StepView("Then", f"the {self.src} is linked to the existing {self.tgt}")]
        name = self._name(f"{self.src} merges with an existing {self.tgt} on {item.text}",
                          item.line)
        return ScenarioView(name, [kind_tag(item)], steps)

    def _edited_in_source(self, item: ChecklistItem) -> ScenarioView:
        return self._edited(item, self.src, self.tgt, self.samples.source_edit,
                            self.samples.target_after_source_edit)

    def _edited_in_target(self, item: ChecklistItem) -> ScenarioView:
        return self._edited(item, self.tgt, self.src, self.samples.target_edit,
                            self.samples.source_after_target_edit)

    def _edited(self, item: ChecklistItem, edited: str, other: str,
                edit: dict[str, Any], after: dict[str, Any]) -> ScenarioView:
        """"Regardless of where it is edited": an edit on one side reaches the other."""
        steps = self._arrange()
        if edit:
            steps.append(StepView("And", f"the {edited} is edited with:", _table(edit)))
            steps.append(StepView("And", "the dataflows are synchronized again"))
            steps.append(StepView("Then", f"the {other} has:", _table(after)))
        else:
            steps.append(StepView(
                "And", f"the {edited} is edited without changing a listed property"))
            steps.append(StepView("And", "the dataflows are synchronized again"))
            steps.append(StepView("Then", f"the {self.src} is linked to exactly one {self.tgt}"))
        name = self._name(f"An edit in {edited} reaches {other}", item.line)
        return ScenarioView(name, [kind_tag(item)], steps)

    def _id_link(self, item: ChecklistItem) -> ScenarioView:
        steps = self._arrange()
        if self.samples.source_edit:
            steps.append(StepView("And", f"the {self.src} is edited with:",
                                  _table(self.samples.source_edit)))
        else:
            steps.append(StepView(
                "And", f"the {self.src} is edited without changing a listed property"))
        steps.append(StepView("And", "the dataflows are synchronized again"))
        steps.append(StepView("Then", f"only the linked {self.tgt} was updated"))
        name = self._name(f"{item.text}: an edit in {self.src} updates the linked {self.tgt}"
                          " and no other", item.line)
        return ScenarioView(name, [kind_tag(item)], steps)

    def _no_properties(self, item: ChecklistItem) -> ScenarioView:
        steps = self._arrange()
        steps.append(StepView("Then", f"the {self.src} is linked to exactly one {self.tgt}"))
        steps.append(StepView("And", "the section lists no properties"))
        name = self._name(f"{self.src} to {self.tgt}: no properties listed", item.line)
        return ScenarioView(name, [kind_tag(item)], steps)

    def _manual(self, item: ChecklistItem) -> ScenarioView:
        steps = [StepView("Then", "a tester checks:", docstring=escape.docstring(item.text))]
        label = "condition" if item.kind is ItemKind.CONDITION else item.text
        name = self._name(f"{self.src} to {self.tgt}: a tester checks the {label}", item.line)
        return ScenarioView(name, [kind_tag(item), "manual"], steps)

    # -- property rows as outlines ------------------------------------------------------

    def _examples(self, items: list[ChecklistItem]) -> tuple[list[str], list[list[str]]]:
        header = ["line", "source", "target", "type"]
        rows = []
        for item in items:
            row: PropertyRow | None = item.row
            assert row is not None
            rows.append([str(row.line), escape.cell(row.source.path),
                         escape.cell(row.target.path), escape.cell(row.type.written.strip())])
        return header, rows

    def _by_condition(self, items: list[ChecklistItem]
                      ) -> dict[tuple[str, str] | None, list[ChecklistItem]]:
        """Property rows by the condition value their record needs: rows whose condition
        the seeded record already meets (or that have none) under None, every other row
        under its own (path, value), so each row's condition is met by a record of its own."""
        groups: dict[tuple[str, str] | None, list[ChecklistItem]] = {}
        for item in items:
            assert item.row is not None
            condition = item.row.source.condition
            key: tuple[str, str] | None = None
            if condition is not None and condition.path and condition.value \
                    and self.samples.source.get(condition.path) != condition.value:
                key = (condition.path, condition.value)
            groups.setdefault(key, []).append(item)
        return groups

    def _property_outline(self, items: list[ChecklistItem],
                          condition: tuple[str, str] | None = None) -> ScenarioView:
        source = dict(self.samples.source)
        if condition is not None:
            source[condition[0]] = condition[1]
        steps = self._arrange(source)
        if not self.section.shape.creates and self.samples.source_edit:
            # linked by merge criteria, the matching value is not sent: an edit sends all
            steps.append(StepView("And", f"the {self.src} is edited with:",
                                  _table(self.samples.source_edit)))
            steps.append(StepView("And", "the dataflows are synchronized again"))
        steps.append(StepView("Then", f"{self.target_system} received <target> as <type>"))
        steps.append(StepView("And", f"the {self.tgt} has <target> equal to the {self.src}"
                                     " <source>"))
        header, rows = self._examples(items)
        where = "" if condition is None else f" where {condition[0]} is {condition[1]}"
        name = self._name(f"Property rows of {self.src} to {self.tgt}{where}",
                          self.section.line, outline=True)
        return ScenarioView(name, ["property"], steps, True, header, rows)

    def _not_met_outline(self, items: list[ChecklistItem]) -> ScenarioView:
        source = dict(self.samples.source)
        match = dict(self.samples.target_match)
        for item in items:
            assert item.row is not None
            for condition, values in ((item.row.source.condition, source),
                                      (item.row.target.condition, match)):
                if condition is not None and condition.path:
                    values[condition.path] = f"not {condition.value}"
        steps = self._arrange(source, match)
        steps.append(StepView("Then", f"{self.target_system} did not receive <target>"))
        header, rows = self._examples(items)
        name = self._name(f"Property rows of {self.src} to {self.tgt} whose condition is"
                          " not met", self.section.line, outline=True)
        return ScenarioView(name, [ItemKind.PROPERTY_CONDITION_NOT_MET.value], steps, True,
                            header, rows)


def _line_tagged(view: ScenarioView, line: int) -> ScenarioView:
    view.tags.append(f"{LINE_TAG}{line}")
    return view


def _unique_names(rules: list[RuleView]) -> None:
    """pytest-bdd finds a scenario by its name: a repeated one gets ` (2)`, ` (3)`, ..."""
    seen: dict[str, int] = {}
    for rule in rules:
        for view in rule.scenarios:
            seen[view.name] = seen.get(view.name, 0) + 1
            if seen[view.name] > 1:
                view.name = f"{view.name} ({seen[view.name]})"


def kind_tag(item: ChecklistItem) -> str:
    return item.kind.value


def _tags(*names: str) -> list[str]:
    seen: list[str] = []
    for value in names:
        if value.strip():
            tag = escape.tag(value)
            if tag not in seen:
                seen.append(tag)
    return seen


def _section_scenarios(dataflow: Dataflow, items: SectionChecklist) -> list[ScenarioView]:
    """A section's scenarios; a sample no row can carry is a DataflowError at the section."""
    try:
        return _SectionWriter(dataflow, items).scenarios()
    except CoercionError as error:
        section = items.section
        raise DataflowError(dataflow.path, section.line, f"section '{section.title}': no "
                            f"sample value fits its rows ({error})") from None


def feature_view(dataflow: Dataflow, source_path: str) -> FeatureView:
    """The whole feature of one document."""
    rules = []
    for items in checklist(dataflow):
        section = items.section
        rules.append(RuleView(
            name=f"{escape.name(section.title)} (line {section.line})",
            tags=_tags(section.title, system_key(section.source.system),
                       system_key(section.target.system)),
            scenarios=_section_scenarios(dataflow, items),
        ))
    _unique_names(rules)
    tags = _tags(dataflow.name, system_key(dataflow.source_system),
                 system_key(dataflow.target_system))
    alone = document_item(dataflow)
    scenarios = [] if alone is None else [ScenarioView(
        "Nothing to check: the document has no sections",
        [kind_tag(alone), f"{LINE_TAG}{alone.line}"],
        [StepView("Then", "the document lists no sections")])]
    return FeatureView(source_path, escape.name(dataflow.title) or dataflow.name, tags, rules,
                       scenarios)


__all__ += ["kind_tag", "value_rows"]
