"""WebCRM REST v1: Organisations, Persons, Opportunities, Products and Users.

Facts from API-NOTES.md section 3 and the v1 Swagger description: int32 ids named
`<Prefix>Id`, PascalCase fields prefixed by the entity (`OrganisationName`),
`<Prefix>UpdatedAt` timestamps, bare JSON arrays paged by `Page`/`Size`.

Reading changes: the description offers `FindByUpdateDates/{startDate}/{endDate}` for
Organisations only (startDate <= updated < endDate), so the other entities are read in full
and compared (decision 10), although their records carry an `UpdatedAt` stamp.
"""

from __future__ import annotations

from datetime import UTC, datetime

from talk.systems.profile import ApiStyle, ChangeRead, EntityProfile, FieldType, SystemProfile
from talk.systems.registry import register
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

STR, INT, NUM = FieldType.STRING, FieldType.INTEGER, FieldType.NUMBER
BOOL, DATE = FieldType.BOOLEAN, FieldType.DATETIME


def _fields(prefix: str, types: dict[FieldType, str],
            families: dict[str, tuple[FieldType, int]]) -> dict[str, FieldType]:
    """The DTO's fields: space-separated suffixes per type, plus numbered families."""
    fields: dict[str, FieldType] = {}
    for field_type, names in types.items():
        for name in names.split():
            fields[prefix + name] = field_type
    for stem, (field_type, count) in families.items():
        for number in range(1, count + 1):
            fields[f"{prefix}{stem}{number}"] = field_type
    return fields


_CUSTOM = {"Plus": (STR, 20), "Custom": (STR, 15)}

ORGANISATION_FIELDS = _fields("Organisation", {
    STR: "Address Alert City Comment CompareName Country CreatedBy DivisionName Domain Fax Gps "
         "ImageFileExtension Industry LastItemType MarketDataId Name History OverlayUrl "
         "PostCode State Status Telephone TelephoneSearch Type UpdatedBy VatCountry VatGroup "
         "VatNumber VatStatus Www Memo",
    INT: "ApprovalStatus Id MarketDataProviderId OutlookSync Owner Owner2 ReportTemp Sla "
         "TerritoryId",
    DATE: "CreatedAt LastDisplayedAt LastItemUpdatedAt UpdatedAt VatVerifiedAt",
    BOOL: "NoAds",
}, {"ExtraCustom": (STR, 8), "XMemo": (STR, 2), "XText": (STR, 8), "XInt": (INT, 8),
    "XDate": (DATE, 2), **_CUSTOM})

PERSON_FIELDS = _fields("Person", {
    STR: "CampaignPassword Comment CreatedBy DirectPhone Email Email2 FirstName "
         "ImageFileExtension LastName LoginLog MarketDateId MemberNumber MemberPassword "
         "MiddleName MobilePhone Name History Password Salutation Skype Status "
         "TelephoneSearch Title UpdatedBy Memo",
    INT: "CampaignWrongPasswordCount Id MemberGroupId MemberLanguageId MemberStatusId "
         "MemberWrongPasswordCount OrganisationId SortOrder SupportLanguageId",
    DATE: "Birthday CreatedAt LastLoginDateTime MemberStartDate UpdatedAt",
    BOOL: "BlockMassEmail BlockMassEmail2 EmailBounces Email2Bounces",
}, {"CheckMark": (BOOL, 10), **_CUSTOM})

OPPORTUNITY_FIELDS = _fields("Opportunity", {
    STR: "Comment CreatedBy CurrencyName Description ErpId ErpReadOnly ErpStatus History "
         "LevelText Lost1 Lost2 Lost3 Note Number Product Search1 Search2 SpentTime "
         "UpdatedBy Memo",
    INT: "AssignedTo AssignedTo2 Id Level OrganisationId Percent PersonId ProductId "
         "QuotationLanguageId UserGroupId WinPercent WinPercent2",
    NUM: "Discount OrderGmValue OrderValue",
    DATE: "CreatedAt ErpSyncDateTime LostDate NextFollowUp OrderDate UpdatedAt",
    BOOL: "WinYesNo",
}, {"GmRevenue": (NUM, 12), "Revenue": (NUM, 12), **_CUSTOM})

PRODUCT_FIELDS = _fields("Product", {
    STR: "Combined Comment CreatedBy History StockStatus UpdatedBy VatCode Memo",
    INT: "Id OrganisationId PersonId ProductYear SortOrder",
    NUM: "CostPrice Discount ListPrice Price Quantity",
    DATE: "CreatedAt UpdatedAt",
}, _CUSTOM)

USER_FIELDS = _fields("User", {
    STR: "AddressFormat AdvancedGroups AuthenticationCode BccEmail BccMode BccTag BudgetNote "
         "CalendarColorScheme CreatedBy CurrencyName DateFormat DecimalPoint Email Initials "
         "IntegrationId IpRestrict LoginLog LoginName MobilePhone Name Password "
         "PhoneParameters SoftCall SupportCaseNotificationType SupportCaseStatus "
         "SynchronizationMode Telephone Territories Ticket TimeFormat Title UpdatedBy Memo",
    INT: "AccessId AccessLevel DefaultSupportCaseChannel DefaultMemberGroupId "
         "DefaultOpportunity2ndResponsible DefaultOrganisation2ndResponsible GmtDifference "
         "GroupId Id LanguageId LoginCount SmsLogin WrongPasswordCount",
    DATE: "CreatedAt LastLoginDateTime LastTryDateTime PasswordUpdatedAt "
          "SupportCaseExpirationDateTime SupportCaseLatest TicketExpirationDateTime UpdatedAt",
    BOOL: "IsRestApiEnabled IsSpellCheckerEnabled IsSupportCaseAvailableStatusEnabled "
          "PasswordInUrl",
}, {"Custom": (STR, 15)})

# Entity name -> field prefix (`OrganisationId`, `OrganisationUpdatedAt`, ...).
PREFIXES: dict[str, str] = {
    "Organisations": "Organisation",
    "Persons": "Person",
    "Opportunities": "Opportunity",
    "Products": "Product",
    "Users": "User",
}


def _entity(name: str, fields: dict[str, FieldType], change_read: ChangeRead,
            can_delete: bool = False) -> EntityProfile:
    prefix = PREFIXES[name]
    return EntityProfile(
        system="webcrm",
        name=name,
        resource=name,
        id_field=f"{prefix}Id",
        modified_field=f"{prefix}UpdatedAt",
        change_read=change_read,
        list_key=None,  # bare arrays
        field_types=fields,
        required_on_create=(),  # decision 2: the DTOs require only the id, which is assigned
        can_delete=can_delete,
    )


WEBCRM = register(SystemProfile(
    key="webcrm",
    display_name="WebCRM",
    style=ApiStyle.WEBCRM,
    entities={
        "Organisations": _entity("Organisations", ORGANISATION_FIELDS,
                                 ChangeRead.UPDATE_DATES),
        "Persons": _entity("Persons", PERSON_FIELDS, ChangeRead.FULL),
        "Opportunities": _entity("Opportunities", OPPORTUNITY_FIELDS, ChangeRead.FULL),
        "Products": _entity("Products", PRODUCT_FIELDS, ChangeRead.FULL, can_delete=True),
        "Users": _entity("Users", USER_FIELDS, ChangeRead.FULL),
    },
    aliases=("Webcrm", "WebCRM"),
))


def format_timestamp(moment: datetime) -> str:
    """How Json.NET writes a UTC DateTime: `2024-01-01T10:20:30Z`, `...30.1234567Z`."""
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    text = utc.isoformat(timespec="microseconds").rstrip("0").rstrip(".")
    return text + "Z"


parse_timestamp = parse_iso_timestamp  # its date-times are ISO 8601
