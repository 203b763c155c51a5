"""A document naming an entity the system's API does not have: the sync reports the
section `unsupported` with the reason (no read, no 404 failure) and lint warns."""

from __future__ import annotations

from pathlib import Path

from talk.dataflow import parse_text
from talk.dataflow.lint import profile_findings
from talk.sync.emulated import EmulatedSystems
from talk.sync.engine import SyncEngine
from talk.sync.store import SqliteLinkStore

DATA = Path(__file__).parents[1] / "harness" / "data"
DOCUMENT = (DATA / "customcrm-to-exact-spaceships.rst").read_text()


def test_an_entity_the_api_lacks_is_unsupported_and_one_it_has_syncs(tmp_path: Path) -> None:
    dataflow = parse_text(DOCUMENT, "customcrm-to-exact.rst")
    with EmulatedSystems([dataflow]) as systems:
        systems.emulators["customcrm"].seed("Ship", {"name": "Nautilus"})
        systems.emulators["customcrm"].seed("Place", {"street": "Main 1"})
        report = SyncEngine([dataflow], systems.connectors,
                            SqliteLinkStore(tmp_path / "s.db")).run()
        addresses = systems.emulators["exact"].records("Addresses")
    assert report.failed == 0, report.details
    reasons = [d.message for d in report.details if d.kind == "unsupported"]
    assert set(reasons) == {"Exact Online has no entity 'Spaceships': Exact Online REST API "
                       "reference 2022-03 (exact-online-rest-2022.metadata.json) does not "
                       "describe it"}
    assert [a["AddressLine1"] for a in addresses] == ["Main 1"]


def test_lint_warns_on_the_section_whose_entity_the_api_lacks() -> None:
    dataflow = parse_text(DOCUMENT, "customcrm-to-exact.rst")
    findings = profile_findings(dataflow)
    assert [(f.line, f.level) for f in findings] == [(7, "warning")]
    assert "has no entity 'Spaceships'" in findings[0].message
