#!/usr/bin/env python3
"""One entry point for the project's jobs, needing nothing but Python 3.11.

    python3 tasks.py checklist   the main job: lint the dataflows and run the checklist
    python3 tasks.py test        the whole test suite
    python3 tasks.py check       ruff and mypy --strict (CI runs them too)

Each job first makes `.venv/` (if missing) and installs the project into it with its
pinned dependencies, so a fresh clone needs no other step.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".talk-installed"


def _run(*args: str | Path) -> int:
    print("+", " ".join(str(a) for a in args), file=sys.stderr, flush=True)
    # pytest keeps its assert-rewritten modules as bytecode; where bytecode is forbidden it
    # rewrites talk's and hypothesis' modules on every start (about 1.5 s a run).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.call([str(a) for a in args], cwd=ROOT, env=env)


def ensure_venv() -> None:
    """Create the venv and install `.[dev]`; reinstall when pyproject.toml changes."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"creating {VENV}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if _run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip") != 0:
        sys.exit("tasks.py: could not upgrade pip in .venv")
    if _run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[dev]") != 0:
        sys.exit("tasks.py: could not install the project into .venv")
    STAMP.write_text(wanted)


def checklist(extra: list[str]) -> int:
    """Lint the documents, check the generated features are current, run the checklist.

    Writes reports/results.json and the HTML checklists. Exit 1 if any item failed.
    """
    return (_run(BIN / "talk", "lint", "dataflows/")
            or _run(BIN / "talk", "generate", "--check", "dataflows/", "--out", "features/")
            or _run(BIN / "python", "-m", "pytest", "-q", "features/", *extra))


def test(extra: list[str]) -> int:
    """Every test of talk (tests/) and the checklist itself (features/)."""
    return _run(BIN / "python", "-m", "pytest", "-q", *extra)


def check(extra: list[str]) -> int:
    return _run(BIN / "ruff", "check", ".") or _run(BIN / "mypy", "--strict", "talk")


JOBS = {"checklist": checklist, "test": test, "check": check}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in JOBS or argv[0] in {"-h", "--help"}:
        print(__doc__.strip())
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    ensure_venv()
    return JOBS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
