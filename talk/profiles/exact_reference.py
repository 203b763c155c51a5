"""Exact Online's REST reference in JSON (one object per endpoint) -> a distilled profile.

The reference gives per endpoint its URI, the HTTP methods it supports and per property
its Edm type, whether it is the primary key and which methods accept it. It has no
"required" flags (the system profile adds what create needs by hand); a property whose
`post` is false cannot be written on create, one whose `put` is false not on update.
"""

from __future__ import annotations

from typing import Any

from talk.profiles.distilled import Distilled

__all__ = ["FORMAT", "distil_exact_reference", "is_exact_reference"]

FORMAT = "exact-rest-reference"
_DIVISION_PREFIX = "/api/v1/{division}/"
_EDM = {
    "Edm.String": ("string", None), "Edm.Guid": ("guid", None),
    "Edm.DateTime": ("datetime", None), "Edm.Boolean": ("boolean", None),
    "Edm.Int16": ("integer", "int16"), "Edm.Int32": ("integer", "int32"),
    "Edm.Int64": ("integer", "int64"), "Edm.Byte": ("integer", "byte"),
    "Edm.Double": ("number", "double"), "Edm.Decimal": ("number", "decimal"),
    "Edm.Binary": ("string", "binary"),
}


def is_exact_reference(document: Any) -> bool:
    """An object of endpoints, each with `uri`, `supportedMethods` and `properties`."""
    if not isinstance(document, dict) or not document:
        return False
    first = next(iter(document.values()))
    return isinstance(first, dict) and {"uri", "supportedMethods", "properties"} <= set(first)


def _property(prop: dict[str, Any]) -> dict[str, Any]:
    edm = str(prop.get("type", ""))
    # A type that is not Edm.* names another entity: an embedded collection of lines.
    kind, fmt = _EDM.get(edm, ("array", None))
    out: dict[str, Any] = {"type": kind}
    if fmt:
        out["format"] = fmt
    methods = prop.get("supportedMethods") or {}
    on_create, on_update = bool(methods.get("post")), bool(methods.get("put"))
    if prop.get("primaryKey") and kind == "guid":
        on_create = on_update = False  # the server assigns a GUID key
    if not on_create and not on_update:
        out["write"] = "never"
    elif not on_update:
        out["write"] = "create"
    elif not on_create:
        out["write"] = "update"
    return out


def _record_path(collection: str, keys: list[str], types: dict[str, str]) -> str | None:
    if len(keys) != 1:
        return None  # composite or no key: the reference shows no keyed read
    key = keys[0]
    return f"{collection}(guid'{{{key}}}')" if types[key] == "guid" else \
        f"{collection}({{{key}}})"


def distil_exact_reference(document: dict[str, Any], source_file: str) -> Distilled:
    entities: dict[str, Any] = {}
    for endpoint in document.values():
        uri = str(endpoint["uri"])
        collection = uri[len(_DIVISION_PREFIX):] if uri.startswith(_DIVISION_PREFIX) else uri
        props = {str(p["name"]): _property(p) for p in endpoint["properties"]}
        keys = sorted(str(p["name"]) for p in endpoint["properties"] if p.get("primaryKey"))
        methods = endpoint.get("supportedMethods") or {}
        record = _record_path(collection, keys, {k: props[k]["type"] for k in keys})
        operations = []
        if methods.get("get"):
            operations.append("list")
            if record:
                operations.append("read")
        for method, operation in (("post", "create"), ("put", "update"),
                                  ("delete", "delete")):
            if methods.get(method) and (record or operation == "create"):
                operations.append(operation)
        entities[collection] = {
            "name": str(endpoint["endpoint"]),
            "collection": collection,
            "record": record,
            "key": keys,
            "operations": sorted(operations),
            "list_key": "d.results",
            "record_key": "d",
            "paging": "skiptoken",
            "required": [],
            "properties": props,
            "documentation": str(endpoint.get("documentation", "")),
        }
    return {
        "description": {"file": source_file, "format": FORMAT,
                        "title": "Exact Online REST API reference", "version": "2022-03"},
        "assumed": [
            "required fields on create: none in the reference (hand-written in the profile)",
            "paging: 60 rows and __next with $skiptoken (API notes, not the reference)",
            "errors: {\"error\": {\"message\": {\"value\": ...}}} (API notes)",
        ],
        "entities": entities,
    }
