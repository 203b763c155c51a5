"""Reading a results.json that a person or another run handed us, with errors a tester understands.

`load_results` trusts its input (the plugin wrote it); `read_results` checks the shape first
so that `talk report` and `--baseline` can say which field of which file is wrong instead of
failing with a KeyError deep inside the renderer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from talk.report.results import Results, Status, load_results

__all__ = ["ResultsFileError", "read_results"]

_STATUSES = ", ".join(s.value for s in Status)


class ResultsFileError(Exception):
    """A results file that is missing, not JSON, or not shaped like results.json."""


def read_results(path: Path) -> Results:
    """Load `path` after checking that it is a results.json; raise ResultsFileError if not."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ResultsFileError(f"{path}: no such results file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ResultsFileError(f"{path}: cannot read the results file: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ResultsFileError(
            f"{path}:{error.lineno}: not valid JSON ({error.msg})") from None
    problem = _problem(data)
    if problem:
        raise ResultsFileError(f"{path}: not a results.json: {problem}")
    return load_results(path)


def _problem(data: Any) -> str | None:
    """The first thing wrong with the parsed JSON, as `where: what`, or None."""
    if not isinstance(data, dict):
        return "the top level must be an object with a 'documents' list"
    documents = data.get("documents")
    if not isinstance(documents, list):
        return "'documents' must be a list"
    for d, document in enumerate(documents):
        where = f"documents[{d}]"
        problem = _expect(document, where, {"file": str}, {"title": str, "sections": list})
        if problem:
            return problem
        for s, section in enumerate(document.get("sections", [])):
            here = f"{where}.sections[{s}]"
            problem = _expect(section, here, {"title": str}, {"line": (int, type(None)),
                                                              "items": list})
            if problem:
                return problem
            for i, item in enumerate(section.get("items", [])):
                problem = _item_problem(item, f"{here}.items[{i}]")
                if problem:
                    return problem
    return None


def _item_problem(item: Any, where: str) -> str | None:
    problem = _expect(item, where, {"kind": str, "text": str, "status": str},
                      {"line": (int, type(None)), "message": str, "evidence": dict})
    if problem:
        return problem
    if item["status"] not in {s.value for s in Status}:
        return f"{where}.status: {item['status']!r} is not one of {_STATUSES}"
    return None


def _expect(value: Any, where: str, required: dict[str, Any],
            optional: dict[str, Any]) -> str | None:
    if not isinstance(value, dict):
        return f"{where}: must be an object"
    for key, kind in required.items():
        if key not in value:
            return f"{where}: '{key}' is missing"
        if not isinstance(value[key], kind) or isinstance(value[key], bool):
            return f"{where}.{key}: wrong type {type(value[key]).__name__}"
    for key, kind in optional.items():
        if key in value and (not isinstance(value[key], kind) or isinstance(value[key], bool)):
            return f"{where}.{key}: wrong type {type(value[key]).__name__}"
    return None
