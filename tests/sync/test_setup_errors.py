"""Setup mistakes a new user makes are said before any request, in one line that names
what to fix: a missing token, a --dataflows path that does not exist."""

from __future__ import annotations

from pathlib import Path

import pytest
import responses

from talk.cli import main

from .helpers import DATAFLOWS

CONFIG = """\
[systems.keap]
base_url = "http://127.0.0.1:9/keap/crm/rest/v1"

[systems.webcrm]
base_url = "http://127.0.0.1:9/webcrm"
"""


def _errors(capsys: pytest.CaptureFixture[str]) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("talk sync:")]


def _sync_without_requests(tmp_path: Path) -> int:
    """Run `talk sync` against talk.toml; no request may be sent."""
    config = tmp_path / "talk.toml"
    config.write_text(CONFIG, encoding="utf-8")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as sent:
        code = main(["sync", "--dataflows", str(DATAFLOWS / "keap-to-webcrm.rst"),
                     "--config", str(config), "--state", str(tmp_path / "state.db")])
        assert len(sent.calls) == 0
    return code


def test_missing_tokens_are_named_before_the_first_request(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("TALK_KEAP_TOKEN", raising=False)
    monkeypatch.delenv("TALK_WEBCRM_TOKEN", raising=False)
    assert _sync_without_requests(tmp_path) == 2
    [line] = _errors(capsys)
    assert "TALK_KEAP_TOKEN and TALK_WEBCRM_TOKEN" in line, line
    assert not (tmp_path / "state.db").exists()  # nothing begun


def test_one_missing_token_is_named_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TALK_KEAP_TOKEN", "t")
    monkeypatch.delenv("TALK_WEBCRM_TOKEN", raising=False)
    assert _sync_without_requests(tmp_path) == 2
    [line] = _errors(capsys)
    assert "TALK_WEBCRM_TOKEN" in line and "TALK_KEAP_TOKEN" not in line, line


def test_a_dataflows_path_that_does_not_exist_has_no_line_number(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nosuch"
    assert main(["sync", "--emulate", "--dataflows", str(missing)]) == 2
    [line] = _errors(capsys)
    assert line == f"talk sync: {missing}: no such file or folder (--dataflows)"
