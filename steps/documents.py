"""Which documents a scenario syncs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from steps._binding import bind
from talk.gherkin.escape import decode_quoted

if TYPE_CHECKING:  # the sync machinery loads with the first scenario, not with conftest
    from talk.harness.context import ScenarioContext


@bind("document")
def the_dataflow_document(talk_context: ScenarioContext, path: str) -> None:
    talk_context.add_document(decode_quoted(path))
