"""The pytest plugin (entry point `talk.plugin`): runs `.feature` files as QA checklists.

Installed into any test environment, it stays out of the way until a project opts in, with
the ini option `talk_features` (folders whose `.feature` files are checklists, as written
by `talk init`) or with `--talk` (every `.feature` file). Without either it registers
nothing: a plain pytest-bdd project runs as if talk were not installed. Opted in, it

- registers the step library (`talk.steps`) and the scenario fixture (`talk_context`);
- collects the `.feature` files itself (pytest-bdd collects Python modules only);
- registers the tags of the features as markers, so `-m property` or `-m keap` select;
- maps the outcomes steps raise (unsupported, manual, not applicable) to skipped tests with
  the reason, and records one result per checklist item (`talk.plugin.checklist`);
- at the end of the session writes `results.json` and the HTML report to `reports/` or
  `--talk-report DIR` (`talk.plugin.recorder`);
- at the process's exit, freezes what the run built (`gc.freeze`): pytest keeps every
  item and report until the end, and the garbage collections of the interpreter's
  shutdown took seconds at corpus scale (in each xdist worker too, which the controller
  waits for).
"""

from __future__ import annotations

import atexit
import gc
from pathlib import Path

import pytest

__all__ = ["active", "feature_roots"]

_INI = "talk_features"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("talk", "talk checklists")
    group.addoption("--talk", action="store_true", default=False,
                    help="run every .feature file as a talk checklist (see also the ini "
                         f"option {_INI})")
    group.addoption("--talk-report", metavar="DIR", default="reports",
                    help="where results.json and the HTML checklist go (default: reports/)")
    group.addoption("--talk-baseline", metavar="FILE", default=None,
                    help="a previous results.json: mark items that changed status since")
    group.addoption("--talk-tb", choices=("short", "long"), default="short",
                    help="a failed checklist item shows its step, message and feature line "
                         "(short, the default) or pytest's full traceback (long)")
    parser.addini(_INI, type="linelist", default=[],
                  help="talk: folders (relative to the ini file) whose .feature files are "
                       "checklists; setting it turns the talk plugin on")


def active(config: pytest.Config) -> bool:
    """Whether this project opted in to talk (ini `talk_features` or `--talk`)."""
    return bool(config.getoption("--talk", False) or config.getini(_INI))


def feature_roots(config: pytest.Config) -> list[Path] | None:
    """The folders whose `.feature` files talk collects; None means every folder."""
    if config.getoption("--talk", False):
        return None
    base = config.inipath.parent if config.inipath is not None else config.rootpath
    return [(base / entry).resolve() for entry in config.getini(_INI)]


def pytest_configure(config: pytest.Config) -> None:
    if not active(config):
        return
    baseline = config.getoption("--talk-baseline", None)
    if baseline and not Path(baseline).is_file():
        raise pytest.UsageError(f"--talk-baseline {baseline}: no such file")
    from talk.plugin.checklist import Checklist
    from talk.plugin.recorder import Recorder
    from talk.steps import MODULES

    for name in MODULES:  # the step library ships in the package: no conftest.py needed
        config.pluginmanager.import_plugin(f"talk.steps.{name}")
    config.pluginmanager.import_plugin("talk.plugin.fixtures")
    from talk.harness.compat import remember_step_lookups

    remember_step_lookups(config)
    checklist = Checklist(config)
    config.pluginmanager.register(checklist, "talk-checklist")
    from talk.harness.failures import ChecklistFailures

    config.pluginmanager.register(ChecklistFailures(checklist.short_text), "talk-failures")
    config.pluginmanager.register(Recorder(config), "talk-recorder")


def pytest_unconfigure(config: pytest.Config) -> None:
    """The run is over: what it built is freed as the process exits, without the garbage
    collector tracing all of it first (nothing a run writes waits on that collector). At
    the exit, not now: a run inside a longer-lived process (pytester) must not freeze it."""
    if active(config):
        atexit.unregister(gc.freeze)  # once per process, however many runs it held
        atexit.register(gc.freeze)
