"""A checklist project in a temporary folder: documents and their features (the plugin
brings the steps)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from talk.commands.init import init_project
from talk.dataflow.parser import parse_file
from talk.gherkin.generate import plan, write

REPO = Path(__file__).resolve().parents[2]


def make_project(root: Path, documents: Iterable[Path], folder: str = "dataflows") -> Path:
    """Copy the step library and `documents` under `root`, and generate their features."""
    init_project(root)
    (root / folder).mkdir(exist_ok=True)
    copies = []
    for document in documents:
        copy = root / folder / document.name
        shutil.copy(document, copy)
        copies.append(copy)
    cwd = Path.cwd()
    try:  # feature files name their document relative to where `talk generate` runs
        os.chdir(root)
        write(plan([parse_file(c.relative_to(root)) for c in copies], Path("features")))
    finally:
        os.chdir(cwd)
    return root

