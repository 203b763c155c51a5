"""The skeleton an OpenAPI/Swagger description must have before talk distils it.

A hand-edited or truncated description (`paths` a list, a path item a string) is refused
naming the file, the line and the part, instead of failing inside the importer. Checked
with `jsonschema`; the line is found by walking the part's keys through the text.
"""

from __future__ import annotations

import re
from typing import Any

from jsonschema import Draft202012Validator

__all__ = ["skeleton_problem"]

_OBJECT = {"type": "object"}
_OPERATION = {"type": "object", "properties": {
    "parameters": {"type": "array", "items": _OBJECT},
    "requestBody": _OBJECT, "responses": _OBJECT}}
_SKELETON: dict[str, Any] = {
    "type": "object",
    "properties": {
        "paths": {"type": "object", "additionalProperties": {
            "type": "object",
            "properties": {**{m: _OPERATION for m in ("get", "put", "post", "delete", "patch")},
                           "parameters": {"type": "array", "items": _OBJECT}}}},
        "components": {"type": "object", "properties": {
            "schemas": {"type": "object", "additionalProperties": _OBJECT}}},
        "definitions": {"type": "object", "additionalProperties": _OBJECT},
    },
}
_VALIDATOR = Draft202012Validator(_SKELETON)
_KINDS = {"object": "an object", "array": "a list"}


def _line(text: str, keys: list[str]) -> int:
    """The line of the last of `keys` found in order through the text (JSON or YAML)."""
    position = 0
    for key in keys:
        match = re.compile(rf"""(["']?){re.escape(key)}\1\s*:""").search(text, position)
        if match is None:
            break
        position = match.start()
    return text.count("\n", 0, position) + 1


def skeleton_problem(document: dict[str, Any], text: str) -> tuple[int, str] | None:
    """(line, what is wrong) for the first part not shaped as OpenAPI says, else None."""
    error = next(iter(sorted(_VALIDATOR.iter_errors(document), key=lambda e: list(e.path))),
                 None)
    if error is None:
        return None
    keys = [str(k) for k in error.absolute_path if isinstance(k, str)]
    where = " > ".join(str(k) for k in error.absolute_path) or "the document"
    wanted = error.validator_value if error.validator == "type" else "another shape"
    return _line(text, keys), f"{where} must be {_KINDS.get(str(wanted), str(wanted))}"
