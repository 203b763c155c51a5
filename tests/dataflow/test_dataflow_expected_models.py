"""`talk lint --format json` on the real documents matches their models, written out here
section by section and row by row (issue 2, first acceptance point)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from talk.cli import main

ROOT = Path(__file__).resolve().parents[2]
DATAFLOWS = ROOT / "dataflows"
EXAMPLES = ROOT / "tests" / "data"


def ref(system: str, entity: str, qualifier: str | None = None) -> dict[str, Any]:
    return {"system": system, "entity": entity, "qualifier": qualifier}


def prop(source: str, target: str, type_: str, line: int,
         condition: str | None = None) -> dict[str, Any]:
    return {"source": source, "target": target, "type": type_, "condition": condition,
            "line": line}


def merge(source: str, target: str, line: int, condition: str | None = None) -> dict[str, Any]:
    return {"source": source, "target": target, "condition": condition, "line": line}


def section(title: str, line: int, source: dict[str, Any], target: dict[str, Any], *,
            shape: int = 1, properties: list[dict[str, Any]] | None = None,
            merge_criteria: list[dict[str, Any]] | None = None, condition: str | None = None,
            connected_to: list[str] | None = None,
            duplicate_of: int | None = None) -> dict[str, Any]:
    return {"title": title, "line": line, "shape": shape, "source": source, "target": target,
            "properties": properties or [], "merge_criteria": merge_criteria or [],
            "condition": condition, "connected_to": connected_to or [],
            "duplicate_of": duplicate_of}


STRING = '"string"'
CUSTOMCRM, EXACT, KEAP = "Customcrm", "Exact", "Keap"

EXPECTED: dict[str, dict[str, Any]] = {
    "customcrm-to-customcrm.rst": {
        "source_system": CUSTOMCRM, "target_system": CUSTOMCRM,
        "generated": "2024-09-10 14:16:17",
        "sections": [
            section("Customcrm Contact to Customcrm Product", 12,
                    ref(CUSTOMCRM, "Contact"), ref(CUSTOMCRM, "Product")),
            section("Customcrm Order to Customcrm User", 28,
                    ref(CUSTOMCRM, "Order"), ref(CUSTOMCRM, "User")),
            section("Customcrm Product to Customcrm Contact", 44,
                    ref(CUSTOMCRM, "Product"), ref(CUSTOMCRM, "Contact")),
            section("Customcrm User to Customcrm Order", 60,
                    ref(CUSTOMCRM, "User"), ref(CUSTOMCRM, "Order")),
        ],
    },
    "customcrm-to-exact.rst": {
        "source_system": CUSTOMCRM, "target_system": EXACT,
        "generated": "2024-09-10 14:10:18",
        "sections": [
            section("Customcrm Contact to Exact Contacts", 12,
                    ref(CUSTOMCRM, "Contact"), ref(EXACT, "Contacts")),
            section("Customcrm Customer to Exact Accounts", 28,
                    ref(CUSTOMCRM, "Customer"), ref(EXACT, "Accounts")),
            section("Customcrm Product to Exact Contacts", 44,
                    ref(CUSTOMCRM, "Product"), ref(EXACT, "Contacts")),
        ],
    },
    "customerp-to-keap.rst": {
        "source_system": "CustomERP", "target_system": KEAP,
        "generated": "2024-09-11 08:02:19",
        "sections": [
            section("Custom Contact to Keap Contacts", 12,
                    ref("CustomERP", "Contact"), ref(KEAP, "Contacts")),
            section("Custom Customer to Keap Companies", 28,
                    ref("CustomERP", "Customer"), ref(KEAP, "Companies")),
            section("Custom Employee to Keap Contacts", 44,
                    ref("CustomERP", "Employee"), ref(KEAP, "Contacts")),
            section("CustomERP Product to Keap Product", 60,
                    ref("CustomERP", "Product"), ref(KEAP, "Product")),
        ],
    },
    "customerp-to-webcrm.rst": {
        "source_system": "CustomERP", "target_system": "WebCRM",
        "generated": "2024-09-11 08:49:20",
        "sections": [
            section("CustomERP Customer to WebCRM Organisations", 12,
                    ref("CustomERP", "Customer"), ref("WebCRM", "Organisations")),
            section("CustomERP Contact to WebCRM Persons", 28,
                    ref("CustomERP", "Contact"), ref("WebCRM", "Persons")),
            section("CustomERP Product to WebCRM Products", 44,
                    ref("CustomERP", "Product"), ref("WebCRM", "Products")),
        ],
    },
    "keap-to-webcrm.rst": {
        "source_system": KEAP, "target_system": "Webcrm",
        "generated": "2024-09-08 00:00:02",
        "sections": [
            section("Keap Companies to Webcrm Organisations", 12,
                    ref(KEAP, "Companies"), ref("Webcrm", "Organisations"),
                    properties=[prop("company_name", "OrganisationName", STRING, 26)]),
            section("Keap Opportunity to Webcrm Opportunities", 31,
                    ref(KEAP, "Opportunity"), ref("Webcrm", "Opportunities")),
            section("Keap Product to Webcrm Products", 47,
                    ref(KEAP, "Product"), ref("Webcrm", "Products"),
                    properties=[prop("product_price", "ProductPrice", STRING, 61)]),
            section("Keap Users to Webcrm Users", 66,
                    ref(KEAP, "Users"), ref("Webcrm", "Users"),
                    properties=[prop("email_address", "UserEmail", STRING, 80),
                                prop("job_title", "UserTitle", STRING, 83)]),
        ],
    },
}

ORGNR = "Dependant on having NO in Country.TwoLetterISOCountry"
SUPEROFFICE, TRIPLETEX = "SuperOffice", "Tripletex"
EXACT_ONLINE, BUSINESS_CENTRAL = "Exact Online", "Business Central"

EXPECTED_EXAMPLES: dict[str, dict[str, Any]] = {
    "exact-online-to-business-central.rst": {
        "source_system": EXACT_ONLINE, "target_system": BUSINESS_CENTRAL,
        "generated": "2024-10-02 09:20:11",
        "sections": [
            section("Exact Online Accounts (organisation data) to Business Central Customers "
                    "(organisation data)", 12,
                    ref(EXACT_ONLINE, "Accounts", "organisation data"),
                    ref(BUSINESS_CENTRAL, "Customers", "organisation data"),
                    properties=[prop("City", "city", STRING, 26),
                                prop("Name", "displayName", STRING, 29),
                                prop("Website", "website", STRING, 32)]),
            section("Exact Online Contacts to Business Central Contacts (human data)", 37,
                    ref(EXACT_ONLINE, "Contacts"),
                    ref(BUSINESS_CENTRAL, "Contacts", "human data")),
            section("Exact Online Contacts to Business Central Contacts (human data)", 53,
                    ref(EXACT_ONLINE, "Contacts"),
                    ref(BUSINESS_CENTRAL, "Contacts", "human data"), duplicate_of=37),
        ],
    },
    "superoffice-to-tripletex.rst": {
        "source_system": SUPEROFFICE, "target_system": TRIPLETEX,
        "generated": "2024-10-02 09:15:40",
        "sections": [
            section("SuperOffice Contact to Tripletex Customer", 12,
                    ref(SUPEROFFICE, "Contact"), ref(TRIPLETEX, "Customer"), shape=2,
                    merge_criteria=[merge("Emails.Value", "email", 23),
                                    merge("OrgNr", "organizationNumber", 25, ORGNR)],
                    properties=[
                        prop("Address.Postal.City", "postalAddress.city", STRING, 38),
                        prop("Address.Postal.City", "physicalAddress.city", STRING, 41),
                        prop("Emails.Value", "email", STRING, 44),
                        prop("Name", "name", STRING, 47),
                        prop("NumberOfEmployees", "numberOfEmployees", '"integer"', 50),
                        prop("OrgNr", "organizationNumber", STRING, 53, ORGNR),
                        prop("Phones.Value", "phoneNumber", "N/A", 56),
                        prop("Stop", "isInactive", '"boolean"', 59),
                    ]),
            section("SuperOffice Person (human data) to Tripletex Contact", 64,
                    ref(SUPEROFFICE, "Person", "human data"), ref(TRIPLETEX, "Contact"),
                    shape=5, merge_criteria=[merge("Emails.Value", "email", 79)],
                    properties=[prop("Emails.Value", "email", STRING, 92),
                                prop("Firstname", "firstName", STRING, 95),
                                prop("Lastname", "lastName", STRING, 98)]),
            section("SuperOffice Sale to Tripletex Order", 103,
                    ref(SUPEROFFICE, "Sale"), ref(TRIPLETEX, "Order"), shape=3,
                    condition="When a SuperOffice Sale has status Sold",
                    properties=[
                        prop("Amount", "amount", '"float"', 117),
                        prop("SaleDate", "orderDate", '"datetime-format","%Y-%m-%d","_."]', 120),
                    ]),
            section("SuperOffice Product to Tripletex Product", 125,
                    ref(SUPEROFFICE, "Product"), ref(TRIPLETEX, "Product"), shape=4,
                    connected_to=["SuperOffice Sale", "Quote"],
                    properties=[prop("Name", "name", STRING, 141),
                                prop("UnitListPrice", "priceExcludingVatCurrency",
                                     '"decimal"', 144)]),
        ],
    },
}


def lint_json(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, list[Any]]:
    code = main(["lint", "--format", "json", *map(str, paths)])
    return code, json.loads(capsys.readouterr().out)


def test_lint_json_of_the_five_dataflows_matches_the_expected_models(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, files = lint_json(capsys, DATAFLOWS)
    assert code == 0
    assert [Path(f["file"]).name for f in files] == sorted(EXPECTED)
    for entry in files:
        expected = EXPECTED[Path(entry["file"]).name]
        for key in ("source_system", "target_system", "generated"):
            assert entry[key] == expected[key], (entry["file"], key)
        assert len(entry["sections"]) == len(expected["sections"]), entry["file"]
        for got, want in zip(entry["sections"], expected["sections"], strict=True):
            assert got == want, (entry["file"], want["title"])


def test_lint_json_of_the_two_examples_matches_the_expected_models(
        capsys: pytest.CaptureFixture[str]) -> None:
    names = sorted(EXPECTED_EXAMPLES)
    code, files = lint_json(capsys, *(EXAMPLES / name for name in names))
    assert code == 0
    for entry, name in zip(files, names, strict=True):
        expected = EXPECTED_EXAMPLES[name]
        assert {k: entry[k] for k in expected} == expected


def test_keap_to_webcrm_has_four_sections_and_the_users_rows(
        capsys: pytest.CaptureFixture[str]) -> None:
    _, [entry] = lint_json(capsys, DATAFLOWS / "keap-to-webcrm.rst")
    assert len(entry["sections"]) == 4
    users = entry["sections"][3]
    rows = [(p["source"], p["target"], p["type"]) for p in users["properties"]]
    assert rows == [("email_address", "UserEmail", '"string"'),
                    ("job_title", "UserTitle", '"string"')]


def test_three_sections_of_customcrm_to_exact_have_no_properties(
        capsys: pytest.CaptureFixture[str]) -> None:
    _, [entry] = lint_json(capsys, DATAFLOWS / "customcrm-to-exact.rst")
    assert [len(s["properties"]) for s in entry["sections"]] == [0, 0, 0]


def test_duplicate_section_is_kept_and_warned(capsys: pytest.CaptureFixture[str]) -> None:
    _, [entry] = lint_json(capsys, EXAMPLES / "exact-online-to-business-central.rst")
    duplicate = {
        "line": 53, "level": "warning",
        "message": "section 'Exact Online Contacts to Business Central Contacts (human data)' "
                   "repeats the section at line 37; it is used once"}
    assert duplicate in entry["findings"]
    # and, from Business Central's $metadata, the section it keeps cannot create
    assert [f["line"] for f in entry["findings"] if f != duplicate] == [37]
