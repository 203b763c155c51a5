"""Every documented failure of the state file exits 2 with one line on stderr, no traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from talk.cli import main
from talk.commands import sync as sync_command
from talk.sync.store import Ref, SqliteLinkStore

from .helpers import DATAFLOWS, Killed


def _sync(state: Path) -> list[str]:
    return ["sync", "--emulate", "--dataflows", str(DATAFLOWS), "--state", str(state)]


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The one error line (progress lines may come before it on stderr)."""
    err = capsys.readouterr().err
    assert "Traceback" not in err and "sqlite3." not in err
    errors = [line for line in err.splitlines() if line.startswith("talk sync:")]
    assert len(errors) == 1, err
    return errors[0]


def test_a_corrupt_state_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "state.db"
    state.write_bytes(b"this is not a database, it is a note someone saved here\n" * 100)
    assert main(_sync(state)) == 2
    line = _one_line(capsys)
    assert str(state) in line and "not a talk state file" in line


def test_an_unopenable_state_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "state.db"
    state.mkdir()  # a folder where the file should be (root reads any file; not a folder)
    assert main(_sync(state)) == 2
    assert "cannot be opened" in _one_line(capsys)


def test_a_state_folder_that_cannot_be_made(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "blocked").write_text("a file where the folder should be", encoding="utf-8")
    assert main(_sync(tmp_path / "blocked" / "state.db")) == 2
    assert "cannot be opened" in _one_line(capsys)


class _Limited(SqliteLinkStore):
    """A store whose writes fail as SQLite fails them: `pragma` is applied after opening."""

    pragma = ""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self._db.execute(self.pragma.format(pages=self._db.execute(
            "PRAGMA page_count").fetchone()[0]))


@pytest.mark.parametrize(("pragma", "words"), [
    ("PRAGMA max_page_count = {pages}", "the disk is full"),  # SQLITE_FULL
    ("PRAGMA query_only = ON", "cannot be opened for reading and writing"),  # read-only
])
def test_a_state_file_that_fails_mid_run(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch, pragma: str,
                                         words: str) -> None:
    monkeypatch.setattr(_Limited, "pragma", pragma)
    monkeypatch.setattr(sync_command, "SqliteLinkStore", _Limited)
    assert main(_sync(tmp_path / "state.db")) == 2
    line = _one_line(capsys)
    assert words in line, line
    assert "no transaction is active" not in line


def test_the_full_disk_is_not_hidden_by_the_rollback(tmp_path: Path) -> None:
    store = SqliteLinkStore(tmp_path / "state.db")
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(sqlite3.OperationalError, match="full"), store.transaction():
        for n in range(2000):
            store.add_retry(Ref("s", "e", str(n)), "x" * 200)


def test_an_emptied_state_file_is_refused_not_started_over(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "state.db"
    assert main(_sync(state)) == 0
    capsys.readouterr()
    state.write_bytes(b"")  # `: > .talk/state.db`: starting over would duplicate every record
    assert main(_sync(state)) == 2
    line = _one_line(capsys)
    assert str(state) in line and "empty" in line and "duplicates" in line, line
    assert state.stat().st_size == 0  # left as it was, for the reader to restore


def test_a_first_run_killed_while_creating_its_state_leaves_no_empty_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "state.db"
    connect = sqlite3.connect

    def killed_after_the_file_appears(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connect(*args, **kwargs)  # SQLite has made the (still empty) file
        raise Killed

    monkeypatch.setattr(sqlite3, "connect", killed_after_the_file_appears)
    with pytest.raises(Killed):
        SqliteLinkStore(state)
    monkeypatch.undo()
    assert not state.exists() or state.stat().st_size > 0
    store = SqliteLinkStore(state)  # the next run starts cleanly
    store.link(Ref("a", "e", "1"), Ref("b", "e", "1"), "s")
    store.close()
    assert SqliteLinkStore(state).counts()["members"] == 2
    assert not (tmp_path / "state.db.new").exists()
