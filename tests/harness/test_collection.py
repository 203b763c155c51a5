"""What the plugin works out once per run or per document, not once per scenario."""

from __future__ import annotations

import pytest
from project import REPO, make_project

from talk.dataflow.model import Dataflow
from talk.harness.checklist import SectionChecklist

pytest_plugins = ["pytester"]

_COUNTING = '''
import pytest

SCANS = []


class Lines(list):
    def __iter__(self):
        SCANS.append(1)
        return super().__iter__()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    original = config.getini
    lines = Lines(original("markers"))
    config.getini = lambda name: lines if name == "markers" else original(name)


def pytest_collection_finish(session):
    print(f"markers scanned {len(SCANS)} times")
'''


def _feature(number: int, scenarios: int) -> str:
    lines = [f"@feature_{number}", f"Feature: Feature {number}", ""]
    for index in range(scenarios):
        lines += [f"  @tag_{number}_{index}", f"  Scenario: Scenario {index}",
                  "    Given nothing", ""]
    return "\n".join(lines)


def test_markers_are_scanned_once_per_run_not_once_per_feature_file_or_scenario(
        pytester: pytest.Pytester) -> None:
    pytester.makeconftest(_COUNTING)
    for number in range(20):
        pytester.makefile(".feature", **{f"f{number}": _feature(number, 3)})
    result = pytester.runpytest("--collect-only", "-q", "-p", "no:randomly", "--talk")
    assert result.ret == 0, result.stdout.str()
    assert "60 tests collected" in result.stdout.str()
    scans = int(result.stdout.str().split("markers scanned ")[1].split()[0])
    # the plugin reads the registered markers once per run and tells pytest.mark of each
    # file's new tags, so pytest does not read them all again for every file (quadratic)
    assert scans <= 2, result.stdout.str()


def test_a_documents_checklist_is_derived_once_not_once_per_item(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    import talk.harness.items as items

    make_project(pytester.path, [REPO / "dataflows" / "keap-to-webcrm.rst"])
    derived: list[str] = []
    original = items.checklist

    def counting(dataflow: Dataflow) -> list[SectionChecklist]:
        derived.append(dataflow.name)
        return original(dataflow)

    monkeypatch.setattr(items, "checklist", counting)
    items._checklist_of.cache_clear()
    result = pytester.runpytest("features", "-p", "no:randomly", "-m", "property")
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) + outcomes.get("skipped", 0) >= 4
    assert derived == ["keap-to-webcrm"]


def test_each_feature_file_is_parsed_once_the_guardrails_reading_pytest_bdds_parse(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    from gherkin.parser import Parser

    parsed: list[int] = []
    original = Parser.parse

    def counting(self: Parser, *args: object, **kwargs: object) -> object:
        parsed.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Parser, "parse", counting)
    pytester.makefile(".feature", lower="""\
Feature: guarded
  Scenario: no outcome
    given a Keap Companies
    When the dataflows are synchronized
""")
    pytester.makefile(".feature", fine="Feature: fine\n  Scenario: fine\n    Then nothing\n")
    result = pytester.runpytest("-p", "no:randomly", "--talk", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)  # the guardrails still fire (both mistakes named)
    result.stdout.fnmatch_lines(["*line 3: `given a Keap Companies` is read as description*"
                                 "line 2: the scenario has no Then step*"])
    assert len(parsed) == 2, "a feature file was parsed again after collection"
