"""How each emulator applies a change: server-assigned fields stay, and a null clears the
field where the API's serializer leaves nulls out (Keap's Gson, WebCRM's Json.NET)."""

from __future__ import annotations

import pytest

from talk.emulator import emulator_for
from talk.systems.registry import profile_for, resolve_entity

# system, entity, a writable field, a server-assigned field, whether a null clears the field
CASES = [
    ("keap", "Companies", "website", "id", True),
    ("webcrm", "Organisations", "OrganisationWww", "OrganisationId", True),
    ("exact", "Accounts", "Website", "ID", False),
    ("customerp", "Customer", "website", "id", False),
]


@pytest.mark.parametrize(("system", "entity", "writable", "assigned", "null_clears"), CASES)
def test_a_change_keeps_assigned_fields_and_treats_null_as_the_api_does(
        system: str, entity: str, writable: str, assigned: str, null_clears: bool) -> None:
    emulator = emulator_for(profile_for(system), f"https://{system}.emulated")
    name = resolve_entity(profile_for(system), entity).name
    stored = emulator.seed(name, {writable: "https://acme.example"})
    record_id = stored[assigned]

    changed = emulator.edit(name, record_id, {assigned: "someone else's", writable: None})

    assert changed[assigned] == record_id
    if null_clears:
        assert writable not in changed
    else:
        assert writable in changed and changed[writable] is None
    assert emulator.record(name, record_id) == changed
