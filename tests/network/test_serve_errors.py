"""`talk serve` refuses what it cannot do with exit 2 and one line, never a traceback."""

from __future__ import annotations

import pytest

from talk.cli import main


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_a_port_out_of_range(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", port]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0], err
    assert f"--port {port}" in err[0] and "0 to 65535" in err[0]
