"""WebCRM's update (GET, merge, PUT) reuses a record the connector has just read, and only
then: the sync reads a record to compare it, then writes it, in two requests, not three."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from talk.connectors import connector_for
from talk.connectors.base import Connector, RetryPolicy
from talk.emulator import Emulator, emulator_for
from talk.emulator.mock import serving
from talk.systems.registry import profile_for, resolve_entity

BASE = "https://webcrm.emulated"
PROFILE = profile_for("WebCRM")
ORGANISATIONS = resolve_entity(PROFILE, "Organisations")
PERSONS = resolve_entity(PROFILE, "Persons")


@dataclass
class Setup:
    emulator: Emulator
    connector: Connector


@pytest.fixture
def webcrm() -> Iterator[Setup]:
    emulator = emulator_for(PROFILE, BASE)
    connector = connector_for(PROFILE, BASE, "token", retry=RetryPolicy(sleep=lambda s: None))
    with serving(emulator):
        yield Setup(emulator, connector)


def _methods(webcrm: Setup) -> list[str]:
    return [r.method for r in webcrm.emulator.requests]


def test_update_right_after_get_of_that_record_reads_it_once(webcrm: Setup) -> None:
    stored = webcrm.emulator.seed("Organisations", {"OrganisationName": "Acme",
                                                    "OrganisationCity": "Oslo"})
    key = str(stored["OrganisationId"])
    record = webcrm.connector.get(ORGANISATIONS, key)
    assert record is not None
    record["OrganisationName"] = "changed by the caller, not to be sent"
    webcrm.connector.update(ORGANISATIONS, key, {"OrganisationCity": "Bergen"})
    assert _methods(webcrm) == ["GET", "PUT"]
    after = webcrm.emulator.record("Organisations", key)
    assert (after["OrganisationName"], after["OrganisationCity"]) == ("Acme", "Bergen")


def test_update_reads_again_after_any_other_request(webcrm: Setup) -> None:
    first = webcrm.emulator.seed("Organisations", {"OrganisationName": "Acme"})
    other = webcrm.emulator.seed("Organisations", {"OrganisationName": "Other"})
    key = str(first["OrganisationId"])
    webcrm.connector.get(ORGANISATIONS, key)
    webcrm.connector.get(ORGANISATIONS, str(other["OrganisationId"]))
    webcrm.connector.update(ORGANISATIONS, key, {"OrganisationCity": "Bergen"})
    assert _methods(webcrm) == ["GET", "GET", "GET", "PUT"]


def test_update_of_another_entity_with_the_same_id_reads_it(webcrm: Setup) -> None:
    organisation = webcrm.emulator.seed("Organisations", {"OrganisationName": "Acme"})
    key = str(organisation["OrganisationId"])
    webcrm.connector.get(ORGANISATIONS, key)
    with pytest.raises(Exception, match="does not exist"):
        webcrm.connector.update(PERSONS, key, {"PersonFirstName": "Ada"})
    assert _methods(webcrm) == ["GET", "GET"]


def test_a_second_update_reads_the_record_again(webcrm: Setup) -> None:
    stored = webcrm.emulator.seed("Organisations", {"OrganisationName": "Acme"})
    key = str(stored["OrganisationId"])
    webcrm.connector.get(ORGANISATIONS, key)
    webcrm.connector.update(ORGANISATIONS, key, {"OrganisationCity": "Bergen"})
    webcrm.connector.update(ORGANISATIONS, key, {"OrganisationTelephone": "1"})
    assert _methods(webcrm) == ["GET", "PUT", "GET", "PUT"]
    after = webcrm.emulator.record("Organisations", key)
    assert (after["OrganisationCity"], after["OrganisationTelephone"]) == ("Bergen", "1")
