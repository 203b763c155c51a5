"""The distilled profile: its JSON shape, its deterministic text and loading it.

Shape (every key sorted, one property per line):

    {"system": "exact",
     "description": {"file", "format", "title", "version"},
     "assumed": ["what the description does not say and talk assumes", ...],
     "entities": {"<collection path>": {
         "name": "SalesOrderLines", "collection": "salesorder/SalesOrderLines",
         "record": "salesorder/SalesOrderLines(guid'{ID}')" | null, "key": ["ID"],
         "operations": ["create", "delete", "list", "read", "update"],
         "list_key": "d.results" | null, "record_key": "value" | null,
         "paging": "skiptoken" | "from_count" | "offset_limit" | "page_size" | ... | null,
         "required": ["Name"], "answer_required": ["ID"] (only when the read's schema
         requires fields),
         "properties": {"Name": {"type": "string", "maxLength": 50, "write": "create"}}}}}

A property's `type` is a talk FieldType value; optional keys: `format`, `enum` (also a
`const`), `nullable`, `maxLength`, `pattern`, and `write` ("never", "create" or
"update") when it cannot be written on both create and update.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["DATA_PACKAGE", "Distilled", "available", "dump", "load"]

Distilled = dict[str, Any]
DATA_PACKAGE = "talk.profiles.data"


def _compact(value: Any) -> bool:
    """Whether a value is printed on one line (a property, a list of names)."""
    if isinstance(value, list):
        return all(not isinstance(v, dict | list) for v in value)
    if isinstance(value, dict):
        return all(not isinstance(v, dict) and _compact(v) for v in value.values())
    return True


def _emit(value: Any, indent: int, out: list[str]) -> None:
    if not isinstance(value, dict) or (_compact(value) and indent >= 3):
        out.append(json.dumps(value, sort_keys=True, ensure_ascii=False))
        return
    if not value:
        out.append("{}")
        return
    pad = " " * (indent + 1)
    out.append("{\n")
    for number, key in enumerate(sorted(value)):
        out.append(f"{pad}{json.dumps(key, ensure_ascii=False)}: ")
        _emit(value[key], indent + 1, out)
        out.append(",\n" if number < len(value) - 1 else "\n")
    out.append(" " * indent + "}")


def dump(profile: Distilled) -> str:
    """The profile as text: identical input gives identical bytes, a diff shows one field."""
    out: list[str] = []
    _emit(profile, 0, out)
    return "".join(out) + "\n"


def available() -> list[str]:
    """System keys that have a committed distilled profile."""
    return sorted(entry.name.removesuffix(".json")
                  for entry in resources.files(DATA_PACKAGE).iterdir()
                  if entry.name.endswith(".json"))


@cache
def load(system: str) -> Distilled:
    """The committed distilled profile of a system (KeyError when there is none)."""
    entry = resources.files(DATA_PACKAGE) / f"{system}.json"
    if not entry.is_file():
        raise KeyError(system)
    data: Distilled = json.loads(entry.read_text(encoding="utf-8"))
    return data
