"""Running the sync."""

from __future__ import annotations

from typing import TYPE_CHECKING

from talk.steps._binding import bind

if TYPE_CHECKING:  # the sync machinery loads with the first scenario, not at import
    from talk.harness.context import ScenarioContext


@bind("synchronized")
def the_dataflows_are_synchronized(talk_context: ScenarioContext, again: str | None) -> None:
    talk_context.synchronize()
