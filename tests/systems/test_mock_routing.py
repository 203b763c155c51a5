"""The emulators behind `responses`: one registration per system, no calls kept."""

from __future__ import annotations

import requests

from talk.emulator import emulator_for
from talk.emulator.mock import serving
from talk.systems.registry import profile_for

HEADERS = {"Authorization": "Bearer token"}


def test_one_registration_per_system_answers_every_method_and_keeps_no_calls() -> None:
    crm = emulator_for(profile_for("CustomCRM"), "https://customcrm.emulated")
    erp = emulator_for(profile_for("CustomERP"), "https://customerp.emulated")
    with serving(crm, erp) as mock:
        assert len(mock.registered()) == 2
        created = requests.post("https://customerp.emulated/Contact", json={"name": "A"},
                                headers=HEADERS, timeout=5)
        assert created.status_code in (200, 201), created.text
        record = created.json()
        for _ in range(20):
            listed = requests.get("https://customerp.emulated/Contact", headers=HEADERS,
                                  timeout=5)
            assert listed.status_code == 200
        changed = requests.put(f"https://customerp.emulated/Contact/{record['id']}",
                               json={"name": "B"}, headers=HEADERS, timeout=5)
        assert changed.status_code == 200, changed.text
        assert erp.records("Contact")[0]["name"] == "B"
        assert crm.records("Contact") == []
        assert len(mock.calls) <= 1
        assert all(len(route.calls) == 0 for route in mock.registered())
