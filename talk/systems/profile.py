"""System profiles: what talk knows about a system's API, per entity.

A profile is data, not behaviour: the emulators, connectors, sync engine and harness all
read the same profile, so a fact about an API is written down once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["ApiStyle", "ChangeRead", "EntityProfile", "FieldType", "SystemProfile"]


class ApiStyle(StrEnum):
    KEAP = "keap"
    WEBCRM = "webcrm"
    EXACT = "exact"
    DESCRIBED = "described"  # served as a distilled description says (talk.profiles)
    GENERIC = "generic"


class ChangeRead(StrEnum):
    """How changes of an entity are read (docs/design.md#reading-changes)."""

    SINCE = "since"  # Keap `since=` on last_updated
    SYNC_TOKEN = "sync_token"  # Keap products/sync?sync_token=
    UPDATE_DATES = "update_dates"  # WebCRM /<Entity>/FindByUpdateDates/{start}/{end}
    MODIFIED_FILTER = "modified_filter"  # Exact $filter=Modified ge datetime'...'
    UPDATED_SINCE = "updated_since"  # generic ?updated_since=
    FULL = "full"  # no changed-since read: read everything and compare


class FieldType(StrEnum):
    """A field's own JSON type in the API (not the documented target type)."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    ARRAY = "array"
    OBJECT = "object"
    DATETIME = "datetime"
    GUID = "guid"


@dataclass(frozen=True)
class EntityProfile:
    """One resource of an API as a dataflow document names it."""

    system: str  # system key
    name: str  # canonical entity name, e.g. "Companies"
    resource: str  # path segment(s) under the base URL, e.g. "companies", "crm/Accounts"
    id_field: str  # "id", "OrganisationId", "ID"
    modified_field: str | None  # "last_updated", "OrganisationUpdatedAt", "Modified", None
    change_read: ChangeRead
    list_key: str | None = None  # key of the list in a list answer ("companies"), None: bare
    field_types: Mapping[str, FieldType] = field(default_factory=dict)
    # Each inner tuple is "at least one of these" (docs/design.md#create-requirements), e.g.
    # (("company_name",),).
    required_on_create: tuple[tuple[str, ...], ...] = ()
    can_create: bool = True
    can_update: bool = True
    can_delete: bool = False
    generic: bool = False  # true when the system has no dedicated profile for this entity
    can_read: bool = True  # the API lists (and reads) this entity
    # Why the API cannot serve this entity at all (its description has no such name).
    unsupported: str | None = None
    read_only: frozenset[str] = frozenset()  # fields no write may set (the server's)
    create_only: frozenset[str] = frozenset()  # fields a create may set, an update not
    update_only: frozenset[str] = frozenset()  # fields an update may set, a create not
    source: str = ""  # where this entity's facts come from (description, section, hand)
    # From a distilled description (talk.profiles): the rest of its facts.
    record_path: str | None = None  # "customer/{id}", "crm/Accounts(guid'{ID}')"
    record_key: str | None = None  # envelope of a single record: "value", "data", "d"
    create_key: str | None = None  # envelope of a create or update body: "data" (Asana)
    paging: str | None = None  # "from_count", "offset_limit", "odata_next", ...
    list_described: bool = True  # whether the description shows the list answer's shape
    update_method: str = "PUT"
    properties: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Fields every answer holding a record has (the read's schema requires them).
    answer_required: tuple[str, ...] = ()

    def field_type(self, path: str) -> FieldType | None:
        """The API's own type of a (dotted) field, if the profile knows it."""
        return self.field_types.get(path)

    def as_described(self, record: dict[str, Any]) -> dict[str, Any]:
        """`record` with each top-level field its description declares an array held as a
        list: a path through a list names its first element, so a record built from paths
        (`line_items.sku`) gets `[{"sku": ...}]`, never an object where the API wants a list."""
        for name, value in record.items():
            # a hand-written profile (Keap's) declares its arrays by field type only
            if isinstance(value, dict) and (self.properties.get(name, {}).get("type") == "array"
                                            or self.field_types.get(name) is FieldType.ARRAY):
                record[name] = [value]
        return record

    def is_id_field(self, path: str) -> bool:
        """docs/design.md#id-rows: `id`, `Id`, `ID` or the profile's own id field name the link."""
        return path in {"id", "Id", "ID", self.id_field}

    def not_writable(self, path: str, *, creating: bool) -> bool:
        """Whether the API ignores or refuses a write of this (top-level) field."""
        name = path.split(".")[0]
        if name in self.read_only:
            return True
        return name in (self.update_only if creating else self.create_only)

    def missing_required(self, present: set[str]) -> list[tuple[str, ...]]:
        """The required groups of which no member is in `present` (top-level field names)."""
        return [group for group in self.required_on_create
                if not any(name in present for name in group)]


@dataclass(frozen=True)
class SystemProfile:
    key: str
    display_name: str
    style: ApiStyle
    entities: Mapping[str, EntityProfile]  # by canonical name
    aliases: tuple[str, ...] = ()
    generic: bool = False
    # The published description this profile was checked against ("" when none).
    description: str = ""
    # What the emulation assumes where the description is silent.
    assumed: tuple[str, ...] = ()
    # The path under the host where the API lives, when the profile knows it ("/v2").
    base_path: str = ""
    # Entities the description has but talk does not serve (a hand-written profile that
    # covers part of its API): named as such, never emulated generically.
    unserved: tuple[str, ...] = ()
