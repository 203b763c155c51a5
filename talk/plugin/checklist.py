"""The hooks that turn `.feature` scenarios into checklist items (registered when talk is on).

Collects the feature files under the opted-in folders, reports a @manual scenario as manual,
remembers the running step for failure messages, and turns what a step raised into the
item's status and its record (`talk.harness.recording`), carried on the test report so that
the pytest-xdist controller can write the one report.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from talk.harness.outcomes import ItemOutcome
from talk.plugin import feature_roots
from talk.plugin.keys import CONTEXT, RECORD_ATTRIBUTE, STEP, UNKNOWN_STEP
from talk.report.results import ItemKind, Status

__all__ = ["Checklist"]

_KIND_MARKERS = {
    ItemKind.SYNCHRONIZED: "the source entity is synchronized with exactly one target",
    ItemKind.EDITED_IN_SOURCE: "an edit in the source system reaches the target",
    ItemKind.EDITED_IN_TARGET: "an edit in the target system reaches the source",
    ItemKind.PROPERTY: "a property row arrives with its documented type",
    ItemKind.PROPERTY_CONDITION_NOT_MET: "a conditional row does not travel when not met",
    ItemKind.NO_PROPERTIES: "a section that lists no properties",
    ItemKind.MERGE: "merge criteria link an existing record instead of duplicating",
    ItemKind.CONDITION: "a condition in the document's words, for a tester",
    ItemKind.ID_LINK: "an id row: an edit updates the linked record and no other",
}


class Checklist:
    """Collection and outcome hooks of the talk plugin."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.roots = feature_roots(config)
        for kind, meaning in _KIND_MARKERS.items():
            config.addinivalue_line("markers", f"{kind.value}: checklist item: {meaning}")
        config.addinivalue_line("markers", "manual: checked by a tester, reported as manual")

    def pytest_collect_file(self, parent: pytest.Collector, file_path: Path
                            ) -> pytest.Collector | None:
        if file_path.suffix != ".feature" or not self._opted_in(file_path):
            return None
        from talk.harness.compat import FeatureFile

        collector: pytest.Collector = FeatureFile.from_parent(parent, path=file_path)
        return collector

    def _opted_in(self, path: Path) -> bool:
        if self.roots is None:
            return True
        resolved = path.resolve()
        return any(resolved.is_relative_to(root) for root in self.roots)

    @pytest.hookimpl(trylast=True)
    def pytest_bdd_before_scenario(self, request: pytest.FixtureRequest, feature: Any,
                                   scenario: Any) -> None:
        """A scenario a tester got wrong fails before its steps run; a scenario tagged
        @manual is reported manual with its words, its steps not run. Both happen in the
        test's call (not its setup) so that Cucumber JSON and JUnit XML list the item."""
        item = request.node
        from talk.plugin.guards import feature_problems

        written = scenario_info_of(item)
        if written is not None:
            shown = _scenario_location(item)[0]
            problem = feature_problems(feature, shown).get(written.line)
            if problem:
                pytest.fail(problem, pytrace=False)
        if item.get_closest_marker("manual") is None:
            return
        from talk.harness.items import describe_item
        from talk.harness.outcomes import ManualCheck

        info = describe_item(item)
        raise ManualCheck(f"checked by a tester: {info.text}" if info else
                          "checked by a tester")

    def pytest_bdd_before_step(self, request: pytest.FixtureRequest, feature: Any,
                               scenario: Any, step: Any, step_func: Any) -> None:
        request.node.stash[STEP] = f"{step.keyword} {step.name} (feature line " \
                                   f"{step.line_number})"

    def pytest_bdd_step_func_lookup_error(self, request: pytest.FixtureRequest, feature: Any,
                                          scenario: Any, step: Any, exception: Any) -> None:
        from talk.plugin.guards import step_suggestions

        request.node.stash[STEP] = f"{step.keyword} {step.name} (feature line " \
                                   f"{step.line_number})"
        request.node.stash[UNKNOWN_STEP] = (
            f"no step definition matches `{step.keyword} {step.name}`: "
            f"{step_suggestions(step.keyword, step.name)}; `talk steps` lists every step")

    # trylast: the innermost wrapper, so the step reports are closed before pytest-bdd's
    # own wrapper copies them onto the test report for Cucumber JSON
    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]
                                  ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        outcome = call.excinfo.value if call.excinfo is not None else None
        if call.when == "call" and outcome is not None and not isinstance(outcome, Exception):
            from talk.harness.compat import close_step_reports

            close_step_reports(item)  # a skip or pytest.fail, which pytest-bdd does not mark
        if isinstance(outcome, ItemOutcome):
            report.outcome = "skipped"
            report.longrepr = (*_scenario_location(item), f"{outcome.status.value}: "
                                                          f"{outcome.message}")
        elif report.failed and outcome is not None and self.short_text(item, outcome):
            report.longrepr = _short_failure(item, outcome)
        final = call.when == "call" or (call.when == "setup" and report.outcome != "passed")
        if final:
            record = _record(item, report, outcome)
            if record is not None:
                setattr(report, RECORD_ATTRIBUTE, json.dumps(record, ensure_ascii=False))
        return report


    def short_text(self, item: pytest.Item, outcome: BaseException) -> str | None:
        """The short failure text of a checklist item, when it replaces the traceback."""
        if _shortened(item, outcome) and self.config.getoption("--talk-tb") == "short" \
                and scenario_info_of(item) is not None:
            return _short_failure(item, outcome)
        return None


def scenario_info_of(item: pytest.Item) -> Any:
    from talk.harness.compat import scenario_info

    return scenario_info(item)


def _short_failure(item: pytest.Item, outcome: BaseException) -> str:
    """What a tester needs of a failure: the scenario, the step, the message."""
    if isinstance(outcome, pytest.fail.Exception):
        return str(outcome)
    file, line = _scenario_location(item)
    step = item.stash.get(STEP, "")
    lines = [f"{file}:{line}: {item.name}"]
    if step:
        lines.append(f"  failed at {step}")
    lines.append(f"  {_reason(item, outcome)}")
    lines.append("  (--talk-tb=long shows the full traceback)")
    return "\n".join(lines)


def _reason(item: pytest.Item, outcome: BaseException) -> str:
    unknown = item.stash.get(UNKNOWN_STEP, "")
    if unknown:
        return unknown
    if isinstance(outcome, AssertionError):  # a check's own sentence about the document
        return str(outcome).strip().split("\nassert ")[0].strip() or "the check failed"
    return ("talk could not carry out this step (an internal error of talk, not a finding "
            "about the document; pytest's output shows where)")


def _shortened(item: pytest.Item, outcome: BaseException) -> bool:
    """Failures a tester reads as findings; talk's own errors keep pytest's traceback."""
    return isinstance(outcome, AssertionError | pytest.fail.Exception) or \
        bool(item.stash.get(UNKNOWN_STEP, ""))


def _scenario_location(item: pytest.Item) -> tuple[str, int]:
    """The scenario's place in its feature file (pytest's own points into pytest-bdd)."""
    from talk.harness.compat import scenario_info

    info = scenario_info(item)
    if info is None:
        return item.location[0], (item.location[1] or 0) + 1
    try:
        shown = info.feature_file.relative_to(item.config.rootpath).as_posix()
    except ValueError:
        shown = str(info.feature_file)
    return shown, info.line


def _status(report: pytest.TestReport, outcome: BaseException | None) -> Status:
    if isinstance(outcome, ItemOutcome):
        return outcome.status
    if report.failed:
        return Status.FAILED
    if report.skipped:
        return Status.SKIPPED
    return Status.PASSED


def _message(item: pytest.Item, report: pytest.TestReport, outcome: BaseException | None,
             where: str) -> str:
    if isinstance(outcome, ItemOutcome):
        return outcome.message
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2])
    if not report.failed or outcome is None:
        return ""
    if isinstance(outcome, pytest.fail.Exception):
        return str(outcome)  # a guardrail: its message names the place itself
    step = item.stash.get(STEP, "")
    parts = [p for p in (where, step, _reason(item, outcome)) if p]
    return ": ".join(parts)


def _record(item: pytest.Item, report: pytest.TestReport,
            outcome: BaseException | None) -> dict[str, Any] | None:
    from talk.harness.documents import load_document
    from talk.harness.items import describe_item
    from talk.harness.recording import build_record, document_key

    info = describe_item(item)
    if info is None:
        return None
    dataflow = load_document(info.document) if info.document is not None else None
    file = document_key(info.document if info.document is not None else item.path,
                        item.config.rootpath)
    feature_file, feature_line = _scenario_location(item)
    if info.kind == ItemKind.SCENARIO:  # hand-written: its line is the feature file's
        where = f"{feature_file} line {feature_line}"
    else:
        where = f"{file} line {info.line}" if info.document is not None and info.line else ""
    status = _status(report, outcome)
    message = _message(item, report, outcome, where)
    context = item.stash.get(CONTEXT, None)
    evidence: dict[str, Any] = context.evidence_json() if context is not None else {}
    if status is Status.FAILED and item.stash.get(STEP, ""):
        evidence["failed_step"] = item.stash[STEP]
    if status is Status.PASSED and not message:  # what a passed check left unchecked
        message = str(evidence.get("note", ""))
    feature_name = info.section_title.removeprefix("Hand-written: ")
    record = build_record(info, dataflow, file, feature_name, status.value, message, evidence,
                          report.duration)
    record["item"]["feature"] = f"{feature_file}:{feature_line}"
    return record
