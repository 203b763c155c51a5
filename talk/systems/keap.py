"""Keap (Infusionsoft) REST v1: Contacts, Companies, Opportunity, Product and Users.

Facts from API-NOTES.md section 2 and the v1 OpenAPI description: int64 `id`, snake_case
fields of the v1 models, `last_updated` on contacts, opportunities and users (companies and
products carry no timestamp), `limit`/`offset` lists with a `next` link on every page.
Changes are read with `since` (contacts), the `products/sync` token (products), or a full
read where v1 offers no filter (companies, opportunities, users).
"""

from __future__ import annotations

from datetime import UTC, datetime

from talk.profiles.build import describe
from talk.profiles.distilled import load
from talk.systems.profile import ApiStyle, ChangeRead, EntityProfile, FieldType, SystemProfile
from talk.systems.registry import register
from talk.systems.timestamps import parse_iso_timestamp

__all__ = [
    "DEFAULT_LIMIT",
    "KEAP",
    "MAX_LIMIT",
    "OPTIONAL_PROPERTIES",
    "format_timestamp",
    "parse_timestamp",
]

DEFAULT_LIMIT = 1000  # rows a list page holds when the client sends no `limit`
MAX_LIMIT = 1000

S, INT, N, B = FieldType.STRING, FieldType.INTEGER, FieldType.NUMBER, FieldType.BOOLEAN
D, A, OBJ = FieldType.DATETIME, FieldType.ARRAY, FieldType.OBJECT

_ADDRESS = {"address": OBJ, **{f"address.{name}": S for name in (
    "country_code", "line1", "line2", "locality", "region", "zip_code", "zip_four")}}

CONTACT_FIELDS: dict[str, FieldType] = {
    "id": INT, "lead_source_id": INT, "owner_id": INT,
    **dict.fromkeys((
        "ScoreValue", "company_name", "contact_type", "email_status", "family_name",
        "given_name", "job_title", "middle_name", "opt_in_reason", "preferred_locale",
        "preferred_name", "prefix", "source_type", "spouse_name", "suffix", "time_zone",
        "website"), S),
    "anniversary": D, "birthday": D, "date_created": D, "last_updated": D,
    "email_opted_in": B,
    **dict.fromkeys((
        "addresses", "custom_fields", "email_addresses", "fax_numbers", "phone_numbers",
        "relationships", "social_accounts", "tag_ids"), A),
    "company": OBJ, "company.id": INT, "company.company_name": S, "origin": OBJ,
}

COMPANY_FIELDS: dict[str, FieldType] = {
    "id": INT,
    **dict.fromkeys(("company_name", "email_address", "email_status", "notes", "website",
                     "opt_in_reason"), S),
    "email_opted_in": B, "custom_fields": A, **_ADDRESS,
    "phone_number": OBJ, "phone_number.number": S, "phone_number.extension": S,
    "phone_number.type": S,
    "fax_number": OBJ, "fax_number.number": S, "fax_number.type": S,
}

OPPORTUNITY_FIELDS: dict[str, FieldType] = {
    "id": INT, "affiliate_id": INT, "include_in_forecast": INT,
    "date_created": D, "estimated_close_date": D, "last_updated": D, "next_action_date": D,
    "next_action_notes": S, "opportunity_notes": S, "opportunity_title": S,
    "projected_revenue_high": N, "projected_revenue_low": N, "custom_fields": A,
    "contact": OBJ, "contact.id": INT,
    **{f"contact.{name}": S for name in (
        "company_name", "email", "first_name", "job_title", "last_name", "phone_number")},
    "stage": OBJ, "stage.id": INT, "stage.name": S,
    "user": OBJ, "user.id": INT, "user.first_name": S, "user.last_name": S,
}

PRODUCT_FIELDS: dict[str, FieldType] = {
    "id": INT, "product_name": S, "product_desc": S, "product_short_desc": S, "sku": S,
    "url": S, "product_price": N, "active": B, "subscription_only": B,
    "subscription_plans": A,
}

USER_FIELDS: dict[str, FieldType] = {
    "id": INT, "created_by": INT, "global_user_id": INT, "last_updated_by": INT,
    **dict.fromkeys((
        "company_name", "email_address", "family_name", "given_name", "infusionsoft_id",
        "job_title", "middle_name", "preferred_name", "status", "time_zone", "website"), S),
    "date_created": D, "last_updated": D, "partner": B,
    "fax_numbers": A, "phone_numbers": A, **_ADDRESS,
    # CreateUser's own fields: `email` becomes the user's `email_address`.
    "email": S, "admin": B,
}

# Properties the API leaves out of an answer unless `optional_properties` names them.
OPTIONAL_PROPERTIES: dict[str, tuple[str, ...]] = {
    "Contacts": ("job_title", "custom_fields", "lead_source_id"),
    "Companies": ("notes", "fax_number", "custom_fields"),
    "Opportunity": ("custom_fields",),
}


def _entity(name: str, resource: str, fields: dict[str, FieldType], *,
            modified: str | None, change_read: ChangeRead,
            required: tuple[tuple[str, ...], ...], can_update: bool = True,
            can_delete: bool = False) -> EntityProfile:
    return EntityProfile(
        system="keap",
        name=name,
        resource=resource,
        id_field="id",
        modified_field=modified,
        change_read=change_read,
        list_key=resource,
        field_types=fields,
        required_on_create=required,
        can_update=can_update,
        can_delete=can_delete,
    )


# The v1 description has more collections than the five above (tags, notes, orders, ...):
# a document naming one is reported as described but not served, never emulated generically.
_DATA = load("keap")
_SERVED = {"contacts", "companies", "company", "opportunities", "opportunity", "products",
           "users"}
_UNSERVED = tuple(sorted(str(e["collection"]) for e in _DATA["entities"].values()
                         if "/" not in str(e["collection"])
                         and str(e["collection"]) not in _SERVED))

KEAP = register(SystemProfile(
    key="keap",
    display_name="Keap",
    style=ApiStyle.KEAP,
    entities={
        # docs/design.md#create-requirements: the required lists of the create schemas, and
        # createContact's rule
        # "at least one item in email_addresses or phone_numbers".
        "Contacts": _entity("Contacts", "contacts", CONTACT_FIELDS, modified="last_updated",
                            change_read=ChangeRead.SINCE,
                            required=(("email_addresses", "phone_numbers"),),
                            can_delete=True),
        "Companies": _entity("Companies", "companies", COMPANY_FIELDS, modified=None,
                             change_read=ChangeRead.FULL, required=(("company_name",),)),
        # v1 lists opportunities without any update-time filter: a full read.
        "Opportunity": _entity("Opportunity", "opportunities", OPPORTUNITY_FIELDS,
                               modified="last_updated", change_read=ChangeRead.FULL,
                               required=(("contact",), ("opportunity_title",), ("stage",))),
        "Product": _entity("Product", "products", PRODUCT_FIELDS, modified=None,
                           change_read=ChangeRead.SYNC_TOKEN, required=(("product_name",),),
                           can_delete=True),
        # v1 has GET /users and POST /users only: no read by id, no update, no delete.
        "Users": _entity("Users", "users", USER_FIELDS, modified="last_updated",
                         change_read=ChangeRead.FULL,
                         required=(("email",), ("given_name",)), can_update=False),
    },
    aliases=("Infusionsoft",),
    description=describe(_DATA),
    assumed=(
        "GET contacts/{id}: served although the description omits it (the live API has it)",
        "error texts: talk's own words in v1's Error shape",
        "rate limits: 1500 calls a minute and 150000 a day, in Keap's throttle and quota "
        "headers (API notes)",
    ),
    unserved=_UNSERVED,
))


def format_timestamp(moment: datetime) -> str:
    """Keap's date-time form: UTC with milliseconds, `2017-01-01T22:17:59.039Z`."""
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="milliseconds") + "Z"


parse_timestamp = parse_iso_timestamp  # its date-times are ISO 8601
