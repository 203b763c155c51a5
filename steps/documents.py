"""Which documents a scenario syncs."""

from __future__ import annotations

from steps._binding import bind
from talk.gherkin.escape import decode_quoted
from talk.harness.context import ScenarioContext


@bind("document")
def the_dataflow_document(talk_context: ScenarioContext, path: str) -> None:
    talk_context.add_document(decode_quoted(path))
