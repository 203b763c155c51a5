"""`talk init`: lay out a QA repository for talk in the current folder.

Keeps `dataflows/` as it is, adds `features/` and `features/handwritten/`, and turns the
talk pytest plugin on with a `pytest.ini` (the plugin does nothing in a project that has
not opted in). An existing pytest configuration is never edited: talk prints the line to
add instead.
"""

from __future__ import annotations

import argparse
import configparser
import sys
from pathlib import Path
from typing import Any

__all__ = ["PYTEST_INI", "init_project", "register", "run"]

PYTEST_INI = """\
# Written by `talk init`: the .feature files under features/ are talk checklists.
[pytest]
testpaths = features
talk_features = features
"""

DESCRIPTION = """\
Lay out a QA repository in the current folder (or DIR): dataflows/ (kept as it is),
features/, features/handwritten/ and a pytest.ini that turns the talk plugin on.
Then: `talk generate dataflows/ --out features/` and `pytest features/`."""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "init", help="lay out a QA repository for talk here", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", default=".", metavar="DIR",
                        help="the repository folder (default: the current folder)")


def run(args: argparse.Namespace) -> int:
    root = Path(args.folder)
    if not root.is_dir():
        print(f"talk init: {root}: no such folder", file=sys.stderr)
        return 2
    for line in init_project(root):
        print(line, file=sys.stderr)
    return 0


def init_project(root: Path) -> list[str]:
    """Create what is missing under `root`; return one line per thing done or to do."""
    done = []
    for folder in ("dataflows", "features", "features/handwritten"):
        path = root / folder
        if not path.is_dir():
            path.mkdir(parents=True)
            done.append(f"created {folder}/")
    existing = _pytest_config(root)
    if existing is None:
        (root / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
        done.append("created pytest.ini (talk_features = features)")
    elif not _mentions_talk(root / existing):
        done.append(f"{existing} configures pytest already: add `talk_features = features` "
                    "to its pytest section to turn talk on")
    gitignore = root / ".gitignore"
    ignored = gitignore.read_text(encoding="utf-8").splitlines() if gitignore.is_file() else []
    missing = [entry for entry in ("reports/", ".talk/", ".pytest_cache/")
               if entry not in ignored]
    if missing:
        with gitignore.open("a", encoding="utf-8") as out:
            out.writelines(f"{entry}\n" for entry in missing)
        done.append(f"ignored {', '.join(missing)} in .gitignore")
    return done or ["nothing to do: the folder is laid out for talk"]


def _pytest_config(root: Path) -> str | None:
    """The file that configures pytest for `root`, as pytest would find it, or None."""
    if (root / "pytest.ini").is_file() or (root / ".pytest.ini").is_file():
        return "pytest.ini" if (root / "pytest.ini").is_file() else ".pytest.ini"
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and "[tool.pytest" in pyproject.read_text(encoding="utf-8"):
        return "pyproject.toml"
    for name, section in (("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        parser = configparser.ConfigParser()
        try:
            parser.read(root / name, encoding="utf-8")
        except configparser.Error:
            continue
        if parser.has_section(section):
            return name
    return None


def _mentions_talk(path: Path) -> bool:
    return "talk_features" in path.read_text(encoding="utf-8")
