"""Stateful emulations of the systems' REST APIs, one class per API style."""

from __future__ import annotations

import importlib
from typing import Any

from talk.emulator.base import Clock, Emulator, HttpRequest, HttpResponse
from talk.systems.profile import ApiStyle, SystemProfile

__all__ = ["Clock", "Emulator", "HttpRequest", "HttpResponse", "emulator_for"]

_CLASSES = {
    ApiStyle.KEAP: ("talk.emulator.keap", "KeapEmulator"),
    ApiStyle.WEBCRM: ("talk.emulator.webcrm", "WebcrmEmulator"),
    ApiStyle.EXACT: ("talk.emulator.exact", "ExactEmulator"),
    ApiStyle.DESCRIBED: ("talk.emulator.described", "DescribedEmulator"),
    ApiStyle.GENERIC: ("talk.emulator.generic", "GenericEmulator"),
}


def emulator_for(profile: SystemProfile, base_url: str, **options: Any) -> Emulator:
    """The emulator of a system's API style, serving under `base_url`."""
    module, name = _CLASSES[profile.style]
    cls = getattr(importlib.import_module(module), name)
    emulator: Emulator = cls(profile, base_url, **options)
    return emulator
