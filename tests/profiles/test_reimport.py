"""Every description in ../shared/specs has a committed profile, and a fresh import of it
gives the committed bytes (so a profile is never edited by hand or left stale)."""

from __future__ import annotations

from pathlib import Path

import pytest

from talk.profiles.distilled import available, dump
from talk.profiles.importer import import_description

SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "specs"
DATA = Path(__file__).resolve().parents[2] / "talk" / "profiles" / "data"
# Description file -> the system key the documents use for that system.
DESCRIPTIONS = {
    "exact-online-rest-2022.metadata.json": "exact",
    "webcrm-v1.swagger.json": "webcrm",
    "keap-v1.openapi.yml": "keap",
    "tripletex-v2.openapi.json": "tripletex",
    "businesscentral-v2.0.metadata.xml": "businesscentral",
    "enhetsregisteret.openapi.json": "difi",
    "freshteam-v1.swagger.json": "freshteam",
    "asana-v1.openapi.yaml": "asana",
    "trello-v1.openapi.json": "trello",
    "wikibase-rest-v1.openapi.json": "wikidata",
    "woocommerce-v3.openapi.yaml": "woocommerce",
    "shopify-admin-2021-10.openapi.yaml": "shopify",
}
needs_specs = pytest.mark.skipif(not SPECS.is_dir(),
                                 reason="../shared/specs (the published descriptions) is absent")


@needs_specs
def test_every_description_in_specs_has_a_profile() -> None:
    found = sorted(p.name for p in SPECS.iterdir() if p.name != "SOURCES.md")
    assert found == sorted(DESCRIPTIONS)
    assert sorted(DESCRIPTIONS.values()) == available()


@needs_specs
@pytest.mark.parametrize(("file", "system"), sorted(DESCRIPTIONS.items()))
def test_reimport_gives_the_committed_bytes(file: str, system: str) -> None:
    fresh = dump(import_description(SPECS / file, system))
    committed = (DATA / f"{system}.json").read_text(encoding="utf-8")
    assert fresh == committed, f"talk profile import {file} --system {system} differs"
