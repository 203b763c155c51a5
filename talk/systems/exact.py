"""Exact Online REST v1 (OData): every entity set of the REST reference, per division.

The entity sets, their keys, methods and typed properties come from Exact's REST
reference (distilled in talk/profiles/data/exact.json). Facts from the API notes: `ID` is
an Edm.Guid addressed as `(guid'...')`,
`Modified`/`Created` are `/Date(ms)/`, lists are `{"d": {"results": [...], "__next": ...}}`
with 60 rows a page, and changes are read with `$filter=Modified ge datetime'...'`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from talk.profiles.build import Conventions, describe, entity_profiles
from talk.profiles.distilled import load
from talk.profiles.silent import silent_parts
from talk.systems.profile import ApiStyle, ChangeRead, EntityProfile, FieldType, SystemProfile
from talk.systems.registry import ENTITY_ALIASES, register

__all__ = [
    "ACCOUNT_FIELDS",
    "CONTACT_FIELDS",
    "EXACT",
    "PAGE_SIZE",
    "datetime_literal",
    "key_literal",
    "parse_odata_date",
    "to_odata_date",
]

PAGE_SIZE = 60  # rows per page of the standard (non-bulk, non-sync) endpoints

# Every entity set of the division API, from the distilled REST reference
# (talk/profiles/data/exact.json, `talk profile import`): its URI, methods, key and typed
# properties. Sets outside /api/v1/{division}/ (beta, current/Me, system/Users) are not
# served below a division's base URL and are left out.
_DATA = load("exact")
_CONVENTIONS = Conventions(
    system="exact",
    modified_fields=("Modified",),
    change_read=ChangeRead.MODIFIED_FILTER,
    # Hand-knowledge: the reference has no required flags; Name is the one documented
    # mandatory field of an Account (Exact's "Accounts" documentation page).
    required={"Accounts": (("Name",),)},
    keep=lambda entity: not str(entity["collection"]).startswith("/"),
)
_ENTITIES = entity_profiles(_DATA, _CONVENTIONS)
ACCOUNT_FIELDS: dict[str, FieldType] = dict(_ENTITIES["Accounts"].field_types)
CONTACT_FIELDS: dict[str, FieldType] = dict(_ENTITIES["Contacts"].field_types)

EXACT = register(SystemProfile(
    key="exact",
    display_name="Exact Online",
    style=ApiStyle.EXACT,
    entities=_ENTITIES,
    aliases=("Exact Online", "Exact"),
    description=describe(_DATA),
    assumed=(*_DATA["assumed"], *silent_parts(_ENTITIES, ENTITY_ALIASES.get("exact", {}))),
))


# -- Exact's value formats, shared by the emulator and the connector ----------------------

_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def key_literal(entity: EntityProfile, record: dict[str, Any]) -> str:
    """A record's key as OData v2 writes it in a URL: `guid'...'`, `42` or `'code'`."""
    value = record.get(entity.id_field)
    key_type = entity.field_type(entity.id_field)
    if key_type is FieldType.GUID or key_type is None:
        return f"guid'{value}'"
    if key_type is FieldType.INTEGER:
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def to_odata_date(moment: datetime) -> str:
    """An aware datetime as Exact writes it: `/Date(1704067200000)/` (epoch milliseconds)."""
    return f"/Date({round(moment.timestamp() * 1000)})/"


def parse_odata_date(text: object) -> datetime | None:
    """`/Date(ms)/` (optionally with a `+0100` offset suffix, which the ms already include)."""
    if not isinstance(text, str):
        return None
    match = _DATE.match(text.strip())
    if not match:
        return None
    return datetime.fromtimestamp(int(match.group(1)) / 1000, tz=UTC)


def datetime_literal(moment: datetime) -> str:
    """An OData v2 datetime literal, UTC with milliseconds: `datetime'2024-01-01T00:00:00.000'`."""
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return f"datetime'{utc.isoformat(timespec='milliseconds')}'"
