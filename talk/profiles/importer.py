"""Read a description file of any supported format and distil it (`talk profile import`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import yaml

from talk.profiles.csdl import distil_csdl, is_csdl
from talk.profiles.distilled import Distilled
from talk.profiles.exact_reference import distil_exact_reference, is_exact_reference
from talk.profiles.openapi import distil_openapi, openapi_version
from talk.profiles.skeleton import skeleton_problem

__all__ = ["DescriptionError", "import_description"]


class DescriptionError(ValueError):
    """A file that is no description talk can read; the message names file and reason."""


def _parse(path: Path, text: str) -> Any:
    try:
        if path.suffix.lower() in {".yaml", ".yml"}:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            return yaml.load(text, Loader=loader)
        return json.loads(text)
    except (ValueError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        line = getattr(exc, "lineno", None) if line is None else line + 1
        where = f"{path}:{line}" if line else str(path)
        raise DescriptionError(f"{where}: not valid {path.suffix.lstrip('.').upper() or 'JSON'}"
                               ) from None


def import_description(path: Path, system: str) -> Distilled:
    """The distilled profile of `system` from the description at `path`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DescriptionError(f"{path}: cannot read it ({exc.strerror or 'unreadable'})") \
            from None
    if is_csdl(text):
        try:
            distilled = distil_csdl(text, path.name)
        except ParseError as exc:  # it names line and column
            line = f":{exc.position[0]}" if exc.position else ""
            raise DescriptionError(f"{path}{line}: not well-formed OData $metadata") from None
    else:
        document = _parse(path, text)
        if openapi_version(document):
            problem = skeleton_problem(document, text)
            if problem is not None:
                raise DescriptionError(f"{path}:{problem[0]}: not a usable OpenAPI "
                                       f"description: {problem[1]}")
            distilled = distil_openapi(document, path.name)
        elif is_exact_reference(document):
            distilled = distil_exact_reference(document, path.name)
        else:
            raise DescriptionError(f"{path}:1: neither OpenAPI/Swagger, OData CSDL nor "
                                   "Exact's REST reference")
    return {"system": system, **distilled}
