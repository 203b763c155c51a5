"""pytest's own workflows on a checklist: the cache (--lf), and runs over a subset that
merge into the full report instead of replacing it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from project import REPO, make_project

pytest_plugins = ["pytester"]

FAILING = """\
Feature: seeded failure
  Background:
    Given the dataflow document "dataflows/keap-to-webcrm.rst"

  Scenario: a property the document does not list
    Given a Keap Companies with:
      | company_name | Acme AS |
    When the dataflows are synchronized
    Then Webcrm received OrganisationNam as "string"
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    make_project(pytester.path, [REPO / "dataflows" / "keap-to-webcrm.rst"])
    (pytester.path / "features" / "handwritten" / "typo.feature").write_text(
        FAILING, encoding="utf-8")
    return pytester


def _items(pytester: pytest.Pytester) -> list[dict[str, Any]]:
    data = json.loads((pytester.path / "reports" / "results.json").read_text("utf-8"))
    return [item for document in data["documents"] for section in document["sections"]
            for item in section["items"]]


def test_last_failed_reruns_only_the_failed_item(project: pytest.Pytester) -> None:
    first = project.runpytest("features", "-p", "no:randomly")
    assert first.parseoutcomes()["failed"] == 1
    again = project.runpytest("features", "-p", "no:randomly", "--lf")
    outcomes = again.parseoutcomes()
    assert outcomes["failed"] == 1
    assert outcomes.get("passed", 0) + outcomes.get("skipped", 0) == 0
    assert [i["nodeid"] for i in _items(project) if i["this_run"]] == [
        "features/handwritten/typo.feature::test_a_property_the_document_does_not_list"]


def test_a_k_run_leaves_the_full_report_and_marks_what_ran(project: pytest.Pytester) -> None:
    project.runpytest("features", "-p", "no:randomly")
    full = {i["nodeid"]: i for i in _items(project)}
    result = project.runpytest("features", "-p", "no:randomly", "-k", "users")
    ran = result.parseoutcomes()
    merged = {i["nodeid"]: i for i in _items(project)}
    assert merged.keys() == full.keys()
    now = {nodeid for nodeid, item in merged.items() if item["this_run"]}
    assert len(now) == ran.get("passed", 0) + ran.get("skipped", 0) > 0
    assert all("users" in nodeid for nodeid in now)
    assert all(merged[n]["status"] == full[n]["status"] for n in full)
    assert "kept from the earlier report" in result.stdout.str()


def test_scenarios_gone_from_a_whole_run_leave_the_report(project: pytest.Pytester) -> None:
    project.runpytest("features", "-p", "no:randomly")
    typo = project.path / "features" / "handwritten" / "typo.feature"
    typo.write_text(FAILING.replace("a property the", "the property"), encoding="utf-8")
    (project.path / "features" / "handwritten" / "conflict.feature").write_text(
        FAILING.replace("seeded failure", "other"), encoding="utf-8")
    # a new process: pytest-bdd keeps parsed features for the life of one
    project.runpytest_subprocess("features/handwritten/typo.feature", "-p", "no:randomly")
    nodeids = {i["nodeid"] for i in _items(project)}
    assert "features/handwritten/typo.feature::test_the_property_document_does_not_list" \
        in nodeids
    assert "features/handwritten/typo.feature::test_a_property_the_document_does_not_list" \
        not in nodeids
    typo.unlink()
    project.runpytest("features/keap-to-webcrm.feature", "-p", "no:randomly")
    assert all("typo" not in nodeid for nodeid in {i["nodeid"] for i in _items(project)})


def test_the_terminal_output_ends_with_the_html_report(project: pytest.Pytester) -> None:
    result = project.runpytest("features", "-p", "no:randomly", "-k", "users")
    last = [line for line in result.stdout.lines if line.strip()][-1]
    assert last == f"talk: open {project.path / 'reports' / 'index.html'}"
    assert (project.path / "reports" / "index.html").is_file()


def test_a_k_run_under_xdist_also_keeps_the_full_report(project: pytest.Pytester) -> None:
    project.runpytest("features", "-p", "no:randomly")
    full = {i["nodeid"] for i in _items(project)}
    ran = project.runpytest_subprocess("features", "-p", "no:randomly", "-n", "2",
                                       "-k", "users")
    assert ran.ret == 0, ran.stdout.str()[-2000:]
    merged = _items(project)
    assert {i["nodeid"] for i in merged} == full
    assert 0 < sum(i["this_run"] for i in merged) < len(full)
