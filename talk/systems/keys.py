"""System keys: the one name a system goes by everywhere (docs/design.md#system-keys)."""

from __future__ import annotations

import re

__all__ = ["ALIASES", "system_key"]

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

# Profiles may add aliases: several spellings that are one system.
ALIASES: dict[str, str] = {
    "exactonline": "exact",
}


def system_key(name: str) -> str:
    """`Custom ERP` -> `customerp`, `Wix.com` -> `wixcom`, `Exact Online` -> `exact`."""
    key = _NOT_ALNUM.sub("", name.lower())
    return ALIASES.get(key, key)
