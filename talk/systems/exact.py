"""Exact Online REST v1 (OData): CRM Accounts and Contacts under /api/v1/{division}.

Facts from API-NOTES.md section 4: `ID` is an Edm.Guid addressed as `(guid'...')`,
`Modified`/`Created` are `/Date(ms)/`, lists are `{"d": {"results": [...], "__next": ...}}`
with 60 rows a page, and changes are read with `$filter=Modified ge datetime'...'`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from talk.systems.profile import ApiStyle, ChangeRead, EntityProfile, FieldType, SystemProfile
from talk.systems.registry import register

__all__ = [
    "ACCOUNT_FIELDS",
    "CONTACT_FIELDS",
    "EXACT",
    "PAGE_SIZE",
    "datetime_literal",
    "parse_odata_date",
    "to_odata_date",
]

PAGE_SIZE = 60  # rows per page of the standard (non-bulk, non-sync) endpoints

S, B, N, D, G = (FieldType.STRING, FieldType.BOOLEAN, FieldType.INTEGER, FieldType.DATETIME,
                 FieldType.GUID)

ACCOUNT_FIELDS: dict[str, FieldType] = {
    "ID": G, "Code": S, "Name": S, "Email": S, "Phone": S, "Website": S, "AddressLine1": S,
    "City": S, "Postcode": S, "Country": S, "Status": S, "IsSupplier": B, "IsSales": B,
    "Division": N, "Created": D, "Modified": D,
}

CONTACT_FIELDS: dict[str, FieldType] = {
    "ID": G, "Account": G, "AccountName": S, "FirstName": S, "LastName": S, "FullName": S,
    "Email": S, "BusinessEmail": S, "Phone": S, "JobTitleDescription": S, "IsMainContact": B,
    "Division": N, "Created": D, "Modified": D,
}


def _entity(name: str, resource: str, fields: dict[str, FieldType],
            required: tuple[tuple[str, ...], ...] = ()) -> EntityProfile:
    return EntityProfile(
        system="exact",
        name=name,
        resource=resource,
        id_field="ID",
        modified_field="Modified",
        change_read=ChangeRead.MODIFIED_FILTER,
        list_key="d.results",  # dotted: the OData v2 envelope
        field_types=fields,
        required_on_create=required,
        can_delete=True,
    )


EXACT = register(SystemProfile(
    key="exact",
    display_name="Exact Online",
    style=ApiStyle.EXACT,
    entities={
        # Decision 2: Name is the one documented mandatory field of an Account.
        "Accounts": _entity("Accounts", "crm/Accounts", ACCOUNT_FIELDS, (("Name",),)),
        "Contacts": _entity("Contacts", "crm/Contacts", CONTACT_FIELDS),
    },
    aliases=("Exact Online", "Exact"),
))


# -- Exact's value formats, shared by the emulator and the connector ----------------------

_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


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
