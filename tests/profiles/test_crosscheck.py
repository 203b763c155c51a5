"""The three hand-written profiles against their descriptions: every difference is listed
here with why it is kept; a new one (or one gone) fails until it is explained."""

from __future__ import annotations

import dataclasses

import pytest

from talk.profiles.crosscheck import differences
from talk.profiles.distilled import load
from talk.systems.profile import FieldType
from talk.systems.registry import profile_for

KNOWN = {
    "keap": [
        # createContact's description says so in words, not in a `required` list.
        "Contacts: create requires ['email_addresses', 'phone_numbers'] (description: "
        "nothing)",
        # Read with `optional_properties`; the v1 description's contact schema lacks them.
        "Contacts: field relationships is not in the description",
        "Contacts: field tag_ids is not in the description",
    ],
    "webcrm": [],
    # Exact's documentation marks Name mandatory; the JSON reference has no required flags.
    "exact": ["Accounts: create requires ['Name'] (description: nothing)"],
}


@pytest.mark.parametrize("system", sorted(KNOWN))
def test_hand_written_profiles_differ_from_their_descriptions_only_as_listed(
        system: str) -> None:
    assert differences(profile_for(system), load(system)) == KNOWN[system]


def test_a_changed_fact_shows_as_a_difference() -> None:
    keap = profile_for("keap")
    companies = keap.entities["Companies"]
    changed = dataclasses.replace(companies, can_delete=True, field_types={
        **companies.field_types, "company_name": FieldType.INTEGER})
    profile = dataclasses.replace(keap, entities={"Companies": changed})
    assert differences(profile, load("keap")) == [
        "Companies: delete offered (description: not offered)",
        "Companies: field company_name is integer (description: string)"]
