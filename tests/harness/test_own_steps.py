"""A QA repository's own steps (docs/writing-scenarios.md, "Steps of your own"): the
example there, run as a project would run it, so the documentation stays true."""

from __future__ import annotations

import re

import pytest
from project import REPO, make_project

pytest_plugins = ["pytester"]

DOC = REPO / "docs" / "writing-scenarios.md"


def _example(language: str, first_line: str) -> str:
    """The fenced block of the section whose first line is `first_line`."""
    section = DOC.read_text(encoding="utf-8").split("## Steps of your own", 1)[1]
    for block in re.findall(rf"```{language}\n(.*?)```", section, flags=re.S):
        if block.startswith(first_line):
            return str(block)
    raise AssertionError(f"no {language} block starting {first_line!r} in {DOC}")


def _project(pytester: pytest.Pytester, scenario: str) -> None:
    make_project(pytester.path, [REPO / "dataflows" / "keap-to-webcrm.rst"])
    (pytester.path / "conftest.py").write_text(_example("python", "# conftest.py"),
                                               encoding="utf-8")
    (pytester.path / "steps").mkdir()
    (pytester.path / "steps" / "__init__.py").write_text("", encoding="utf-8")
    (pytester.path / "steps" / "bulk.py").write_text(_example("python", "# steps/bulk.py"),
                                                     encoding="utf-8")
    (pytester.path / "features" / "handwritten" / "bulk.feature").write_text(
        'Feature: bulk\n  Background:\n    Given the dataflow document '
        '"dataflows/keap-to-webcrm.rst"\n\n' + scenario, encoding="utf-8")


def test_the_documented_own_steps_run_in_a_project(pytester: pytest.Pytester) -> None:
    _project(pytester, _example("gherkin", "  Scenario:"))
    result = pytester.runpytest_subprocess("-p", "no:randomly", "features/handwritten")
    assert result.parseoutcomes().get("passed") == 1, result.stdout.str()[-2000:]


def test_an_own_step_fails_when_its_promise_does_not_hold(pytester: pytest.Pytester) -> None:
    _project(pytester, _example("gherkin", "  Scenario:").replace("holds 20", "holds 21"))
    result = pytester.runpytest_subprocess("-p", "no:randomly", "features/handwritten")
    assert result.parseoutcomes().get("failed") == 1
    assert "holds 20 records, not 21" in result.stdout.str()

