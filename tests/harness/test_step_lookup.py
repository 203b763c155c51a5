"""pytest-bdd's step lookup, remembered per test module: what a step costs does not grow
with the session's fixtures, and each folder still gets its own step definitions."""

from __future__ import annotations

import re

import pytest
from project import REPO, make_project

pytest_plugins = ["pytester"]

_COUNTING = '''
from _pytest.fixtures import FixtureManager

import pytest

LOOKUPS = {"fixtures": 0, "steps": 0, "calling": False}
_getfixturedefs = FixtureManager.getfixturedefs


def _counted(self, *args, **kwargs):
    if LOOKUPS["calling"]:
        LOOKUPS["fixtures"] += 1
    return _getfixturedefs(self, *args, **kwargs)


FixtureManager.getfixturedefs = _counted


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    LOOKUPS["calling"] = True
    try:
        return (yield)
    finally:
        LOOKUPS["calling"] = False


def pytest_bdd_before_step():
    LOOKUPS["steps"] += 1


def pytest_sessionfinish(session):
    print(f"fixture lookups {LOOKUPS['fixtures']} for {LOOKUPS['steps']} steps")
'''


def test_a_step_does_not_scan_every_fixture(pytester: pytest.Pytester) -> None:
    make_project(pytester.path, [REPO / "dataflows" / "keap-to-webcrm.rst"])
    pytester.makeconftest(_COUNTING)
    result = pytester.runpytest_subprocess("features", "-p", "no:xdist", "-s")
    found = re.search(r"fixture lookups (\d+) for (\d+) steps", result.stdout.str())
    assert found, result.stdout.str()[-2000:]
    lookups, steps = int(found.group(1)), int(found.group(2))
    # pytest-bdd alone asks pytest for every fixture name of the session at every step
    # (over 60 per step here); a step's own fixtures are a handful
    assert steps >= 50 and lookups / steps < 10, found.group(0)


_OWN_SYNC = '''
from pytest_bdd import when

RAN = []


@when("the dataflows are synchronized")
def own_synchronize():
    RAN.append(1)
    raise AssertionError("the folder's own step ran")
'''


def test_a_folder_keeps_its_own_step_definitions(pytester: pytest.Pytester) -> None:
    """A conftest step overrides the library's in its folder only, with lookups remembered."""
    make_project(pytester.path, [REPO / "dataflows" / "keap-to-webcrm.rst"])
    own = pytester.path / "features" / "handwritten"
    (own / "conftest.py").write_text(_OWN_SYNC, encoding="utf-8")
    generated = next((pytester.path / "features").glob("*.feature")).read_text(
        encoding="utf-8")
    (own / "copy.feature").write_text(generated, encoding="utf-8")
    result = pytester.runpytest_subprocess("features", "-p", "no:xdist", "-m", "synchronized")
    outcomes = result.parseoutcomes()
    failed = re.findall(r"^FAILED (\S+)", result.stdout.str(), flags=re.M)
    assert failed and all(f.startswith("features/handwritten/") for f in failed), \
        result.stdout.str()[-2000:]
    assert outcomes.get("passed", 0) >= len(failed), outcomes
    assert "the folder's own step ran" in result.stdout.str()
