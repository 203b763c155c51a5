"""Sample records for `talk sync --emulate`: every section's source gets a few records whose
documented properties hold deterministic sample values, so a new user sees a real sync."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from talk.dataflow.model import Dataflow
from talk.emulator.base import Emulator
from talk.sync.emulated import EmulatedSystems
from talk.sync.flows import bind_flows
from talk.sync.paths import set_path, top_level
from talk.systems.profile import FieldType
from talk.types.samples import sample_value

__all__ = ["seed_samples"]


def seed_samples(systems: EmulatedSystems | Mapping[str, Emulator],
                 dataflows: Sequence[Dataflow], per_entity: int = 3) -> int:
    """Seed `per_entity` records into each section's source entity; returns how many.
    `systems`: the in-process emulators, or the emulators `talk serve` mounts, by key."""
    emulators = systems if isinstance(systems, Mapping) else systems.emulators
    seeded = 0
    done: set[tuple[str, str]] = set()
    flows = bind_flows(dataflows)
    for flow in flows:
        if flow.source_slot in done:
            continue
        done.add(flow.source_slot)
        rows = [r for other in flows if other.source_slot == flow.source_slot
                for r in other.rows]
        emulator = emulators.get(flow.source.system)
        if emulator is None:
            continue  # a system served without an emulator
        for number in range(1, per_entity + 1):
            record: dict[str, Any] = {}
            for row in rows:
                seed = f"{flow.key}:{row.line}:{number}"
                value = sample_value(seed, flow.source.field_type(row.source.path), row.type,
                                     target_field_type=flow.target.field_type(row.target.path))
                set_path(record, row.source.path, value)
                condition = row.source.condition
                if condition and condition.understood and number % 2:
                    # every other record meets the row's bracket condition
                    # (docs/design.md#bracket-conditions)
                    set_path(record, str(condition.path), condition.value)
            present = {top_level(r.source.path) for r in rows}
            for group in flow.source.missing_required(present):
                name = group[0]
                if flow.source.field_type(name) in (None, FieldType.STRING):
                    record[name] = f"Sample {flow.section.source.entity} {number}"
            emulator.seed(flow.section.source.entity, record)
            seeded += 1
    return seeded
