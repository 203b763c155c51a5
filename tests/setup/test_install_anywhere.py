"""Acceptance: talk installed (not editable) into a fresh virtual environment runs the
checklist of a folder holding only dataflows/, with `talk init`, `talk generate` and
`pytest features/`: the step library and the plugin come with the package."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = "Scripts" if os.name == "nt" else "bin"


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "VIRTUAL_ENV"))}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with talk installed from a wheel built from this checkout."""
    root = tmp_path_factory.mktemp("install")
    wheels = root / "wheels"
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels,
                 REPO, cwd=root)
    assert built.returncode == 0, built.stderr[-2000:]
    environment = root / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    wheel = next(wheels.glob("talk-*.whl"))
    done = _run(environment / BIN / "python", "-m", "pip", "install", "--quiet",
                "-c", REPO / "constraints.txt", wheel, cwd=root)
    assert done.returncode == 0, done.stderr[-2000:]
    return environment / BIN


def test_a_folder_holding_only_dataflows_passes_its_checklist(
        installed: Path, tmp_path: Path) -> None:
    shutil.copytree(REPO / "dataflows", tmp_path / "dataflows")
    init = _run(installed / "talk", "init", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    generate = _run(installed / "talk", "generate", "dataflows/", "--out", "features/",
                    cwd=tmp_path)
    assert generate.returncode == 0, generate.stderr
    checklist = _run(installed / "python", "-m", "pytest", "features/", "-q", cwd=tmp_path)
    assert checklist.returncode == 0, checklist.stdout[-3000:]
    results = json.loads((tmp_path / "reports" / "results.json").read_text("utf-8"))
    assert results["totals"]["failed"] == 0
    assert results["totals"]["passed"] > 40
    assert not (tmp_path / "conftest.py").exists()
    assert checklist.stdout.rstrip().splitlines()[-1].startswith("talk: open ")


def test_the_installed_talk_knows_its_version_and_runs_as_a_module(installed: Path,
                                                                  tmp_path: Path) -> None:
    from talk import __version__

    shown = _run(installed / "python", "-m", "talk", "--version", cwd=tmp_path)
    assert shown.returncode == 0
    assert shown.stdout.strip() == f"talk {__version__}"
