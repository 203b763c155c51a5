"""The plugin stays out of projects that did not opt in, and `talk init` opts one in."""

from __future__ import annotations

from pathlib import Path

import pytest

from talk.cli import main

pytest_plugins = ["pytester"]

PLAIN_FEATURE = """\
Feature: a plain pytest-bdd project
  Scenario: adding
    Given the number 2
    Then it is even

  Scenario: failing
    Given the number 3
    Then it is even
"""

PLAIN_TESTS = """\
from pytest_bdd import given, parsers, scenarios, then

scenarios("plain.feature")


@given(parsers.parse("the number {n:d}"), target_fixture="number")
def number(n):
    return n


@then("it is even")
def even(number):
    assert number % 2 == 0
"""


def _plain_project(pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", plain=PLAIN_FEATURE)
    pytester.makepyfile(test_plain=PLAIN_TESTS)
    pytester.makeini("[pytest]\n")


def test_a_plain_pytest_bdd_project_runs_the_same_with_and_without_talk(
        pytester: pytest.Pytester) -> None:
    _plain_project(pytester)
    without = pytester.runpytest("-p", "no:talk").parseoutcomes()
    with_talk = pytester.runpytest().parseoutcomes()
    assert with_talk == without
    assert (with_talk["passed"], with_talk["failed"]) == (1, 1)
    assert not (pytester.path / "reports").exists()


def test_feature_files_are_collected_only_when_the_project_opts_in(
        pytester: pytest.Pytester) -> None:
    _plain_project(pytester)
    (pytester.path / "test_plain.py").unlink()
    assert pytester.runpytest().ret == pytest.ExitCode.NO_TESTS_COLLECTED
    opted_in = pytester.runpytest("--talk", "--collect-only", "-q")
    assert "plain.feature::test_adding" in opted_in.stdout.str()


def test_talk_init_lays_out_a_repository_that_collects_features(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    (pytester.path / "dataflows").mkdir()
    (pytester.path / "dataflows" / "keep.rst").write_text("kept\n", encoding="utf-8")
    monkeypatch.chdir(pytester.path)
    assert main(["init"]) == 0
    said = capsys.readouterr().err
    assert "created pytest.ini" in said and "created features/" in said
    assert (pytester.path / "features" / "handwritten").is_dir()
    assert (pytester.path / "dataflows" / "keep.rst").read_text(encoding="utf-8") == "kept\n"
    Path("features/handwritten/plain.feature").write_text(PLAIN_FEATURE, encoding="utf-8")
    collected = pytester.runpytest("--collect-only", "-q")
    assert "features/handwritten/plain.feature::test_adding" in collected.stdout.str()
    assert main(["init"]) == 0
    assert "nothing to do" in capsys.readouterr().err


def test_talk_init_leaves_an_existing_pytest_configuration_alone(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    pytester.makefile(".ini", pytest="[pytest]\naddopts = -q\n")
    monkeypatch.chdir(pytester.path)
    assert main(["init"]) == 0
    assert "add `talk_features = features`" in capsys.readouterr().err
    assert (pytester.path / "pytest.ini").read_text() == "[pytest]\naddopts = -q"
