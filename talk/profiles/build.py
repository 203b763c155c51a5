"""Entity profiles from a committed distilled profile (the one way facts of an API enter).

A system module (talk.systems.exact, .webcrm, or the described systems) calls
`entity_profiles` with its style's own conventions; each entity's `source` names the
description it comes from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from talk.profiles.distilled import Distilled
from talk.systems.profile import ChangeRead, EntityProfile, FieldType

__all__ = ["Conventions", "describe", "entity_profiles", "field_types"]

_FIELD_TYPES = {t.value: t for t in FieldType}
# Path prefixes that are variants of an ordinary entity set (Exact's bulk and sync sets).
_VARIANTS = ("bulk/", "sync/", "read/", "/")


@dataclass(frozen=True)
class Conventions:
    """How one API style names the facts a description leaves implicit."""

    system: str
    modified_fields: tuple[str, ...] = ()  # candidates for the modified stamp, in order
    change_read: ChangeRead = ChangeRead.FULL  # how changes are read when a stamp exists
    # What create needs where the description says nothing (hand-knowledge), by name.
    required: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    keep: Callable[[Mapping[str, Any]], bool] = lambda entity: True


def describe(data: Distilled) -> str:
    """`Exact Online REST API reference 2022-03 (exact-online-rest-2022.metadata.json)`."""
    info = data["description"]
    return f"{info['title']} {info['version']} ({info['file']})".strip()


def field_types(entity: Mapping[str, Any]) -> dict[str, FieldType]:
    """Each property's type as a write takes it (a reference's gid, not the object a read
    answers: the connector reads such a reference back as its gid)."""
    return {name: _FIELD_TYPES.get(prop.get("write_type") or prop["type"], FieldType.STRING)
            for name, prop in entity["properties"].items()}


def _writes(entity: Mapping[str, Any], kind: str) -> frozenset[str]:
    return frozenset(name for name, prop in entity["properties"].items()
                     if prop.get("write") == kind)


def _names(entities: list[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Unique entity names: where several sets share a name, the ordinary one (fewest path
    segments, not a bulk/sync variant) keeps it and the others go by their path."""
    ranked = sorted(entities, key=lambda e: (str(e["collection"]).startswith(_VARIANTS),
                                             str(e["collection"]).count("/"),
                                             str(e["collection"])))
    named: dict[str, Mapping[str, Any]] = {}
    taken: set[str] = set()
    for entity in ranked:
        name = str(entity["name"])
        if name.lower() in taken:
            name = str(entity["collection"])
        taken.add(name.lower())
        named[name] = entity
    return dict(sorted(named.items()))


def entity_profiles(data: Distilled, conventions: Conventions) -> dict[str, EntityProfile]:
    """Every entity of the distilled description that the style serves, by name."""
    source = describe(data)
    kept = [e for e in data["entities"].values() if conventions.keep(e)]
    profiles: dict[str, EntityProfile] = {}
    for name, entity in _names(kept).items():
        properties = entity["properties"]
        operations = set(entity["operations"])
        modified = next((f for f in conventions.modified_fields if f in properties), None)
        keys = entity["key"]
        where = entity.get("documentation") or entity["collection"]
        profiles[name] = EntityProfile(
            system=conventions.system,
            name=name,
            resource=str(entity["collection"]),
            id_field=str(keys[0]) if keys else "id",
            modified_field=modified,
            change_read=conventions.change_read if modified else ChangeRead.FULL,
            list_key=entity.get("list_key"),
            field_types=field_types(entity),
            required_on_create=conventions.required.get(name, tuple(
                (str(r),) for r in entity["required"])),
            can_create="create" in operations,
            can_update="update" in operations,
            can_delete="delete" in operations,
            can_read="list" in operations,
            read_only=_writes(entity, "never"),
            create_only=_writes(entity, "create"),
            update_only=_writes(entity, "update"),
            source=f"{source}: {where}",
            record_path=entity.get("record"),
            record_key=entity.get("record_key"),
            create_key=entity.get("create_key"),
            paging=entity.get("paging"),
            list_described=bool(entity.get("list_described", True)),
            update_method=str(entity.get("update_method") or "PUT"),
            properties=properties,
            answer_required=tuple(entity.get("answer_required") or ()),
        )
    return profiles
