"""Find the profile of a system and entity by the names documents use.

Unknown systems get the generic JSON REST profile: nothing crashes on a name it does not
know. An unknown entity of a known system is `unsupported` with the reason, never generic.
"""

from __future__ import annotations

import dataclasses
import importlib

from talk.systems.keys import system_key
from talk.systems.profile import ApiStyle, ChangeRead, EntityProfile, SystemProfile

__all__ = [
    "emulation_kind",
    "emulation_note",
    "generic_entity",
    "known_profiles",
    "profile_for",
    "register",
    "resolve_entity",
]

_PROFILES: dict[str, SystemProfile] = {}
# Modules that define (and `register`) the dedicated profiles; imported on first use.
_BUILTIN = ("talk.systems.keap", "talk.systems.webcrm", "talk.systems.exact",
            "talk.systems.described")
_loaded = False


def _load_builtin() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in _BUILTIN:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:  # a real import error inside an existing profile module
                raise


def known_profiles() -> list[SystemProfile]:
    """The dedicated profiles (not the generic fallback)."""
    _load_builtin()
    return list(_PROFILES.values())


def register(profile: SystemProfile) -> SystemProfile:
    _PROFILES[profile.key] = profile
    _INDEX.pop(profile.key, None)
    return profile


# Document spellings of entity names that no plural/singular form reaches, per system key:
# the small committed alias table (`difi Enheter` is Enhetsregisteret's `enheter`).
ENTITY_ALIASES: dict[str, dict[str, str]] = {
    # Exact's reference names the lines of a sales order `SalesOrderLines` in salesorder/;
    # documents also say "Sales order line(s)" and "Order lines".
    "exact": {"order lines": "SalesOrderLines"},
    # Tripletex's order lines live at order/orderline; documents say "Order line(s)".
    "tripletex": {"order lines": "orderline"},
}
_INDEX: dict[str, tuple[int, dict[str, EntityProfile]]] = {}
# Generic profiles by the name asked for: every checklist step asks again for the same few
# names, and building one each time was most of what profile_for cost. A registered
# profile is looked up first, so one registered later still wins.
_GENERIC: dict[str, SystemProfile] = {}
_GENERIC_KEPT = 1024


def profile_for(name: str) -> SystemProfile:
    """The profile of a system by any spelling of its name; generic if none is known."""
    _load_builtin()
    key = system_key(name)
    known = _PROFILES.get(key)
    if known is not None:
        return known
    generic = _GENERIC.get(name)
    if generic is None:
        if len(_GENERIC) >= _GENERIC_KEPT:
            _GENERIC.clear()
        generic = _GENERIC[name] = SystemProfile(
            key=key, display_name=name, style=ApiStyle.GENERIC, entities={}, generic=True)
    return generic


def _forms(name: str) -> set[str]:
    """Lower-case singular and plural forms of an entity name, qualifier dropped, with and
    without spaces, hyphens and underscores (`Sales Order Lines` is `salesorderlines`)."""
    base = name.split(" (")[0].strip().lower()
    squeezed = "".join(ch for ch in base if ch.isalnum() or ch == "/")
    return _inflections(base) | _inflections(squeezed)


def _inflections(base: str) -> set[str]:
    forms = {base}
    if base.endswith("ies"):
        forms.add(base[:-3] + "y")
    elif base.endswith("s"):
        forms.add(base[:-1])
    if base.endswith("y"):
        forms.add(base[:-1] + "ies")
    forms.add(base + "s")
    return forms


def generic_resource(name: str) -> str:
    """`Contact` -> `contact`, `Customers (human data)` -> `customers`."""
    return "-".join(name.split(" (")[0].strip().lower().split())


def generic_entity(system: str, name: str) -> EntityProfile:
    return EntityProfile(
        system=system,
        name=name.split(" (")[0].strip(),
        resource=generic_resource(name),
        id_field="id",
        modified_field="updated_at",
        change_read=ChangeRead.UPDATED_SINCE,
        list_key="items",
        generic=True,
    )


def _index(profile: SystemProfile) -> dict[str, EntityProfile]:
    """Every form of every entity name of a profile -> the entity (first name wins)."""
    cached = _INDEX.get(profile.key)
    if cached is not None and cached[0] == id(profile):
        return cached[1]
    index: dict[str, EntityProfile] = {}
    for entity in profile.entities.values():
        for form in sorted(_forms(entity.name)):
            index.setdefault(form, entity)
    for alias, target in ENTITY_ALIASES.get(profile.key, {}).items():
        if target in profile.entities:
            for form in _forms(alias):
                index.setdefault(form, profile.entities[target])
    _INDEX[profile.key] = (id(profile), index)
    return index


def resolve_entity(profile: SystemProfile, name: str) -> EntityProfile:
    """`Companies`, `Company`, `companies` all find Keap's Companies.

    A name that a dedicated profile does not have is not emulated generically: it comes
    back `unsupported`, saying why (its description lacks it, or talk does not serve it).
    """
    index = _index(profile)
    for form in sorted(_forms(name)):
        if form in index:
            return index[form]
    entity = generic_entity(profile.key, name)
    if profile.generic:
        return entity
    reason = _unserved_reason(profile, name, entity.name)
    return dataclasses.replace(entity, generic=False, unsupported=reason, can_create=False,
                               can_update=False, can_read=False)


def _unserved_reason(profile: SystemProfile, name: str, shown: str) -> str:
    """Why a dedicated profile has no such entity: its description lacks it, or talk serves
    only part of what the description has."""
    forms = _forms(name)
    served = ", ".join(sorted(profile.entities))
    if any(forms & _forms(other) for other in profile.unserved):
        return (f"{profile.display_name} {shown!r} is in {profile.description}, but talk "
                f"serves only {served} of it: not checked")
    if not profile.description:
        return f"{profile.display_name} has no entity {shown!r}: talk knows only {served}"
    return (f"{profile.display_name} has no entity {shown!r}: "
            f"{profile.description} does not describe it")


_EMULATED_API = {
    ApiStyle.KEAP: "Keap REST v1 emulator",
    ApiStyle.WEBCRM: "WebCRM REST v1 emulator",
    ApiStyle.EXACT: "Exact Online REST v1 (OData) emulator",
    ApiStyle.DESCRIBED: "emulator from its API description",
}


def emulation_kind(name: str) -> str:
    """Which emulation serves a system: its own API style's, or the generic one."""
    profile = profile_for(name)
    if profile.generic:
        return "generic JSON REST emulation (no dedicated profile)"
    return _EMULATED_API.get(profile.style, f"{profile.style} emulator")


def emulation_note(name: str) -> str:
    """What a system is checked against, for reports: its own API (and the description
    and version it was checked against), or the generic one."""
    profile = profile_for(name)
    note = emulation_kind(name)
    if profile.generic or not profile.description:
        return note
    assumed = f"; assumed where it is silent: {'; '.join(profile.assumed)}" \
        if profile.assumed else ""
    return f"{note}, described by {profile.description}{assumed}"
