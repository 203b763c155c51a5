"""Checklist items and lint judged against API descriptions: a read-only field, a missing
required field, a read-only API, a type disagreement and a property the API lacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from project import REPO, make_project

from talk.dataflow.lint import lint_file

pytest_plugins = ["pytester"]

DATA = REPO / "tests" / "harness" / "data"
DOCUMENTS = [DATA / f"customcrm-to-{name}.rst"
             for name in ("exact", "freshteam", "difi", "exact-spaceships", "shopify")]


def _items(pytester: pytest.Pytester) -> dict[tuple[str, str, int], dict[str, Any]]:
    make_project(pytester.path, DOCUMENTS)
    pytester.runpytest("features", "-p", "no:randomly")
    results = json.loads((pytester.path / "reports" / "results.json").read_text("utf-8"))
    return {(Path(document["file"]).stem.removeprefix("customcrm-to-"), item["kind"],
             item["line"]): item for document in results["documents"]
            for section in document["sections"] for item in section["items"]}


def test_items_say_what_the_description_forbids(pytester: pytest.Pytester) -> None:
    items = _items(pytester)
    first, full = items[("exact", "property", 21)], items[("exact", "property", 24)]
    assert first["status"] == "passed", first
    assert full["status"] == "unsupported", full
    assert "FullName is read-only in exact Contacts (Exact Online REST API reference" in \
        full["message"]
    for kind in ("edited_in_source", "edited_in_target"):
        edit = items[("exact", kind, 11)]
        assert edit["status"] == "unsupported", edit  # FullName cannot carry the edit
        assert "FullName is read-only" in edit["message"]
    for line in (21, 24):  # sent inside Shopify's {"customer": ...} envelope
        assert items[("shopify", "property", line)]["status"] == "passed"
    worker = items[("freshteam", "synchronized", 9)]
    assert worker["status"] == "unsupported", worker
    assert "requires role_ids" in worker["message"]
    ship = items[("exact-spaceships", "synchronized", 9)]
    assert ship["status"] == "unsupported", ship
    assert "Exact Online has no entity 'Spaceships'" in ship["message"]
    address = items[("exact-spaceships", "property", 39)]
    assert address["status"] == "passed", address
    firm = items[("difi", "synchronized", 9)]
    assert firm["status"] == "unsupported", firm
    assert "read-only for enheter" in firm["message"]


def test_lint_warns_on_types_unknown_paths_and_read_only_writes() -> None:
    messages = {(f.line, f.message) for f in lint_file(DATA / "customcrm-to-tripletex.rst"
                                                       ).findings}
    assert (24, 'invoicesDueIn is documented as "string" but tripletex customer declares it '
                "integer") in messages
    unknown = {line: m for line, m in messages if "is not in tripletex customer" in m}
    assert "likely a field newer than the description" in unknown[27]
    assert "likely a typo of 'email'" in unknown[30]
    assert not any(line == 21 for line, _ in messages)
    exact = {(f.line, f.level) for f in lint_file(DATA / "customcrm-to-exact.rst").findings}
    assert exact == {(24, "warning")}  # FullName is read-only
    freshteam = lint_file(DATA / "customcrm-to-freshteam.rst").findings
    assert [f.line for f in freshteam] == [7]
    assert "requires role_ids" in freshteam[0].message
