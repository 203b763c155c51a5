"""Writes the checklist report at the end of a session (in the controller under xdist).

A run over a subset (`-k`, `-m`, `--lf`, one feature file) must not wipe the full report:
its items replace their earlier results in the existing `results.json`, every other item
is kept as it was, and `this_run` tells which items ran now. Items of a feature file that
this run collected whole and no longer holds are dropped, as are items whose feature file
is gone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from talk.plugin.keys import RECORD_ATTRIBUTE

__all__ = ["Recorder"]

_DESELECTED = "talk_deselected"  # a worker's deselected node ids, in its workeroutput


class Recorder:
    """Collects the records of every test report and writes results.json and the HTML."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        # each item's record as its compact JSON text: parsed, a record takes about seven
        # times the memory, and the report parses them one at a time at the end
        self.records: dict[str, bytes] = {}
        self.deselected: set[str] = set()
        self.written: Path | None = None
        self._whole: set[str] | None = None
        self.summary = ""

    def pytest_deselected(self, items: list[pytest.Item]) -> None:
        self.deselected.update(item.nodeid for item in items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """Under pytest-xdist the workers deselect (`-k`, `--lf`): they say what."""
        output = getattr(node, "workeroutput", None) or {}
        self.deselected.update(json.loads(output.get(_DESELECTED, "[]")))

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Keep the record once: a worker sends it on with its report and keeps none, the
        writing process takes it off the report, which the terminal keeps to the end."""
        if hasattr(self.config, "workerinput"):
            return
        data = getattr(report, RECORD_ATTRIBUTE, None)
        if data:
            self.records[report.nodeid] = data.encode("utf-8")
            delattr(report, RECORD_ATTRIBUTE)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        config = self.config
        if hasattr(config, "workerinput"):  # a pytest-xdist worker: the controller writes
            workeroutput: dict[str, Any] = getattr(config, "workeroutput", {})
            workeroutput[_DESELECTED] = json.dumps(sorted(self.deselected))
            return
        if not self.records:
            return
        from talk.harness.recording import build_results, records_of
        from talk.report.results import load_results

        out_dir = Path(config.getoption("--talk-report"))
        if not out_dir.is_absolute():
            out_dir = config.invocation_params.dir / out_dir
        path = out_dir / "results.json"
        records = [_parsed_head(data) for data in self.records.values()]
        kept = 0
        previous: list[dict[str, Any]] = []
        statuses: dict[str, str] = {}
        if path.is_file():
            try:
                previous = records_of(load_results(path))
            except (OSError, ValueError, KeyError, TypeError):
                previous = []  # not a results.json we can read: this run replaces it
            statuses = {r["item"]["nodeid"]: r["item"]["status"] for r in previous}
            earlier = [r for r in previous if self._still_valid(r["item"]["nodeid"])]
            for record in earlier:
                record["item"]["this_run"] = False
            records.extend(earlier)
            kept = len(earlier)
        results = build_results(records)
        comparison = _comparison(results, config)  # marks changed items before writing
        results.write(path)
        _render_html(results, out_dir, config, comparison)
        if comparison is not None:
            statuses = {i.nodeid: i.previous_status or "" for d in results.documents
                        for s in d.sections for i in s.items}
        _write_step_summary(results, statuses if (previous or comparison) else None,
                            out_dir / "index.html")
        self.written = out_dir
        totals = ", ".join(f"{n} {s}" for s, n in results.totals.items() if n)
        merged = f"; {len(self.records)} items ran now, {kept} kept from the earlier " \
                 "report" if kept else ""
        self.summary = f"talk: checklist in {path} ({totals}{merged})"

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.summary:
            terminalreporter.write_line(self.summary)

    def _still_valid(self, nodeid: str) -> bool:
        """An earlier item this run did not replace, whose feature file still holds it."""
        if not nodeid or nodeid in self.records:
            return False
        file = nodeid.split("::", 1)[0]
        if not (self.config.rootpath / file).is_file():
            return False
        return file not in self._whole_files()

    def _whole_files(self) -> set[str]:
        """Feature files this run collected and ran entirely (nothing deselected)."""
        if self._whole is None:
            ran = {nodeid.split("::", 1)[0] for nodeid in self.records}
            partial = {nodeid.split("::", 1)[0] for nodeid in self.deselected}
            self._whole = ran - partial
        return self._whole

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        """The last line of the run: where to open the checklist."""
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if self.written is not None and reporter is not None:
            reporter.write_line(f"talk: open {self.written / 'index.html'}")


def _parsed_head(data: bytes) -> dict[str, Any]:
    """A record parsed but for its evidence, which stays text until a page shows it."""
    from talk.report.evidence import RawEvidence

    record: dict[str, Any] = json.loads(data)
    item = record["item"]
    if isinstance(item.get("evidence"), dict):
        item["evidence"] = RawEvidence.of(item["evidence"])
    return record


def _write_step_summary(results: Any, previous: dict[str, str] | None, index: Path) -> None:
    """Append the run to GitHub Actions' job summary, when run there."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from talk.report.summary import markdown_summary

    try:
        with open(target, "a", encoding="utf-8") as out:
            out.write(markdown_summary(results, previous, str(index)))
    except OSError:
        pass  # the summary is a courtesy: the run's outcome does not depend on it


def _comparison(results: Any, config: pytest.Config) -> Any:
    """The changes since `--talk-baseline`, when given."""
    baseline = config.getoption("--talk-baseline")
    if not baseline:
        return None
    from talk.report.baseline import compare
    from talk.report.results import load_results

    try:
        previous = load_results(Path(baseline))
    except (OSError, ValueError, KeyError) as error:
        raise pytest.UsageError(f"--talk-baseline {baseline}: cannot read it: "
                                f"{type(error).__name__}") from None
    return compare(results, previous)


def _render_html(results: Any, out_dir: Path, config: pytest.Config, comparison: Any) -> None:
    from talk.report.html import render

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
