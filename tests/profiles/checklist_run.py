"""Run small documents as a QA repository would: lint, generate, `pytest features/`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from talk.cli import main

REPO = Path(__file__).resolve().parents[2]
Item = tuple[str, str, str, str]  # document file, item text, status, message


def run_in(root: Path, documents: dict[str, str], *, lint: bool = True) -> Path:
    """`documents` (file name -> text) written to `root`/dataflows, generated and run as one
    checklist; `root` (its reports/ hold the results). `lint`: lint must find no error."""
    folder = root / "dataflows"
    folder.mkdir()
    for name, text in documents.items():
        (folder / name).write_text(text, encoding="utf-8")
    cwd = Path.cwd()
    try:
        os.chdir(root)
        assert not lint or main(["lint", "dataflows"]) == 0
        assert main(["generate", "dataflows", "--out", "features"]) == 0
    finally:
        os.chdir(cwd)
    (root / "pytest.ini").write_text("[pytest]\ntalk_features = features\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pytest", "-q", "features", "-c", "pytest.ini",
                    "--rootdir", ".", "-p", "no:randomly", "-p", "no:cacheprovider"],
                   cwd=root, env={**os.environ, "PYTHONPATH": str(REPO)},
                   capture_output=True, text=True, timeout=600, check=False)
    return root


def run_checklist(root: Path, documents: dict[str, str]) -> list[Item]:
    """Every checklist item of `documents` after one run in `root`; lint must find no
    error in them."""
    results = json.loads((run_in(root, documents) / "reports" / "results.json")
                         .read_text(encoding="utf-8"))
    return [(doc["file"], item["text"], item["status"], item["message"])
            for doc in results["documents"] for part in doc["sections"]
            for item in part["items"]]
