"""Records as users make them: seeded in a system, edited in a system."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from talk.steps._binding import bind, table_values
from talk.steps._properties import check_properties
from talk.sync.paths import set_path

if TYPE_CHECKING:  # the sync machinery loads with the first scenario, not at import
    from talk.harness.context import ScenarioContext


@bind("record_with")
def a_record_with(talk_context: ScenarioContext, record: str,
                  datatable: list[list[str]] | None = None) -> None:
    values = table_values(datatable, f"a {record} with:")
    kind = talk_context.record_type(record)
    check_properties(talk_context, kind, values, f"a {record} with:")
    talk_context.seed_record(kind, values)


@bind("record")
def a_record(talk_context: ScenarioContext, record: str) -> None:
    talk_context.seed_record(talk_context.record_type(record), {})


def _edit(talk_context: ScenarioContext, record: str, values: dict[str, Any]) -> None:
    kind = talk_context.record_type(record)
    check_properties(talk_context, kind, values, f"the {record} is edited with:")
    ref = talk_context.record_ref(kind)
    current = talk_context.read(ref)
    for path, value in values.items():
        set_path(current, path, value)
    changes = {top: current[top] for top in {path.split(".", 1)[0] for path in values}}
    talk_context.emulator(ref.system).edit(ref.entity, ref.id, changes)
    talk_context.evidence["checks"].append({"edited": kind.phrase, "id": ref.id,
                                            "values": values})


@bind("edited_with")
def edited_with(talk_context: ScenarioContext, record: str,
                datatable: list[list[str]] | None = None) -> None:
    _edit(talk_context, record, table_values(datatable, f"the {record} is edited with:"))


@bind("touched")
def edited_without_listed_change(talk_context: ScenarioContext, record: str) -> None:
    _edit(talk_context, record, {})
