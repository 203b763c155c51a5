"""Systems served from their distilled API descriptions (talk/profiles/data/<key>.json).

Each has its own paths, keys, envelopes, paging, operations, required and read-only
fields as its description gives them (`talk profile import`). What a description does not
say is assumed here, and each profile lists those assumptions (`SystemProfile.assumed`):
how changes are read (in full), rate limits (none), and the error body of a refused write.
"""

from __future__ import annotations

from dataclasses import dataclass

from talk.profiles.build import Conventions, describe, entity_profiles
from talk.profiles.distilled import load
from talk.profiles.silent import silent_parts
from talk.systems.profile import ApiStyle, ChangeRead, SystemProfile
from talk.systems.registry import ENTITY_ALIASES, register

__all__ = ["DESCRIBED", "ERROR_SHAPES"]

# Fields that carry a record's last change, where a description has one (set by the
# emulator on every write; changes are still read in full).
_MODIFIED = ("lastModifiedDateTime", "modified_at", "updated_at", "date_modified", "changedAt")


@dataclass(frozen=True)
class _System:
    key: str
    display_name: str
    aliases: tuple[str, ...] = ()


DESCRIBED = (
    _System("tripletex", "Tripletex"),
    _System("businesscentral", "Business Central", ("Dynamics 365 Business Central",)),
    _System("difi", "difi", ("Enhetsregisteret", "Brreg")),
    _System("freshteam", "Freshteam"),
    _System("asana", "Asana"),
    _System("trello", "Trello"),
    _System("wikidata", "Wikidata", ("Wikibase",)),
    _System("woocommerce", "WooCommerce"),
    _System("shopify", "Shopify"),
)

# The answer to a refused write (missing required field, wrong type), per system: the
# status and body shape the description (or its documentation text) gives. Where it gives
# none, `plain` is assumed: 400 {"error": message}.
ERROR_SHAPES: dict[str, tuple[int, str]] = {
    "tripletex": (422, "tripletex"),  # "422 ... For Required fields" in the description
    "businesscentral": (400, "odata"),
    "asana": (400, "asana"),
    "woocommerce": (400, "woocommerce"),
    "shopify": (422, "shopify"),
}


def _profile(system: _System) -> SystemProfile:
    data = load(system.key)
    conventions = Conventions(system=system.key, modified_fields=_MODIFIED,
                              change_read=ChangeRead.FULL)
    status, shape = ERROR_SHAPES.get(system.key, (400, "plain"))
    entities = entity_profiles(data, conventions)
    assumed = (*data["assumed"], f"refused writes: {status} in the {shape} error shape",
               *silent_parts(entities, ENTITY_ALIASES.get(system.key, {})))
    return SystemProfile(
        key=system.key,
        display_name=system.display_name,
        style=ApiStyle.DESCRIBED,
        entities=entities,
        aliases=system.aliases,
        description=describe(data),
        assumed=assumed,
        # OpenAPI gives its server path; OData $metadata gives none: Business Central's
        # API root is assumed.
        base_path=str(data["description"].get("base_path", "/api/v2.0")),
    )


for _system in DESCRIBED:
    register(_profile(_system))
