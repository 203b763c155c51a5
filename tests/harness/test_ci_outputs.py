"""What CI reads of a checklist run says what results.json says: JUnit XML and Cucumber JSON
statuses per item, node ids that survive edits above them, and a versioned results.json
that its committed JSON Schema accepts."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from project import REPO, make_project

from talk.report.results import SCHEMA_VERSION

pytest_plugins = ["pytester"]

DOCUMENTS = [REPO / "dataflows" / "keap-to-webcrm.rst",
             REPO / "tests" / "data" / "superoffice-to-tripletex.rst"]
AS_SKIPPED = {"unsupported": "skipped", "not_applicable": "skipped", "manual": "skipped"}


def _results(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / "reports" / "results.json").read_text("utf-8"))
    return data


def _talk_statuses(data: dict[str, Any]) -> dict[str, str]:
    """By node id as JUnit XML names a test: `features.x.feature::test_y`."""
    return {item["nodeid"].replace("/", "."): AS_SKIPPED.get(item["status"], item["status"])
            for document in data["documents"] for section in document["sections"]
            for item in section["items"]}


def _junit_statuses(path: Path) -> dict[str, str]:
    statuses = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        nodeid = f"{case.get('classname')}::{case.get('name')}"
        kinds = {child.tag for child in case}
        statuses[nodeid] = ("failed" if kinds & {"failure", "error"} else
                            "skipped" if "skipped" in kinds else "passed")
    return statuses


def _cucumber_statuses(path: Path) -> Counter[str]:
    scenarios: Counter[str] = Counter()
    for feature in json.loads(path.read_text("utf-8")):
        for element in feature["elements"]:
            steps = {step["result"]["status"] for step in element["steps"]}
            scenarios["failed" if "failed" in steps else
                      "skipped" if "skipped" in steps else "passed"] += 1
    return scenarios


def test_junit_and_cucumber_statuses_equal_talks(pytester: pytest.Pytester) -> None:
    make_project(pytester.path, DOCUMENTS)
    (pytester.path / "features" / "handwritten" / "fails.feature").write_text(
        'Feature: fails\n  Background:\n    Given the dataflow document '
        '"dataflows/keap-to-webcrm.rst"\n\n  Scenario: a wrong expectation\n'
        '    Given a Keap Companies with:\n      | company_name | Acme AS |\n'
        '    When the dataflows are synchronized\n    Then the Webcrm Organisations has:\n'
        '      | OrganisationName | Other AS |\n', encoding="utf-8")
    pytester.runpytest("features", "-p", "no:randomly", "--junitxml", "junit.xml",
                       "--cucumber-json", "cucumber.json")
    talk = _talk_statuses(_results(pytester.path))
    assert set(talk.values()) == {"passed", "failed", "skipped"}
    assert {i["status"] for d in _results(pytester.path)["documents"]
            for s in d["sections"] for i in s["items"]} >= {"manual", "unsupported"}
    assert _junit_statuses(pytester.path / "junit.xml") == talk
    assert _cucumber_statuses(pytester.path / "cucumber.json") == Counter(talk.values())


def test_node_ids_stay_when_a_line_is_inserted_above_them(pytester: pytest.Pytester) -> None:
    make_project(pytester.path, DOCUMENTS[:1])
    before = pytester.runpytest("features", "--collect-only", "-q").stdout.lines
    document = pytester.path / "dataflows" / "keap-to-webcrm.rst"
    text = document.read_text(encoding="utf-8")
    heading = text.index("\n\n") + 2  # after the title block: a new paragraph
    document.write_text(text[:heading] + "An added note.\n\n" + text[heading:],
                        encoding="utf-8")
    from talk.dataflow.parser import parse_file
    from talk.gherkin.generate import plan, write

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(pytester.path)
        write(plan([parse_file(Path("dataflows/keap-to-webcrm.rst"))], Path("features")))
    assert "(line" not in (pytester.path / "features" / "keap-to-webcrm.feature").read_text(
        "utf-8").split("Scenario")[1].splitlines()[0]
    after = pytester.runpytest_subprocess("features", "--collect-only", "-q").stdout.lines
    ids = [line for line in before if "::" in line]
    assert len(ids) > 10
    assert [line for line in after if "::" in line] == ids


def test_results_json_has_a_schema_version_and_matches_its_schema(
        pytester: pytest.Pytester) -> None:
    make_project(pytester.path, DOCUMENTS[:1])
    pytester.runpytest("features", "-p", "no:randomly", "-m", "property or synchronized")
    data = _results(pytester.path)
    assert data["schema_version"] == SCHEMA_VERSION
    schema = json.loads((REPO / "talk" / "report" / "results.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema)
    broken = dict(data, documents=[dict(data["documents"][0], sections="none")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_the_github_job_summary_has_totals_and_new_failures(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    make_project(pytester.path, DOCUMENTS[:1])
    summary = pytester.path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    pytester.runpytest("features", "-p", "no:randomly", "-m", "synchronized")
    first = summary.read_text(encoding="utf-8")
    assert "| passed | 4 |" in first and "new failures" not in first
    feature = pytester.path / "features" / "keap-to-webcrm.feature"
    text = feature.read_text(encoding="utf-8")
    feature.write_text(text.replace(
        "Then the Keap Companies is linked to exactly one Webcrm Organisations",
        "Then the Webcrm Organisations has:\n        | OrganisationName | Other |", 1),
        encoding="utf-8")
    pytester.runpytest_subprocess("features", "-p", "no:randomly", "-m", "synchronized")
    second = summary.read_text(encoding="utf-8")[len(first):]
    assert "| passed | 3 |" in second and "| failed | 1 |" in second
    assert "**1 new failures** (of 1) since the earlier run." in second
    assert "- `features/keap-to-webcrm.feature:14` **new**: dataflows/keap-to-webcrm.rst " \
        "line 14: Then the Webcrm Organisations has:" in second
