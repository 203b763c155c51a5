"""Differences between a hand-written profile and its distilled description.

The hand-written profiles (Keap, and the hand-knowledge kept in WebCRM's and Exact's)
say things a description cannot (rate limits, retry signals, quirks, what create needs);
where they also state what a description states, the two must agree or the difference
must be known. `differences` lists every one, in words, for a test to pin.
"""

from __future__ import annotations

from typing import Any

from talk.profiles.build import field_types
from talk.profiles.distilled import Distilled
from talk.systems.profile import EntityProfile, SystemProfile

__all__ = ["differences"]

_OPERATIONS = (("can_create", "create"), ("can_update", "update"), ("can_delete", "delete"))


def _described(entity: EntityProfile, data: Distilled) -> dict[str, Any] | None:
    entities: dict[str, dict[str, Any]] = data["entities"]
    found = entities.get(entity.resource) or entities.get(entity.resource.lower())
    if found is None:
        found = next((e for e in entities.values()
                      if str(e["name"]).lower() == entity.resource.lower()), None)
    return found


def _entity_differences(entity: EntityProfile, described: dict[str, Any]) -> list[str]:
    where = f"{entity.name}"
    found: list[str] = []
    keys: list[str] = described["key"]
    if keys and entity.id_field not in keys:
        found.append(f"{where}: key {entity.id_field} (description: {', '.join(keys)})")
    operations: list[str] = described["operations"]
    for flag, operation in _OPERATIONS:
        mine, theirs = bool(getattr(entity, flag)), operation in operations
        if mine != theirs:
            found.append(f"{where}: {operation} {'offered' if mine else 'not offered'} "
                         f"(description: {'offered' if theirs else 'not offered'})")
    required = sorted(name for group in entity.required_on_create for name in group)
    declared = sorted(str(r) for r in described["required"])
    if required != declared:
        found.append(f"{where}: create requires {required or 'nothing'} (description: "
                     f"{declared or 'nothing'})")
    types = field_types(described)
    for name, kind in sorted(entity.field_types.items()):
        top = name.split(".")[0]
        if "." in name and types.get(top) is not None and types[top].value in ("object",
                                                                                "array"):
            continue  # inside an object the description declares (not distilled further)
        if name not in types:
            found.append(f"{where}: field {name} is not in the description")
        elif types[name] is not kind:
            found.append(f"{where}: field {name} is {kind.value} (description: "
                         f"{types[name].value})")
    return found


def differences(profile: SystemProfile, data: Distilled) -> list[str]:
    """Every difference, one sentence each, in entity and field order."""
    found: list[str] = []
    for entity in sorted(profile.entities.values(), key=lambda e: e.name):
        described = _described(entity, data)
        if described is None:
            found.append(f"{entity.name}: not in the description ({entity.resource})")
            continue
        found.extend(_entity_differences(entity, described))
    return found
