"""What a run pays outside its items: at start-up (in every xdist worker too) no import of
the HTML renderer, which only the process writing the report needs; at the end, what it
built frozen for the interpreter's exit (whose garbage collections would walk every item
and report again), only where talk is on."""

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


_AT_COLLECTION = '''
import sys


def pytest_collection_finish(session):
    print(f"renderer imported: {'talk.report.html' in sys.modules}")
'''


def test_start_up_and_collection_do_not_import_the_html_renderer(
        pytester: pytest.Pytester) -> None:
    pytester.makeconftest(_AT_COLLECTION)
    pytester.makefile(".feature", plain="Feature: plain\n  Scenario: plain\n    Then nothing\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--talk")
    result.stdout.fnmatch_lines(["renderer imported: False"])
    assert (pytester.path / "reports" / "index.html").is_file()  # the report still renders


def test_a_run_inside_a_longer_lived_process_leaves_it_unfrozen(
        pytester: pytest.Pytester) -> None:
    import gc

    frozen = gc.get_freeze_count()
    pytester.makefile(".feature", plain="Feature: plain\n  Scenario: plain\n    Then nothing\n")
    pytester.runpytest("-p", "no:cacheprovider", "--talk")
    assert gc.get_freeze_count() == frozen
