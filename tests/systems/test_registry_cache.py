"""profile_for keeps the generic profile of an unknown system (every step asks again),
without hiding a profile registered later under the same name."""

from __future__ import annotations

import dataclasses

from talk.systems import registry
from talk.systems.registry import profile_for, register


def test_an_unknown_system_gets_the_same_generic_profile_each_time() -> None:
    first = profile_for("Nowhere CRM 4711")
    assert first.generic and first.display_name == "Nowhere CRM 4711"
    assert profile_for("Nowhere CRM 4711") is first


def test_a_profile_registered_later_wins_over_the_kept_generic_one() -> None:
    generic = profile_for("Latecomer ERP 4711")
    dedicated = dataclasses.replace(generic, generic=False)
    register(dedicated)
    try:
        assert profile_for("Latecomer ERP 4711") is dedicated
    finally:
        registry._PROFILES.pop(dedicated.key, None)
    assert profile_for("Latecomer ERP 4711").generic
