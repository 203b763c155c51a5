"""What a converged sync looks like, checked the same way by the fault and stateful tests."""

from __future__ import annotations

from collections.abc import Sequence

from talk.dataflow.model import Dataflow
from talk.sync.emulated import EmulatedSystems
from talk.sync.flows import bind_flows
from talk.sync.paths import MISSING, get_path
from talk.sync.store import LinkStore, Ref
from talk.types.coerce import to_target
from talk.types.compare import same_value


def assert_converged(documents: Sequence[Dataflow], systems: EmulatedSystems,
                     store: LinkStore) -> None:
    """Every source record of a creating section has exactly one linked target record that
    exists, no target record is linked twice, and linked sides agree on every listed
    property whose write the target API supports."""
    for flow in bind_flows(documents):
        if flow.unsupported or not flow.creates:
            continue
        source_connector = systems.connectors[flow.source.system]
        target_connector = systems.connectors[flow.target.system]
        targets = {target_connector.record_id(flow.target, r): r
                   for r in systems.emulators[flow.target.system].records(flow.target.name)}
        claimed: dict[str, Ref] = {}
        for record in systems.emulators[flow.source.system].records(flow.source.name):
            ref = Ref(*flow.source_slot, source_connector.record_id(flow.source, record))
            linked = store.counterpart(ref, flow.target_slot)
            assert linked is not None, f"{ref} is not linked to {flow.target_slot}"
            assert linked in targets, f"{ref} is linked to missing {flow.target_slot} {linked}"
            assert linked not in claimed, f"{linked} is linked to {claimed[linked]} and {ref}"
            claimed[linked] = ref
            for row in flow.rows:
                if row.source.condition is not None:
                    continue
                source_value = get_path(record, row.source.path)
                expected = to_target(None if source_value is MISSING else source_value,
                                     row.type)
                actual = get_path(targets[linked], row.target.path)
                actual = None if actual is MISSING else actual
                assert same_value(expected, actual, row.type), (
                    f"{flow.key} row {row.line}: {ref} has {expected!r}, "
                    f"{flow.target_slot} {linked} has {actual!r}")


def source_count(systems: EmulatedSystems, system: str, entity: str) -> int:
    return len(systems.emulators[system].records(entity))
