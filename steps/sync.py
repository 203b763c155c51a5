"""Running the sync."""

from __future__ import annotations

from steps._binding import bind
from talk.harness.context import ScenarioContext


@bind("synchronized")
def the_dataflows_are_synchronized(talk_context: ScenarioContext, again: str | None) -> None:
    talk_context.synchronize()
