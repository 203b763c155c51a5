"""tasks.py refuses a Python older than 3.11 and rebuilds a .venv another Python made."""

from __future__ import annotations

import importlib.util
import runpy
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def _tasks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tasks_under_test", REPO / "tasks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_older_python_is_refused_naming_the_versions(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "version_info", (3, 10, 12, "final", 0))
    with pytest.raises(SystemExit) as stopped:
        runpy.run_path(str(REPO / "tasks.py"), run_name="tasks_old_python")
    assert "talk needs Python 3.11 or newer; this is 3.10" in str(stopped.value.code)


def test_a_venv_made_by_another_python_is_rebuilt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    tasks = _tasks()
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.10.12\n", encoding="utf-8")
    (venv / "bin" / "python").write_text("", encoding="utf-8")
    created: list[Path] = []
    ran: list[tuple[Any, ...]] = []

    class Builder:
        def __init__(self, **options: Any) -> None:
            pass

        def create(self, where: Path) -> None:
            created.append(where)
            (where / "bin").mkdir(parents=True)
            (where / "bin" / "python").write_text("", encoding="utf-8")

    monkeypatch.setattr(tasks, "VENV", venv)
    monkeypatch.setattr(tasks, "BIN", venv / "bin")
    monkeypatch.setattr(tasks, "STAMP", venv / ".talk-installed")
    monkeypatch.setattr(tasks.venv, "EnvBuilder", Builder)
    monkeypatch.setattr(tasks, "_run", lambda *args: ran.append(args) or 0)
    tasks.ensure_venv()
    assert "was made by Python 3.10.12" in capsys.readouterr().err
    assert created == [venv]
    install = next(args for args in ran if "-e" in args)
    assert "-c" in install and tasks.CONSTRAINTS in install
    ran.clear()
    tasks.ensure_venv()  # stamped: nothing to do the second time
    assert ran == [] and created == [venv]


def test_the_constraints_pin_every_runtime_dependency() -> None:
    pinned = {line.split("==")[0].lower() for line in
              (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines()
              if "==" in line}
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        name = requirement.split(">")[0].split("<")[0].split("=")[0].split("!")[0].strip()
        assert name.lower() in pinned, name
        assert "==" not in requirement, f"{requirement}: a range, not a pin"
