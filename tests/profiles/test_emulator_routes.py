"""A described emulator works out its entities' record-path patterns once per profile:
every checklist scenario builds its emulators anew."""

from __future__ import annotations

import pytest

from talk.emulator import described, emulator_for
from talk.systems.registry import profile_for


def test_a_second_emulator_of_one_profile_compiles_no_pattern(
        monkeypatch: pytest.MonkeyPatch) -> None:
    profile = profile_for("Asana")
    base = f"https://{profile.key}.emulated{profile.base_path}"
    emulator_for(profile, base)
    calls: list[str] = []
    original = described.record_url_pattern

    def counted(entity):  # type: ignore[no-untyped-def]
        calls.append(entity.name)
        return original(entity)

    monkeypatch.setattr(described, "record_url_pattern", counted)
    second = emulator_for(profile, base)
    assert calls == []
    assert second._routes is described._routes_of(profile)
    assert len(second._routes) == len(profile.entities)
