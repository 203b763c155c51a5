"""The end of a run: what it built is frozen for the interpreter's exit (whose garbage
collections would walk every item and report again), only where talk is on."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

_AT_EXIT = '''
import atexit
import gc


@atexit.register
def _frozen() -> None:
    print(f"frozen at exit: {gc.get_freeze_count() > 0}")
'''


@pytest.mark.parametrize(("opt_in", "frozen"), [(["--talk"], True), ([], False)])
def test_a_talk_run_leaves_its_objects_frozen_for_the_exit(
        pytester: pytest.Pytester, opt_in: list[str], frozen: bool) -> None:
    pytester.makeconftest(_AT_EXIT)
    pytester.makefile(".feature", plain="Feature: plain\n  Scenario: plain\n    Then nothing\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *opt_in)
    result.stdout.fnmatch_lines([f"frozen at exit: {frozen}"])
