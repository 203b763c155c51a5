"""Each subcommand reports an option it does not know with its own usage, exit 2."""

from __future__ import annotations

import pytest

from talk.cli import main


@pytest.mark.parametrize("argv", [["lint", "--bogus"], ["lint", "x.rst", "--bogus"],
                                  ["sync", "--bogus"], ["profile", "import", "--bogus"]])
def test_an_unknown_option_is_named_by_its_subcommand(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    err = capsys.readouterr().err
    command = " ".join(a for a in argv if not a.startswith("-") and "." not in a)
    assert exit_.value.code == 2
    assert f"usage: talk {command} " in err
    assert f"talk {command}: error: unrecognized arguments: --bogus" in err


def test_known_options_abbreviations_and_values_still_parse(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--form", "json", "--", "-missing.rst"]) == 2
    assert "unrecognized" not in capsys.readouterr().err
