"""Acceptance: the generated checklists run green, and catch a deliberately broken sync."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from project import REPO, make_project

from talk.dataflow.model import Shape
from talk.dataflow.parser import parse_file
from talk.sync.engine import SyncEngine

pytest_plugins = ["pytester"]

DOCUMENTS = sorted((REPO / "dataflows").glob("*.rst"))
EXAMPLES = sorted((REPO / "tests" / "data").glob("*.rst"))
AUTOMATED = {"passed", "unsupported", "not_applicable"}


def implied_items(documents: list[Path]) -> int:
    """What the documents imply: per section its sentences, merge rows and property rows."""
    total = 0
    for document in documents:
        for section in parse_file(document).unique_sections:
            rows = len(section.properties) + sum(
                1 for r in section.properties
                if r.source.condition is not None and r.source.condition.understood)
            total += 3 + len(section.merge_criteria) + max(1, rows)
            total += section.shape in (Shape.CONDITIONAL, Shape.CONNECTED)
    return total


def run(pytester: pytest.Pytester, *args: str, where: str = "features"
        ) -> tuple[pytest.RunResult, dict[str, Any]]:
    result = pytester.runpytest(where, "-p", "no:randomly", *args)
    report = pytester.path / "reports" / "results.json"
    return result, json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}


def items(results: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(item, section=section["title"], file=document["file"])
            for document in results["documents"] for section in document["sections"]
            for item in section["items"]]


def test_the_five_documents_pass_and_count_what_they_imply(pytester: pytest.Pytester) -> None:
    five = pytester
    make_project(five.path, DOCUMENTS)
    result, results = run(five, "--junitxml", "junit.xml")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0, result.stdout.str()[-3000:]
    expected = implied_items(DOCUMENTS)
    assert outcomes.get("passed", 0) + outcomes.get("skipped", 0) == expected
    found = items(results)
    assert len(found) == expected
    assert {item["status"] for item in found} <= AUTOMATED
    for item in found:
        if item["status"] != "passed":
            assert item["message"], item  # unsupported and n/a always say why
    users_back = [i for i in found if i["section"] == "Keap Users to Webcrm Users"
                  and i["kind"] == "edited_in_target"]
    assert users_back[0]["status"] == "unsupported"
    assert "update" in users_back[0]["message"]
    assert all(i["status"] == "unsupported" for i in found
               # docs/design.md#unsupported-sections, docs/design.md#unlinkable-sections
               if i["file"] == "dataflows/customerp-to-keap.rst")
    testcases = list(ET.parse(five.path / "junit.xml").getroot().iter("testcase"))
    assert len(testcases) == expected  # one testcase per checklist item

    price = next(i for i in found if i["file"] == "dataflows/keap-to-webcrm.rst"
                 and i["line"] == 61)
    assert price["status"] == "passed" and price["kind"] == "property"
    evidence = price["evidence"]
    assert evidence["seeded"][0]["values"] == {"product_price": 4207.06}
    assert any("ProductPrice" in json.dumps(s["body"]) for s in evidence["sent"])
    assert evidence["read_back"][0]["path"] == "ProductPrice"
    assert "Authorization" not in json.dumps(evidence)


def test_examples_pass_with_conditional_items_manual(pytester: pytest.Pytester) -> None:
    make_project(pytester.path, EXAMPLES, folder="examples")
    result, results = run(pytester)
    assert result.parseoutcomes().get("failed", 0) == 0, result.stdout.str()[-3000:]
    found = items(results)
    assert len(found) == implied_items(EXAMPLES)
    manual = [i for i in found if i["status"] == "manual"]
    assert {i["kind"] for i in manual} >= {"condition", "synchronized"}
    assert all(i["section"] in {"SuperOffice Sale to Tripletex Order",
                                "SuperOffice Product to Tripletex Product"} for i in manual)
    assert any("has status Sold" in i["message"] for i in manual)
    assert {i["status"] for i in found} <= AUTOMATED | {"manual"}


def _one_document(pytester: pytest.Pytester) -> pytest.Pytester:
    make_project(pytester.path, [REPO / "dataflows" / "keap-to-webcrm.rst"])
    return pytester


def _statuses(results: dict[str, Any]) -> dict[tuple[str, int, str], str]:
    return {(i["section"], i["line"], i["kind"]): i["status"] for i in items(results)}


def test_disabled_reverse_direction_fails_the_edited_in_target_items(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    _one_document(pytester)
    monkeypatch.setattr(SyncEngine, "_as_target", lambda self, *args: None)
    _, results = run(pytester, "-m", "edited_in_source or edited_in_target")
    assert _statuses(results)[("Keap Companies to Webcrm Organisations", 16,
                               "edited_in_source")] == "passed"
    failed = {key for key, status in _statuses(results).items() if status == "failed"}
    assert failed == {("Keap Companies to Webcrm Organisations", 16, "edited_in_target"),
                      ("Keap Product to Webcrm Products", 51, "edited_in_target")}


def test_a_property_coerced_to_the_wrong_type_fails_exactly_its_row(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    import talk.sync.engine as engine

    _one_document(pytester)
    original = engine.to_target  # type: ignore[attr-defined]

    def broken(value: object, dtype: Any) -> object:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value  # "string" rows keep their number: the defect
        return original(value, dtype)

    monkeypatch.setattr(engine, "to_target", broken)
    _, results = run(pytester, "-m", "property")
    assert len(items(results)) == 4
    failed = [i for i in items(results) if i["status"] == "failed"]
    assert [(i["kind"], i["line"]) for i in failed] == [("property", 61)]
    assert "dataflows/keap-to-webcrm.rst line 61" in failed[0]["message"]
    assert "expected a string" in failed[0]["message"]


def test_a_duplicate_created_on_re_run_fails_the_exactly_one_item(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    _one_document(pytester)
    original = SyncEngine._as_source

    def duplicating(self: SyncEngine, flow: Any, ref: Any, record: Any, current: Any) -> None:
        linked = self.store.cluster_of(ref).get(flow.target_slot)
        original(self, flow, ref, record, current)
        if linked is not None and not flow.unsupported:
            payload, _ = self._payload(flow, record, ref)
            self.connector(flow.target.system).create(flow.target, payload)

    monkeypatch.setattr(SyncEngine, "_as_source", duplicating)
    _, results = run(pytester, "-m", "synchronized")
    statuses = _statuses(results)
    key = ("Keap Companies to Webcrm Organisations", 14, "synchronized")
    assert statuses[key] == "failed"
    message = next(i["message"] for i in items(results) if i["line"] == 14)
    assert "expected exactly one Webcrm Organisations" in message
    assert "the sync created" in message


def test_an_unknown_property_fails_naming_the_document_and_line(
        pytester: pytest.Pytester) -> None:
    _one_document(pytester)
    (pytester.path / "features" / "handwritten" / "typo.feature").write_text(
        'Feature: typo\n  Background:\n    Given the dataflow document '
        '"dataflows/keap-to-webcrm.rst"\n\n  Scenario: a typo\n'
        '    Given a Keap Companies with:\n      | company_name | Acme AS |\n'
        '    When the dataflows are synchronized\n'
        '    Then Webcrm received OrganisationNam as "string"\n', encoding="utf-8")
    result, results = run(pytester, where="features/handwritten")
    assert result.parseoutcomes()["failed"] == 1
    item = items(results)[0]
    assert item["kind"] == "scenario" and item["status"] == "failed"
    assert "OrganisationNam is not a property row of" in item["message"]
    assert "keap-to-webcrm.rst line 12" in item["message"]


def test_xdist_gives_the_same_results_as_a_serial_run(pytester: pytest.Pytester) -> None:
    _one_document(pytester)
    serial, _ = run(pytester, "--talk-report", "serial")
    parallel = pytester.runpytest_subprocess("features", "-p", "no:randomly", "-n", "2",
                                             "--talk-report", "parallel")
    assert serial.ret == parallel.ret == 0

    def comparable(folder: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            (pytester.path / folder / "results.json").read_text("utf-8"))
        data.pop("generated_at")
        for item in items(data):
            assert item["evidence"]
        for document in data["documents"]:
            for section in document["sections"]:
                for item in section["items"]:
                    item.pop("duration")
        return data

    assert comparable("serial") == comparable("parallel")


def test_one_document_a_tag_and_hand_written_features_are_selectable(
        pytester: pytest.Pytester) -> None:
    import shutil

    _one_document(pytester)
    shutil.copytree(REPO / "features" / "handwritten", pytester.path / "features" /
                    "handwritten", dirs_exist_ok=True)
    result, results = run(pytester, where="features/keap-to-webcrm.feature")
    assert len(items(results)) == implied_items([REPO / "dataflows" / "keap-to-webcrm.rst"])
    result, results = run(pytester, "-m", "conflict")
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] == 2 and outcomes["deselected"] == 19
    assert "failed" not in outcomes and "skipped" not in outcomes
    ran = [i for i in items(results) if i["this_run"]]
    assert {i["kind"] for i in ran} == {"scenario"}
    assert {i["section"] for i in ran} == {"Hand-written: A conflict between Keap and WebCRM"}


def test_a_failed_item_is_reported_without_pytest_formatting_its_traceback(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    _one_document(pytester)
    monkeypatch.setattr(SyncEngine, "_as_target", lambda self, *args: None)
    formatted: list[str] = []
    original = pytest.Function.repr_failure

    def counting(self: pytest.Function, excinfo: Any) -> Any:
        formatted.append(self.nodeid)
        return original(self, excinfo)

    monkeypatch.setattr(pytest.Function, "repr_failure", counting)
    result, results = run(pytester, "-m", "edited_in_target")
    assert len([i for i in items(results) if i["status"] == "failed"]) == 2
    output = result.stdout.str()
    assert output.count("features/keap-to-webcrm.feature:") >= 2
    assert "failed at Then " in output and "steps/values.py:" not in output
    assert formatted == []
    # the full traceback is one option away, and only then formatted
    full, _ = run(pytester, "-m", "edited_in_target", "--talk-tb=long")
    assert "steps/values.py:" in full.stdout.str() and len(formatted) == 2
