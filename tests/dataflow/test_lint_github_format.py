"""`talk lint --format github` prints one GitHub Actions annotation per finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from talk.cli import main

MALFORMED = Path(__file__).resolve().parents[1] / "data" / "malformed"


def test_each_finding_is_an_annotation_on_its_file_and_line(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(MALFORMED.parents[2])
    assert main(["lint", "--format", "github", "tests/data/malformed"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "::error file=tests/data/malformed/missing-title.rst,line=1,title=talk lint::" \
           "the document has no title: expected '<Source system> to <Target system> " \
           "Dataflow' between two lines of '='" in out
    assert all(line.startswith(("::error file=", "::warning file=")) for line in out)


def test_annotation_values_are_escaped() -> None:
    from talk.commands.lint import github_annotation

    assert github_annotation("a,b:c.rst", 3, "warning", "50%\nmore") == \
        "::warning file=a%2Cb%3Ac.rst,line=3,title=talk lint::50%25%0Amore"
