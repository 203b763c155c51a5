"""What a create or update request accepts, where it differs from what a read answers.

Descriptions often type a field one way in answers and another in request bodies: Asana
answers `workspace` as an object (`{"gid": ..., "resource_type": ...}`) but takes the
workspace's gid string on create; it marks `projects` read-only in answers yet takes
project gids on create. A profile typed by the read schema alone makes talk refuse writes
the real API accepts. This module marks, per property, the write type (`write_type`), the
field of the answered object that holds the written value (`read_field`), and where a
field read-only in answers is writable on create or update (`write`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["mark_write_shapes"]

# Fields of an answered object that hold the reference a write sends, in order.
_REFERENCE_FIELDS = ("gid", "id", "key")


# talk types that are one JSON type (a date-time is a string on the wire).
_JSON = {"datetime": "string", "guid": "string"}


def _json(kind: Any) -> str:
    return _JSON.get(str(kind), str(kind))


def _retyped(kind: str, written: Mapping[str, Any]) -> bool:
    """Whether a request body takes another JSON type than the answer holds."""
    return written.get("write") != "never" and _json(written.get("type")) != _json(kind)


def mark_write_shapes(properties: dict[str, Any], read_names: set[str],
                      created: Mapping[str, Mapping[str, Any]],
                      updated: Mapping[str, Mapping[str, Any]],
                      object_fields: Mapping[str, set[str]]) -> None:
    """Mark in `properties` (the read shape, as distilled) how the request bodies differ.

    `created` and `updated` are the request bodies' properties (distilled the same way),
    `read_names` the fields the read answer describes, `object_fields` the fields of each
    property the read answer types as an object."""
    for name in sorted(set(created) | set(updated)):
        if name not in read_names or name not in properties:
            continue
        prop = properties[name]
        bodies = [b[name] for b in (created, updated) if name in b]
        written = bodies[0]
        if _retyped(str(prop["type"]), written):
            prop["write_type"] = written["type"]
            if prop["type"] == "object" and written["type"] != "array":
                held = next((f for f in _REFERENCE_FIELDS if f in object_fields.get(name, ())),
                            None)
                if held is not None:
                    prop["read_field"] = held
        if prop.get("write") == "never" and any(b.get("write") != "never" for b in bodies):
            in_create = name in created and created[name].get("write") != "never"
            in_update = name in updated and updated[name].get("write") != "never"
            if in_create and in_update:
                del prop["write"]
            else:
                prop["write"] = "create" if in_create else "update"
