"""Which documents a scenario syncs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from talk.gherkin.escape import decode_quoted
from talk.steps._binding import bind

if TYPE_CHECKING:  # the sync machinery loads with the first scenario, not at import
    from talk.harness.context import ScenarioContext


@bind("document")
def the_dataflow_document(talk_context: ScenarioContext, path: str) -> None:
    talk_context.add_document(decode_quoted(path))
