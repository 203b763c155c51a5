"""Reports say what each system was checked against (DESIGN: generic emulation is named)."""

from __future__ import annotations

from pathlib import Path

from talk.report import render
from talk.report.results import DocumentResult, Item, Results, SectionResult, load_results
from talk.systems.registry import emulation_note


def test_systems_without_a_profile_are_named_generic() -> None:
    assert emulation_note("Customcrm") == "generic JSON REST emulation (no dedicated profile)"
    exact = emulation_note("Exact Online")
    assert exact.startswith("Exact Online REST v1 (OData) emulator, described by Exact Online "
                            "REST API reference 2022-03 (exact-online-rest-2022.metadata.json)"
                            "; assumed where it is silent: ")
    assert "paging: 60 rows and __next" in exact
    assert emulation_note("Webcrm").startswith(
        "WebCRM REST v1 emulator, described by webCRM REST API v1 (webcrm-v1.swagger.json)")
    tripletex = emulation_note("Tripletex")
    assert tripletex.startswith("emulator from its API description, described by Tripletex "
                                "API 2.72.00 (tripletex-v2.openapi.json); assumed where it is "
                                "silent: changes: read in full")
    assert "refused writes: 422 in the tripletex error shape" in tripletex


def test_the_document_page_and_results_file_carry_the_emulation(tmp_path: Path) -> None:
    document = DocumentResult(
        file="dataflows/customcrm-to-exact.rst", title="Customcrm to Exact Dataflow",
        source_system="Customcrm", target_system="Exact",
        sections=[SectionResult("Customcrm Contact to Exact Contacts", 12, [
            Item(kind="synchronized", text="Every Customcrm Contact ...", line=14,
                 status="passed")])],
        emulation={"Customcrm": emulation_note("Customcrm"), "Exact": emulation_note("Exact")})
    results = Results(generated_at="2026-11-23T00:00:00+00:00", documents=[document]).finish()
    results.write(tmp_path / "results.json")
    assert load_results(tmp_path / "results.json").documents[0].emulation == document.emulation
    render(results, tmp_path)
    page = (tmp_path / "customcrm-to-exact.html").read_text(encoding="utf-8")
    assert "Customcrm checked against</dt><dd>generic JSON REST emulation" in page
    assert "Exact checked against</dt><dd>Exact Online REST v1 (OData) emulator" in page
