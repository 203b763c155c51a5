"""Items that are not passed or failed automatically: manual and not applicable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from talk.harness.checklist import NO_PROPERTIES, NO_SECTIONS
from talk.harness.outcomes import ManualCheck, NotApplicable
from talk.steps._binding import bind

if TYPE_CHECKING:  # the sync machinery loads with the first scenario, not at import
    from talk.harness.context import ScenarioContext


@bind("tester_checks")
def a_tester_checks(docstring: str | None = None) -> None:
    raise ManualCheck((docstring or "").strip() or "checked by a tester")


@bind("no_properties")
def the_section_lists_no_properties(talk_context: ScenarioContext) -> None:
    current = talk_context.current_section()
    if current is not None and current[1].properties:
        dataflow, section = current
        raise AssertionError(f"{talk_context.shown(dataflow)} line {section.line} lists "
                             f"{len(section.properties)} properties")
    raise NotApplicable(NO_PROPERTIES)


@bind("no_sections")
def the_document_lists_no_sections(talk_context: ScenarioContext) -> None:
    listed = [(d, s) for d in talk_context.dataflows for s in d.unique_sections]
    if listed:
        dataflow, section = listed[0]
        raise AssertionError(f"{talk_context.shown(dataflow)} has sections, the first at "
                             f"line {section.line}")
    raise NotApplicable(NO_SECTIONS)
