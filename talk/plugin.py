"""The pytest plugin (entry point `talk.plugin`): runs `.feature` files as QA checklists.

- collects `.feature` files (pytest-bdd alone collects Python modules only, decision 20);
- registers the tags of the features as markers, so `-m property` or `-m keap` select;
- gives every scenario a fresh world (`talk_context`: emulators, link store, evidence);
- maps the outcomes steps raise (unsupported, manual, not applicable) to skipped tests
  with the reason, and records one result per checklist item;
- at the end of the session writes `results.json` (and the HTML report, when the renderer
  is installed) to `reports/` or `--talk-report DIR`. Under pytest-xdist each worker's
  records travel on the test reports and the controller writes the one report.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from talk.harness.outcomes import ItemOutcome
from talk.report.results import ItemKind, Status

__all__ = ["talk_context"]

_RECORD_ATTRIBUTE = "talk_item"
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


class _Keys:
    context = pytest.StashKey[Any]()
    step = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("talk", "talk checklist reports")
    group.addoption("--talk-report", metavar="DIR", default="reports",
                    help="where results.json and the HTML checklist go (default: reports/)")
    group.addoption("--talk-baseline", metavar="FILE", default=None,
                    help="a previous results.json: mark items that changed status since")


def pytest_configure(config: pytest.Config) -> None:
    for kind, meaning in _KIND_MARKERS.items():
        config.addinivalue_line("markers", f"{kind.value}: checklist item: {meaning}")
    config.addinivalue_line("markers", "manual: checked by a tester, reported as manual")
    baseline = config.getoption("--talk-baseline", None)
    if baseline and not Path(baseline).is_file():
        raise pytest.UsageError(f"--talk-baseline {baseline}: no such file")
    config.pluginmanager.register(_Recorder(config), "talk-recorder")
    _register_steps(config)
    from talk.harness.failures import ChecklistFailures

    config.pluginmanager.register(ChecklistFailures(
        config, lambda item: item.stash.get(_Keys.step, "")), "talk-failures")


def _register_steps(config: pytest.Config) -> None:
    """The step library ships in the package, so a project needs no conftest.py for it."""
    from talk.steps import MODULES

    for name in MODULES:
        config.pluginmanager.import_plugin(f"talk.steps.{name}")


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix != ".feature":
        return None
    from talk.harness.compat import FeatureFile

    collector: pytest.Collector = FeatureFile.from_parent(parent, path=file_path)
    return collector


@pytest.fixture
def talk_context(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The scenario's world: documents, fresh emulators and link store, evidence."""
    from talk.harness.context import ScenarioContext
    from talk.harness.items import describe_item

    node = request.node
    anchors = [request.config.rootpath, node.path.parent]
    context = ScenarioContext(node.nodeid, anchors)
    if isinstance(node, pytest.Item):
        context.item = describe_item(node)
        node.stash[_Keys.context] = context
    try:
        yield context
    finally:
        context.close()
        # its record is made by now: kept on the item, every scenario's evidence and sync
        # reports would stay in memory until the session ends
        if _Keys.context in node.stash:
            del node.stash[_Keys.context]


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A scenario tagged @manual is reported manual with its words, its steps not run."""
    if item.get_closest_marker("manual") is None:
        return
    from talk.harness.items import describe_item
    from talk.harness.outcomes import ManualCheck

    info = describe_item(item)
    raise ManualCheck(f"checked by a tester: {info.text}" if info else "checked by a tester")


def pytest_bdd_before_step(request: pytest.FixtureRequest, feature: Any, scenario: Any,
                           step: Any, step_func: Any) -> None:
    request.node.stash[_Keys.step] = f"{step.keyword} {step.name} (feature line " \
                                     f"{step.line_number})"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    outcome = call.excinfo.value if call.excinfo is not None else None
    if isinstance(outcome, ItemOutcome):
        report.outcome = "skipped"
        report.longrepr = (*_scenario_location(item), f"{outcome.status.value}: "
                                                      f"{outcome.message}")
    final = call.when == "call" or (call.when == "setup" and report.outcome != "passed")
    if final:
        record = _record(item, report, outcome)
        if record is not None:
            setattr(report, _RECORD_ATTRIBUTE, json.dumps(record, ensure_ascii=False))
    return report


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
    step = item.stash.get(_Keys.step, "")
    if isinstance(outcome, AssertionError):  # a check's own sentence about the document
        text = str(outcome).strip().split("\nassert ")[0].strip()
    else:  # talk's own defect: the traceback is in pytest's output, not in the checklist
        text = ("talk could not carry out this step (an internal error of talk, not a "
                "finding about the document; pytest's output shows where)")
    parts = [p for p in (where, step, text or "the check failed") if p]
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
    where = f"{file} line {info.line}" if info.document is not None and info.line else ""
    status = _status(report, outcome)
    message = _message(item, report, outcome, where)
    context = item.stash.get(_Keys.context, None)
    evidence: dict[str, Any] = context.evidence_json() if context is not None else {}
    if status is Status.FAILED and item.stash.get(_Keys.step, ""):
        evidence["failed_step"] = item.stash[_Keys.step]
    feature_name = info.section_title.removeprefix("Hand-written: ")
    return build_record(info, dataflow, file, feature_name, status.value, message, evidence,
                        report.duration)


class _Recorder:
    """Collects the records of every test report (in the controller under xdist)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.records: dict[str, str] = {}  # JSON, as on the report: parsed at the end

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data = getattr(report, _RECORD_ATTRIBUTE, None)
        if data and not hasattr(self.config, "workerinput"):  # a worker sends it on
            self.records[report.nodeid] = data

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        config = self.config
        if hasattr(config, "workerinput") or not self.records:
            return  # a pytest-xdist worker: the controller writes the report
        from talk.harness.recording import build_results

        out_dir = Path(config.getoption("--talk-report"))
        if not out_dir.is_absolute():
            out_dir = config.invocation_params.dir / out_dir
        results = build_results(json.loads(data) for data in self.records.values())
        comparison = _comparison(results, config)  # marks changed items before writing
        results.write(out_dir / "results.json")
        _render_html(results, out_dir, config, comparison)
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            totals = ", ".join(f"{n} {s}" for s, n in results.totals.items() if n)
            reporter.write_line(f"talk: checklist in {out_dir / 'results.json'} ({totals})")


def _comparison(results: Any, config: pytest.Config) -> Any:
    """The changes since `--talk-baseline`, when given and the comparison is installed."""
    baseline = config.getoption("--talk-baseline")
    if not baseline:
        return None
    try:
        from talk.report.baseline import compare
        from talk.report.results import load_results
    except ImportError:
        return None
    try:
        previous = load_results(Path(baseline))
    except (OSError, ValueError, KeyError) as error:
        raise pytest.UsageError(f"--talk-baseline {baseline}: cannot read it: {error}") from None
    return compare(results, previous)


def _render_html(results: Any, out_dir: Path, config: pytest.Config, comparison: Any) -> None:
    """Call the HTML renderer when it is installed (talk.report.html)."""
    try:
        from talk.report.html import render
    except ImportError:
        return
    options: dict[str, Any] = {}
    dataflows = _dataflows_of(results, config.rootpath)
    if dataflows:
        options["dataflows"] = dataflows
    if comparison is not None:
        options["comparison"] = comparison
    render(results, out_dir, **options)


def _dataflows_of(results: Any, rootpath: Path) -> dict[str, Any]:
    from talk.harness.documents import load_document

    found = {}
    for document in results.documents:
        path = rootpath / document.file
        if path.suffix == ".rst" and path.is_file():
            found[document.file] = load_document(path)
    return found
