"""`talk sync` against `talk serve` over real HTTP ends where the in-process sync ends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from talk.cli import main
from talk.emulator.base import Clock, Emulator
from talk.emulator.server import EmulatorServer
from talk.sync.emulated import EmulatedSystems, systems_named
from talk.sync.seed import seed_samples
from talk.sync.store import SqliteLinkStore

from .helpers import DATAFLOWS, run_sync, seed_documents


def _records(emulators: dict[str, Emulator]) -> dict[str, dict[str, list[dict[str, object]]]]:
    return {key: {name: e.records(name) for name in e.entities()}
            for key, e in sorted(emulators.items())}


@pytest.fixture()
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0) as running:
        running.start()
        yield running


def test_sync_over_http_matches_in_process(tmp_path: Path, server: EmulatorServer,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    documents = seed_documents()
    with EmulatedSystems(documents) as in_process:
        seed_samples(in_process, documents, per_entity=2)
        run_sync(documents, in_process, SqliteLinkStore(tmp_path / "in-process.db"))
        expected = _records(in_process.emulators)

    clock = Clock()  # one clock for all systems, as EmulatedSystems has
    served = {p.key: server.mount_system(p, clock=clock) for p in systems_named(documents)}

    class Seeder:  # seed_samples needs only `.emulators`
        emulators = served

    seed_samples(Seeder(), documents, per_entity=2)  # type: ignore[arg-type]
    config = tmp_path / "talk.toml"
    config.write_text("".join(
        f'[systems.{key}]\nbase_url = "{emulator.base_url}"\n\n'
        for key, emulator in served.items()), encoding="utf-8")
    for key in served:
        monkeypatch.setenv(f"TALK_{key.upper()}_TOKEN", "secret-token")

    args = ["sync", "--dataflows", str(DATAFLOWS), "--config", str(config),
            "--state", str(tmp_path / "http.db"), "--json"]
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["totals"]["created"] > 0
    assert _records(served) == expected

    assert main(args) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["totals"]["writes"] == 0
    assert "secret-token" not in json.dumps(again)


def test_sync_without_a_base_url_says_what_is_missing(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "talk.toml"
    config.write_text('[systems.keap]\nbase_url = "http://127.0.0.1:9/keap"\n', encoding="utf-8")
    code = main(["sync", "--dataflows", str(DATAFLOWS / "keap-to-webcrm.rst"),
                 "--config", str(config), "--state", str(tmp_path / "s.db")])
    assert code == 2
    assert "no base_url for [systems.webcrm]" in capsys.readouterr().err


def test_emulate_prints_a_readable_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sync", "--emulate", "--dataflows", str(DATAFLOWS)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("seeded ")
    assert "first run:" in out and "second run (no edits in between):" in out
    first, second = out.split("second run")
    assert "created" in first
    assert "created" not in second and "writes" not in second


def test_emulate_json_is_alone_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sync", "--emulate", "--json", "--dataflows", str(DATAFLOWS)]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["totals"]["created"] > 0
    assert "reading" in captured.err  # progress goes to stderr


def test_watch_repeats_until_interrupted(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("talk.commands.sync.time.sleep", nap)
    code = main(["sync", "--emulate", "--json", "--watch", "5",
                 "--dataflows", str(DATAFLOWS / "keap-to-webcrm.rst")])
    assert code == 130
    assert naps == [5.0, 5.0]
    captured = capsys.readouterr()
    assert "interrupted" in captured.err
