"""One run per state file: two `talk sync` at once create no duplicate; a second run waits a
bounded time or exits 2 naming the holder; a lock left by a killed run never blocks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from talk.cli import main
from talk.emulator.server import EmulatorServer
from talk.sync.store import RunLock, StateLocked
from talk.systems.registry import profile_for

from .helpers import DATAFLOWS, ROOT

_HOLD = textwrap.dedent("""
    import sys, time
    from talk.sync.store import RunLock
    with RunLock(sys.argv[1], wait=0):
        print("locked", flush=True)
        time.sleep(60)
""")


_TALK = "import sys; from talk.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.fixture()
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the lock of tmp_path/state.db."""
    process = subprocess.Popen([sys.executable, "-c", _HOLD, str(tmp_path / "state.db")],
                               stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert process.stdout is not None and process.stdout.readline() == "locked\n"
        yield process
    finally:
        process.kill()
        process.wait(timeout=10)


def test_a_second_run_exits_2_naming_the_holder(tmp_path: Path,
                                                holder: subprocess.Popen[str],
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TALK_KEAP_TOKEN", "t")
    monkeypatch.setenv("TALK_WEBCRM_TOKEN", "t")
    config = tmp_path / "talk.toml"
    config.write_text('[systems.keap]\nbase_url = "http://127.0.0.1:9/keap"\n'
                      '[systems.webcrm]\nbase_url = "http://127.0.0.1:9/webcrm"\n',
                      encoding="utf-8")
    code = main(["sync", "--dataflows", str(DATAFLOWS / "keap-to-webcrm.rst"), "--config",
                 str(config), "--state", str(tmp_path / "state.db"), "--wait", "0.3"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert f"process {holder.pid}" in err and "in use by another run" in err
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_a_lock_left_by_a_killed_run_never_blocks(tmp_path: Path,
                                                  holder: subprocess.Popen[str]) -> None:
    with pytest.raises(StateLocked):
        RunLock(tmp_path / "state.db", wait=0).__enter__()
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    with RunLock(tmp_path / "state.db", wait=0):
        pass


def test_two_concurrent_runs_create_no_duplicate(tmp_path: Path) -> None:
    with EmulatorServer(port=0) as server:
        server.start()
        keap = server.mount_system(profile_for("Keap"))
        webcrm = server.mount_system(profile_for("WebCRM"))
        for n in range(300):
            keap.seed("Companies", {"company_name": f"Company {n}"})
            keap.seed("Product", {"product_name": f"Product {n}", "product_price": n})
        config = tmp_path / "talk.toml"
        config.write_text(f'[systems.keap]\nbase_url = "{keap.base_url}"\n'
                          f'[systems.webcrm]\nbase_url = "{webcrm.base_url}"\n',
                          encoding="utf-8")
        env = {**os.environ, "TALK_KEAP_TOKEN": "t", "TALK_WEBCRM_TOKEN": "t"}
        command = [sys.executable, "-c", _TALK, "sync", "--dataflows",
                   str(DATAFLOWS / "keap-to-webcrm.rst"), "--config", str(config),
                   "--state", str(tmp_path / "state.db"), "--wait", "120"]
        runs = [subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
        errors = [run.communicate(timeout=180)[1] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], errors
        assert len(webcrm.records("Organisations")) == 300
        assert len(webcrm.records("Products")) == 300
