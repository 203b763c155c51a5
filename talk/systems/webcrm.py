"""WebCRM REST v1: every entity of the v1 Swagger description.

Facts from API-NOTES.md section 3 and the v1 Swagger description: int32 ids named
`<Prefix>Id`, PascalCase fields prefixed by the entity (`OrganisationName`),
`<Prefix>UpdatedAt` timestamps, bare JSON arrays paged by `Page`/`Size`.

Reading changes: the description offers `FindByUpdateDates/{startDate}/{endDate}` for
Organisations only (startDate <= updated < endDate), so the other entities are read in full
and compared (docs/design.md#reading-changes), although their records carry an `UpdatedAt` stamp.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from talk.profiles.build import Conventions, describe, entity_profiles
from talk.profiles.distilled import load
from talk.profiles.silent import silent_parts
from talk.systems.profile import ApiStyle, ChangeRead, EntityProfile, SystemProfile
from talk.systems.registry import ENTITY_ALIASES, register
from talk.systems.timestamps import parse_iso_timestamp

__all__ = [
    "DEFAULT_SIZE",
    "MAX_SIZE",
    "PREFIXES",
    "WEBCRM",
    "format_timestamp",
    "parse_timestamp",
]

DEFAULT_SIZE = 50  # rows a page holds when `Size` is not sent (not documented; our choice)
MAX_SIZE = 1000  # the description's maximum for `Size`
MAX_PAGE = 1_000_000

# Every top-level entity of the v1 description, from the distilled Swagger description
# (talk/profiles/data/webcrm.json, `talk profile import`): paths, `<Prefix>Id` keys, which
# of POST, PUT and DELETE exist, typed DTO properties. Sub-resources (`/Persons/Hooks`,
# `/Organisations/LinkedData`, `/Users/AllActive`) are not entities of the documents.
_DATA = load("webcrm")
_CONVENTIONS = Conventions(
    system="webcrm",
    modified_fields=(),  # set per entity below: `<Prefix>UpdatedAt`
    # docs/design.md#create-requirements: the DTOs of the five original entities require
    # only the id, which the API assigns (the importer drops a server-assigned key from
    # `required`); Meetings and PersonsB2C require more, as their descriptions say.
    keep=lambda entity: "/" not in str(entity["collection"]),
)


def _webcrm_entity(entity: EntityProfile) -> EntityProfile:
    """The `<Prefix>UpdatedAt` stamp; changes read by `FindByUpdateDates` where the
    description offers it (Organisations only), else in full (docs/design.md#reading-changes)."""
    prefix = entity.id_field.removesuffix("Id")
    stamp = f"{prefix}UpdatedAt"
    modified = stamp if stamp in entity.field_types else None
    read = ChangeRead.UPDATE_DATES if entity.name == "Organisations" else ChangeRead.FULL
    return dataclasses.replace(entity, modified_field=modified, change_read=read,
                               list_key=None)


_ENTITIES = {name: _webcrm_entity(entity)
             for name, entity in entity_profiles(_DATA, _CONVENTIONS).items()}
ORGANISATION_FIELDS = dict(_ENTITIES["Organisations"].field_types)
PERSON_FIELDS = dict(_ENTITIES["Persons"].field_types)
OPPORTUNITY_FIELDS = dict(_ENTITIES["Opportunities"].field_types)
PRODUCT_FIELDS = dict(_ENTITIES["Products"].field_types)
USER_FIELDS = dict(_ENTITIES["Users"].field_types)

# Entity name -> field prefix (`OrganisationId`, `OrganisationUpdatedAt`, ...).
PREFIXES: dict[str, str] = {name: entity.id_field.removesuffix("Id")
                            for name, entity in _ENTITIES.items()}

WEBCRM = register(SystemProfile(
    key="webcrm",
    display_name="WebCRM",
    style=ApiStyle.WEBCRM,
    entities=_ENTITIES,
    aliases=("Webcrm", "WebCRM"),
    description=describe(_DATA),
    assumed=(*_DATA["assumed"], *silent_parts(_ENTITIES, ENTITY_ALIASES.get("webcrm", {}))),
))


def format_timestamp(moment: datetime) -> str:
    """How Json.NET writes a UTC DateTime: `2024-01-01T10:20:30Z`, `...30.1234567Z`."""
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    text = utc.isoformat(timespec="microseconds").rstrip("0").rstrip(".")
    return text + "Z"


parse_timestamp = parse_iso_timestamp  # its date-times are ISO 8601
