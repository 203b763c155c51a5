"""Every system with a dedicated profile: a document entity its API does not have is
reported `unsupported` with the reason by the sync and warned about by lint, never
emulated generically (no request reaches the emulator for it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus.small_documents import document, section

from talk.dataflow import parse_text
from talk.dataflow.lint import profile_findings
from talk.sync.emulated import EmulatedSystems
from talk.sync.engine import SyncEngine
from talk.sync.store import SqliteLinkStore
from talk.systems.registry import known_profiles, profile_for, resolve_entity

LINE = 12  # the section's heading in the document below
SYSTEMS = sorted(profile.display_name for profile in known_profiles())


def _document(target: str, entity: str) -> str:
    return document("Customcrm", target, section("Customcrm Ship", f"{target} {entity}",
                                                 [("name", "name", '"string"')],
                                                 type_label=target))


def _sync(tmp_path: Path, target: str, entity: str) -> tuple[list[str], int]:
    """The sync's unsupported reasons and how many requests reached the target's emulator
    for anything but the one document entity."""
    dataflow = parse_text(_document(target, entity), "customcrm-to-target.rst")
    with EmulatedSystems([dataflow]) as systems:
        systems.emulators["customcrm"].seed("Ship", {"name": "Nautilus"})
        report = SyncEngine([dataflow], systems.connectors,
                            SqliteLinkStore(tmp_path / "s.db")).run()
        requests = len(systems.emulators[profile_for(target).key].requests)
    assert report.failed == 0, report.details
    return [d.message for d in report.details if d.kind == "unsupported"], requests


def test_every_dedicated_profile_is_checked() -> None:
    assert {"Keap", "WebCRM", "Exact Online", "Tripletex", "Business Central", "difi",
            "Freshteam", "Asana", "Trello", "Wikidata", "WooCommerce", "Shopify"} <= set(SYSTEMS)


@pytest.mark.parametrize("target", SYSTEMS)
def test_an_entity_the_api_lacks_is_reported_not_emulated(tmp_path: Path, target: str) -> None:
    entity = resolve_entity(profile_for(target), "Spaceships")
    assert not entity.generic and entity.unsupported, target
    reasons, requests = _sync(tmp_path, target, "Spaceships")
    assert reasons and all("has no entity 'Spaceships'" in r for r in reasons), reasons
    assert requests == 0  # nothing was read from or written to a generic stand-in
    findings = profile_findings(parse_text(_document(target, "Spaceships"), "d.rst"))
    assert [(f.line, f.level) for f in findings] == [(LINE, "warning")]
    assert findings[0].message == reasons[0]


def test_keap_names_an_entity_its_description_has_but_talk_does_not_serve(
        tmp_path: Path) -> None:
    reasons, requests = _sync(tmp_path, "Keap", "Tags")
    assert set(reasons) == {
        "Keap 'Tags' is in Keap REST API 1.70.0.453309-hf-202203291431 (keap-v1.openapi.yml), "
        "but talk serves only Companies, Contacts, Opportunity, Product, Users of it: "
        "not checked"}
    assert requests == 0
    assert resolve_entity(profile_for("Keap"), "Company").name == "Companies"
