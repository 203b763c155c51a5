"""What a finished scenario leaves in memory: its record, not its world."""

from __future__ import annotations

import re

import pytest
from project import REPO, make_project

pytest_plugins = ["pytester"]

_WATCHING = '''
import gc
import weakref

import pytest

CONTEXTS = []


@pytest.fixture(autouse=True)
def watched(talk_context):
    CONTEXTS.append(weakref.ref(talk_context))


def pytest_sessionfinish(session):
    gc.collect()
    alive = sum(ref() is not None for ref in CONTEXTS)
    print(f"contexts alive {alive} of {len(CONTEXTS)}")
'''


def test_no_scenario_context_outlives_its_scenario(pytester: pytest.Pytester) -> None:
    make_project(pytester.path, [REPO / "dataflows" / "keap-to-webcrm.rst"])
    pytester.makeconftest(_WATCHING)
    result = pytester.runpytest_subprocess("features", "-p", "no:xdist", "-s",
                                           "-m", "synchronized or property")
    found = re.search(r"contexts alive (\d+) of (\d+)", result.stdout.str())
    assert found, result.stdout.str()[-2000:]
    alive, total = int(found.group(1)), int(found.group(2))
    assert total >= 4 and alive == 0, found.group(0)
