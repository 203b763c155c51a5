"""Checks on links: exactly one target, merged with an existing one, updates go to the link."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

from talk.steps._binding import bind
from talk.sync.store import Ref

if TYPE_CHECKING:  # the sync machinery loads with the first scenario, not at import
    from talk.harness.context import RecordType, ScenarioContext


def _created_by_sync(talk_context: ScenarioContext, kind: RecordType) -> list[str]:
    seeded = {ref.id for _, ref in talk_context.seeded if ref.slot == kind.slot}
    emulator = talk_context.emulator(kind.system)
    entity = emulator.entity(kind.entity.name)
    return [emulator.id_of(entity, r) for r in emulator.records(kind.entity.name)
            if emulator.id_of(entity, r) not in seeded]


def _linked_target(talk_context: ScenarioContext, record: str, other: str
                   ) -> tuple[RecordType, RecordType, str]:
    source = talk_context.record_type(record)
    target = talk_context.record_type(other)
    source_ref = talk_context.record_ref(source)
    linked = talk_context.store.counterpart(source_ref, target.slot)
    if linked is None:
        talk_context.explain_missing_link(target)
        raise AssertionError(f"{source.phrase} {source_ref.id} is linked to no {target.phrase}"
                             f" after {len(talk_context.reports)} runs")
    talk_context.read(Ref(*target.slot, linked))  # the linked record must exist
    talk_context.evidence["checks"].append({"linked": f"{source.phrase} {source_ref.id}",
                                            "to": f"{target.phrase} {linked}"})
    return source, target, linked


@bind("linked_one")
def linked_to_exactly_one(talk_context: ScenarioContext, record: str, other: str) -> None:
    _, target, linked = _linked_target(talk_context, record, other)
    created = _created_by_sync(talk_context, target)
    seeded = {ref.id for ref in talk_context.seeded_of(target)}
    expected = [] if linked in seeded else [linked]
    if sorted(created) != sorted(expected):
        raise AssertionError(
            f"expected exactly one {target.phrase} for the record, the sync created "
            f"{len(created)}: {', '.join(created) or 'none'} (linked: {linked})")


@bind("linked_existing")
def linked_to_the_existing(talk_context: ScenarioContext, record: str, other: str) -> None:
    _, target, linked = _linked_target(talk_context, record, other)
    seeded = [ref.id for ref in talk_context.seeded_of(target)]
    if linked not in seeded:
        raise AssertionError(f"linked to {target.phrase} {linked}, not to the existing "
                             f"{', '.join(seeded) or '(none seeded)'}")
    created = _created_by_sync(talk_context, target)
    if created:
        raise AssertionError(f"the sync created {len(created)} {target.phrase} "
                             f"({', '.join(created)}) instead of only linking the existing one")


@bind("only_linked_updated")
def only_the_linked_was_updated(talk_context: ScenarioContext, record: str) -> None:
    kind = talk_context.record_type(record)
    ref = talk_context.record_ref(kind)
    resource = talk_context.emulator(kind.system).entity(kind.entity.name).resource
    last = len(talk_context.reports)
    writes = [s for s in talk_context.sent if s.system == kind.system and s.run == last
              and s.writes_to(resource)]
    stray = [s for s in writes if s.method == "POST" or ref.id.lower() not in
             (unquote(s.path) + str(s.body)).lower()]  # the id travels percent-encoded
    if stray:
        shown = ", ".join(f"{s.method} {s.path}" for s in stray)
        raise AssertionError(f"the last run wrote to other {kind.phrase} than the linked "
                             f"{ref.id}: {shown}")
