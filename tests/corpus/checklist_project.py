"""Run the checklist of small written documents in a pytester folder; read results.json."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from talk.dataflow.parser import parse_file
from talk.gherkin.generate import plan_each, write

__all__ = ["items", "run_checklist"]


def run_checklist(pytester: pytest.Pytester, documents: dict[str, str],
                  *args: str) -> dict[str, Any]:
    """Write `documents` ({file name: text}) to dataflows/, generate, run; results.json."""
    folder = pytester.path / "dataflows"
    folder.mkdir(exist_ok=True)
    for name, text in documents.items():
        (folder / name).write_text(text, encoding="utf-8")
    cwd = Path.cwd()
    try:  # features name their document relative to where `talk generate` runs
        os.chdir(pytester.path)
        dataflows = [parse_file(Path("dataflows") / name) for name in sorted(documents)]
        planned, problems = plan_each(dataflows, Path("features"))
        assert not problems, problems
        write(planned)
    finally:
        os.chdir(cwd)
    pytester.runpytest("features", "--talk", "-p", "no:randomly", *args)  # talk opted in
    report = pytester.path / "reports" / "results.json"
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return data


def items(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item, with its document's file and its section's title and line."""
    return [dict(item, file=document["file"], section=section["title"],
                 section_line=section["line"])
            for document in results["documents"] for section in document["sections"]
            for item in section["items"]]
