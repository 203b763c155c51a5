"""Envelopes and key literals of described APIs, shared by their emulator and connector.

A dotted key (`values`, `data`, `_embedded.enheter`, `d.results`) names where a list or a
record sits inside an answer; a record path template (`customer/{id}`,
`customers({id})`, `admin/api/2021-10/customers/{id}.json`) names a record's URL.
"""

from __future__ import annotations

import re
from typing import Any

from talk.systems.profile import EntityProfile, FieldType

__all__ = ["PAGE_SIZE", "answered", "as_written", "key_value", "record_url_path",
           "record_url_pattern", "unwrap", "wrap"]

PAGE_SIZE = 100  # rows a page when the request does not ask for fewer (assumed)


def wrap(key: str | None, value: Any) -> Any:
    """`value` placed at the dotted `key` ({"a": {"b": value}}); itself when key is None."""
    if not key:
        return value
    for part in reversed(key.split(".")):
        value = {part: value}
    return value


def unwrap(key: str | None, body: Any) -> Any:
    """What sits at the dotted `key` of `body` (None when absent); `body` when key is None."""
    if not key:
        return body
    for part in key.split("."):
        if not isinstance(body, dict):
            return None
        body = body.get(part)
    return body


def record_url_path(entity: EntityProfile, record_id: str) -> str:
    """The record path of an entity with its key filled in."""
    template = entity.record_path or f"{entity.resource}/{{{entity.id_field}}}"
    return template.replace("{" + entity.id_field + "}", record_id)


def record_url_pattern(entity: EntityProfile) -> re.Pattern[str] | None:
    """A regex matching the entity's record paths, capturing the key as `key`."""
    if not entity.record_path:
        return None
    head, _, tail = entity.record_path.partition("{" + entity.id_field + "}")
    return re.compile(re.escape(head) + r"(?P<key>[^/()]+?)" + re.escape(tail) + "$",
                      re.IGNORECASE)


def key_value(entity: EntityProfile, text: str) -> Any:
    """A key from a URL in the record's own type (an integer key stays an integer)."""
    if entity.field_type(entity.id_field) is FieldType.INTEGER and text.lstrip("-").isdigit():
        return int(text)
    return text.strip("'")


def _references(entity: EntityProfile) -> dict[str, str]:
    """Fields written as a reference and answered as an object holding it: field -> the
    object's field that holds it (Asana's `workspace` -> `gid`)."""
    return {name: str(prop["read_field"]) for name, prop in entity.properties.items()
            if prop.get("read_field")}


def answered(entity: EntityProfile, record: dict[str, Any]) -> dict[str, Any]:
    """A stored record in the read shape: a reference written as its gid is answered as
    the object the description reads (`"123"` -> `{"gid": "123"}`)."""
    for name, held in _references(entity).items():
        value = record.get(name)
        if value is not None and not isinstance(value, dict | list):
            record[name] = {held: value}
    return record


def as_written(entity: EntityProfile, record: dict[str, Any]) -> dict[str, Any]:
    """A record read from the API in the shape a write takes, so a value read compares
    with the value a row writes (`{"gid": "123", "name": ...}` -> `"123"`)."""
    for name, held in _references(entity).items():
        value = record.get(name)
        if isinstance(value, dict) and held in value:
            record[name] = value[held]
    return record
