#!/usr/bin/env python3
"""One entry point for the project's jobs, needing nothing but Python 3.11.

    python3 tasks.py checklist   the main job: lint the dataflows and run the checklist
    python3 tasks.py test        the whole test suite
    python3 tasks.py check       ruff and mypy --strict (CI runs them too)
    python3 tasks.py lock        rewrite constraints.txt from what .venv holds

Each job first makes `.venv/` (if missing, or made by another Python) and installs the
project into it with the versions constraints.txt pins, so a fresh clone needs no other
step.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

MINIMUM = (3, 11)
if sys.version_info < MINIMUM:  # before anything else: the venv is made by this Python
    sys.exit(f"tasks.py: talk needs Python {MINIMUM[0]}.{MINIMUM[1]} or newer; this is "
             f"{sys.version_info[0]}.{sys.version_info[1]} ({sys.executable}). "
             f"Run it as python3.11 tasks.py ...")

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".talk-installed"
CONSTRAINTS = ROOT / "constraints.txt"


def _run(*args: str | Path) -> int:
    print("+", " ".join(str(a) for a in args), file=sys.stderr, flush=True)
    # pytest keeps its assert-rewritten modules as bytecode; where bytecode is forbidden it
    # rewrites talk's and hypothesis' modules on every start (about 1.5 s a run).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.call([str(a) for a in args], cwd=ROOT, env=env)


def _venv_version() -> str | None:
    """The Python version that made .venv (`3.11.7`), from its pyvenv.cfg; None if none."""
    config = VENV / "pyvenv.cfg"
    if not config.is_file():
        return None
    for line in config.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() in {"version", "version_info"}:
            return value.strip()
    return None


def ensure_venv() -> None:
    """Create the venv and install `.[dev]` within constraints.txt; reinstall when
    pyproject.toml or constraints.txt changes; rebuild a venv made by another Python."""
    here = ".".join(str(n) for n in sys.version_info[:2])
    made_by = _venv_version()
    if made_by is not None and not made_by.startswith(f"{here}."):
        print(f"tasks.py: {VENV} was made by Python {made_by}, this is {here}: rebuilding it",
              file=sys.stderr)
        shutil.rmtree(VENV)
    inputs = (ROOT / "pyproject.toml").read_bytes() + CONSTRAINTS.read_bytes()
    wanted = hashlib.sha256(inputs).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and (BIN / "python").exists():
        return
    if not (BIN / "python").exists():
        print(f"creating {VENV}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if _run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip") != 0:
        sys.exit("tasks.py: could not upgrade pip in .venv")
    if _run(BIN / "python", "-m", "pip", "install", "--quiet", "-c", CONSTRAINTS,
            "-e", ".[dev]") != 0:
        sys.exit("tasks.py: could not install the project into .venv")
    STAMP.write_text(wanted)


def checklist(extra: list[str]) -> int:
    """Lint the documents, check the generated features are current, run the checklist.

    Writes reports/results.json, the HTML checklists and reports/junit.xml (for CI).
    Exit 1 if any item failed.
    """
    return (_run(BIN / "talk", "lint", "dataflows/")
            or _run(BIN / "talk", "generate", "--check", "dataflows/", "--out", "features/")
            or _run(BIN / "python", "-m", "pytest", "-q", "features/",
                    "--junitxml=reports/junit.xml", *extra))


def test(extra: list[str]) -> int:
    """Every test of talk (tests/) and the checklist itself (features/)."""
    return _run(BIN / "python", "-m", "pytest", "-q", *extra)


def check(extra: list[str]) -> int:
    return _run(BIN / "ruff", "check", ".") or _run(BIN / "mypy", "--strict", "talk")


def lock(extra: list[str]) -> int:
    """Pin the full installed set (what CI and tasks.py install) after a dependency change."""
    frozen = subprocess.run([str(BIN / "python"), "-m", "pip", "freeze", "--exclude-editable"],
                            capture_output=True, text=True, check=False)
    if frozen.returncode != 0:
        sys.exit("tasks.py: pip freeze failed in .venv")
    header = "# The full set of pinned versions `python3 tasks.py` and CI install (-c).\n" \
             "# Regenerate with `python3 tasks.py lock` after changing pyproject.toml.\n"
    lines = sorted(line for line in frozen.stdout.splitlines()
                   if line and not line.startswith(("-e ", "talk", "#")))
    CONSTRAINTS.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"tasks.py: {len(lines)} packages pinned in {CONSTRAINTS.name}", file=sys.stderr)
    return 0


JOBS = {"checklist": checklist, "test": test, "check": check, "lock": lock}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in JOBS or argv[0] in {"-h", "--help"}:
        print(__doc__.strip())
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    ensure_venv()
    return JOBS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
