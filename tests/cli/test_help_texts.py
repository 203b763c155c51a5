"""`talk lint --help` describes the format it reads; `talk steps --help` stands alone for an
installed user (who has no docs/ folder)."""

from __future__ import annotations

import pytest

from talk.cli import main
from talk.dataflow.row_lint import KNOWN_TYPES


def _help(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_lint_help_names_every_shape_type_and_condition(
        capsys: pytest.CaptureFixture[str]) -> None:
    text = _help("lint", capsys)
    for shape in ("Every S will be synchronized with a T.",
                  "Before any synchronization can take place",
                  "<condition>, it will be synchronized with a T.",
                  "A new T will be created from a S if it is connected to",
                  "If a matching T already exists", "If no matching T is found",
                  "property combinations match:", "The following properties are synchronized"):
        assert shape in text
    for known in (*KNOWN_TYPES, "N/A", '"datetime-format"'):
        assert known in text
    assert "Dependant on having V in P" in text


def test_steps_help_says_how_to_use_the_steps(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help("steps", capsys)
    assert "write a scenario in a .feature file" in text
