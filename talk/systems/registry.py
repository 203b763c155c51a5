"""Find the profile of a system and entity by the names documents use.

Unknown systems and entities get the generic JSON REST profile: nothing crashes on a
name it does not know.
"""

from __future__ import annotations

import importlib

from talk.systems.keys import system_key
from talk.systems.profile import ApiStyle, ChangeRead, EntityProfile, SystemProfile

__all__ = [
    "emulation_note",
    "generic_entity",
    "known_profiles",
    "profile_for",
    "register",
    "resolve_entity",
]

_PROFILES: dict[str, SystemProfile] = {}
# Modules that define (and `register`) the dedicated profiles; imported on first use.
_BUILTIN = ("talk.systems.keap", "talk.systems.webcrm", "talk.systems.exact")
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
    return profile


def profile_for(name: str) -> SystemProfile:
    """The profile of a system by any spelling of its name; generic if none is known."""
    _load_builtin()
    key = system_key(name)
    known = _PROFILES.get(key)
    if known is not None:
        return known
    return SystemProfile(key=key, display_name=name, style=ApiStyle.GENERIC, entities={},
                         generic=True)


def _forms(name: str) -> set[str]:
    """Lower-case singular and plural forms of an entity name, qualifier dropped."""
    base = name.split(" (")[0].strip().lower()
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


def resolve_entity(profile: SystemProfile, name: str) -> EntityProfile:
    """`Companies`, `Company`, `companies` all find Keap's Companies."""
    wanted = _forms(name)
    for entity in profile.entities.values():
        if _forms(entity.name) & wanted:
            return entity
    return generic_entity(profile.key, name)


_EMULATED_API = {
    ApiStyle.KEAP: "Keap REST v1 emulator",
    ApiStyle.WEBCRM: "WebCRM REST v1 emulator",
    ApiStyle.EXACT: "Exact Online REST v1 (OData) emulator",
}


def emulation_note(name: str) -> str:
    """What a system is checked against, for reports: its own API, or the generic one."""
    profile = profile_for(name)
    if profile.generic:
        return "generic JSON REST emulation (no dedicated profile)"
    return _EMULATED_API.get(profile.style, f"{profile.style} emulator")
