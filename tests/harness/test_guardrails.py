"""Each guardrail for testers fires on a seeded mistake in a hand-written feature, and a
failure reads as step, message and feature line."""

from __future__ import annotations

import json
from typing import Any

import pytest
from project import REPO, make_project

pytest_plugins = ["pytester"]

HEAD = """\
Feature: seeded mistakes
  Background:
    Given the dataflow document "dataflows/keap-to-webcrm.rst"

"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    make_project(pytester.path, [REPO / "dataflows" / "keap-to-webcrm.rst"])
    return pytester


def _run(project: pytest.Pytester, scenario: str, *args: str
         ) -> tuple[pytest.RunResult, dict[str, Any]]:
    feature = project.path / "features" / "handwritten" / "mistake.feature"
    feature.write_text(HEAD + scenario, encoding="utf-8")
    result = project.runpytest("features/handwritten", "-p", "no:randomly", *args)
    data = json.loads((project.path / "reports" / "results.json").read_text("utf-8"))
    items = [i for d in data["documents"] for s in d["sections"] for i in s["items"]]
    assert len(items) == 1
    return result, items[0]


def test_an_unknown_given_table_property_fails_with_the_closest_names(
        project: pytest.Pytester) -> None:
    _result, item = _run(project, """\
  Scenario: misspelled property
    Given a Keap Companies with:
      | company_nmae | Acme AS |
    When the dataflows are synchronized
    Then the Keap Companies is linked to exactly one Webcrm Organisations
""")
    assert item["status"] == "failed"
    assert "Keap Companies has no property 'company_nmae' (closest: company_name" \
        in item["message"]


def test_an_unknown_step_suggests_the_closest_steps_and_talk_steps(
        project: pytest.Pytester) -> None:
    result, item = _run(project, """\
  Scenario: misspelled step
    Given a Keap Companies
    When the dataflows are synchronised
    Then the Keap Companies is linked to exactly one Webcrm Organisations
""")
    assert item["status"] == "failed"
    assert "no step definition matches `When the dataflows are synchronised`" \
        in item["message"]
    assert "closest steps: Given/When the dataflows are synchronized [again]" \
        in item["message"]
    assert "`talk steps` lists every step" in result.stdout.str()


def test_a_scenario_without_then_fails(project: pytest.Pytester) -> None:
    _result, item = _run(project, """\
  Scenario: nothing checked
    Given a Keap Companies
    When the dataflows are synchronized
""")
    assert item["status"] == "failed"
    assert item["message"] == ("features/handwritten/mistake.feature line 5: the scenario "
                               "has no Then step, so it would pass without checking anything")


def test_a_lower_case_keyword_fails_naming_its_line(project: pytest.Pytester) -> None:
    _result, item = _run(project, """\
  Scenario: lower case
    given a Keap Companies
    When the dataflows are synchronized
    Then the Keap Companies is linked to exactly one Webcrm Organisations
""")
    assert item["status"] == "failed"
    assert "mistake.feature line 6: `given a Keap Companies` is read as description text, " \
           "not as a step: write `Given`" in item["message"]


FAILING = """\
  Scenario: wrong value expected
    Given a Keap Companies with:
      | company_name | Acme AS |
    When the dataflows are synchronized
    Then the Webcrm Organisations has:
      | OrganisationName | Other AS |
"""


def test_a_failure_shows_step_message_and_feature_line_not_fixture_internals(
        project: pytest.Pytester) -> None:
    result, item = _run(project, FAILING)
    out = result.stdout.str()
    assert "features/handwritten/mistake.feature:5: test_wrong_value_expected" in out
    assert "failed at Then the Webcrm Organisations has: (feature line 9)" in out
    assert "def " not in out and "_pytest" not in out and "pytest_bdd" not in out
    assert item["message"].startswith("features/handwritten/mistake.feature line 5: Then ")
    assert item["feature"] == "features/handwritten/mistake.feature:5"
    long = project.runpytest("features/handwritten", "-p", "no:randomly", "--talk-tb=long")
    assert "talk/steps/values.py" in long.stdout.str()  # the frames of the failing step


def test_the_html_shows_the_node_id_and_how_to_rerun_the_item(
        project: pytest.Pytester) -> None:
    _run(project, FAILING)
    page = next(p for p in (project.path / "reports").glob("*.html") if p.name != "index.html")
    html = page.read_text(encoding="utf-8")
    assert "pytest 'features/handwritten/mistake.feature::test_wrong_value_expected'" \
        in html
    assert "Hand-written scenarios (from features/handwritten/mistake.feature)" in html
    index = (project.path / "reports" / "index.html").read_text(encoding="utf-8")
    assert "seeded mistakes, features/handwritten/mistake.feature:5</a>" in index
