"""The command line behaves as command-line tools do: --version, `python -m talk`, quiet on
a closed pipe, -v showing retries, reasons for failures, errors naming the real cause."""

from __future__ import annotations

import logging
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
import responses

from talk import __version__
from talk.cli import main
from talk.connectors import connector_for
from talk.connectors.base import RetryPolicy
from talk.systems.registry import profile_for

REPO = Path(__file__).resolve().parents[2]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"talk {__version__}\n"


def test_python_dash_m_talk_is_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "talk", "steps", "--format", "json"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout.startswith("[")


def test_a_closed_pipe_ends_quietly() -> None:
    many = ["dataflows/"] * 40  # more than a pipe holds: the writer must meet the closed end
    process = subprocess.Popen([sys.executable, "-m", "talk", "lint", "--format", "json",
                                *many], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)  # `| head -c 10`: the reader leaves early
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) != 0
    assert "Traceback" not in error and "BrokenPipe" not in error


@responses.activate
def test_verbose_shows_each_retry_wait(caplog: pytest.LogCaptureFixture) -> None:
    profile = profile_for("Keap")
    url = "https://keap.example/crm/rest/v1/companies"
    responses.get(url, status=503, json={"message": "busy"})
    responses.get(url, status=503, json={"message": "busy"})
    responses.get(url, json={"companies": []})
    connector = connector_for(profile, "https://keap.example/crm/rest/v1", "token",
                              retry=RetryPolicy(sleep=lambda s: None))
    with caplog.at_level(logging.INFO, logger="talk"):
        connector.request("GET", url)
    waits = [r.getMessage() for r in caplog.records if "retry in" in r.getMessage()]
    assert len(waits) == 2
    assert re.search(r"GET https://keap.example/crm/rest/v1/companies: 503, retry in "
                     r"[0-9.]+ s \(2/6\)$", waits[0]), waits
    assert waits[1].endswith("(3/6)")


def test_verbose_flag_turns_the_retry_log_on(capsys: pytest.CaptureFixture[str]) -> None:
    main(["-v", "steps", "--format", "json"])
    logging.getLogger("talk.connectors.base").info("503, retry in 4 s (2/6)")
    assert "talk: 503, retry in 4 s (2/6)" in capsys.readouterr().err
    main(["steps", "--format", "json"])
    logging.getLogger("talk.connectors.base").info("hidden")
    assert "hidden" not in capsys.readouterr().err


def test_sync_text_output_gives_each_failure_its_reason(
        capsys: pytest.CaptureFixture[str]) -> None:
    from talk.commands.sync import _emit
    from talk.sync.report import Detail, RunReport

    report = RunReport(details=[Detail("failure", "dataflows/keap-to-webcrm.rst",
                                       "Keap Companies to Webcrm Organisations", 12, "webcrm",
                                       "Organisations", None, "503 busy after 6 attempts")])
    _emit(report, False)
    assert "  failure: webcrm Organisations: 503 busy after 6 attempts" in \
        capsys.readouterr().out


def test_sync_text_output_shows_the_first_reasons_then_how_many_more(
        capsys: pytest.CaptureFixture[str]) -> None:
    """The reasons are part of the text report on stdout, failures before skipped sections:
    `read 3, failed 3` alone says nothing about what to fix."""
    from talk.commands.sync import _emit
    from talk.sync.report import Detail, RunReport

    def detail(kind: str, number: int) -> Detail:
        return Detail(kind, "doc", "Custom Customer to Keap Companies", 12, "customerp",
                      "Customer", f"customer-{number}", f"doc.rst:19: active -> notes: "
                      f"cannot convert false to integer ({kind} {number})")

    report = RunReport(details=[detail("skipped", 0)] + [detail("failure", n)
                                                         for n in range(1, 8)])
    _emit(report, False)
    out = capsys.readouterr().out
    shown = [line for line in out.splitlines() if "cannot convert false" in line]
    assert len(shown) == 5 and all(line.startswith("  failure: ") for line in shown)
    assert "customerp Customer customer-1: doc.rst:19: active -> notes" in shown[0]
    assert out.rstrip().endswith("and 3 more (--json lists them all)")


def test_sync_without_talk_toml_says_it_is_missing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["sync", "--dataflows", str(REPO / "dataflows")]) == 2
    error = capsys.readouterr().err
    assert f"{tmp_path / 'talk.toml'}: no such file (and no --config)" in error
    assert "or use --emulate" in error


def test_serve_seeds_sample_records_and_logs_each_request() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "talk", "serve", "--port", "0", "--seed", "2"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(30, process.kill)
    watchdog.start()
    try:
        assert process.stdout is not None
        urls = {}
        while "webcrm" not in urls or "keap" not in urls:
            key, url = process.stdout.readline().split()
            urls[key] = url
        auth = {"Authorization": "Bearer whatever"}
        answer = requests.get(f"{urls['keap']}/companies", headers=auth, timeout=5).json()
        assert len(answer["companies"]) == 2
        process.send_signal(signal.SIGINT)
        _, error = process.communicate(timeout=10)
        assert "seeded" in error
        assert '"GET /keap/crm/rest/v1/companies HTTP/1.1" 200' in error
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
