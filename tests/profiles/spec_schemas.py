"""The response schemas of ../shared/specs descriptions, as jsonschema validators.

The whole description is one `referencing` resource, so its own `$ref`s resolve as
written. OpenAPI 3.0's `nullable: true` and Swagger's `x-nullable` become a `null` type
(their meaning; JSON Schema has no such keyword).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

__all__ = ["SPECS", "entity_type_validator", "exact_validator", "response_validator"]

SPECS = Path(__file__).resolve().parents[2].parent / "shared" / "specs"
# jsonschema checks `date-time` only with an optional package; ISO 8601 as Python reads it.
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or ("T" in value and bool(datetime.fromisoformat(value)))


def _nullable(node: Any) -> Any:
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {str(key): _nullable(value) for key, value in node.items()}  # YAML's 201: "201"
    if (out.get("nullable") is True or out.get("x-nullable") is True) and \
            isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out


@cache
def _registry(file: str) -> tuple[Registry, dict[str, Any]]:
    text = (SPECS / file).read_text(encoding="utf-8")
    document = _nullable(json.loads(text) if file.endswith(".json") else yaml.safe_load(text))
    return Registry().with_resource(f"urn:{file}", DRAFT202012.create_resource(document)), \
        document


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def response_validator(file: str, method: str, path: str) -> Draft202012Validator:
    """A validator of the JSON answer the description declares for `method path`
    (201, else 200, else its default response)."""
    registry, document = _registry(file)
    responses = document["paths"][path][method.lower()]["responses"]
    for status in ("201", "200", "default"):
        answer = responses.get(status)
        if answer is None:
            continue
        pointer = f"/paths/{_escape(path)}/{method.lower()}/responses/{status}"
        if "schema" in answer:  # OpenAPI 2
            schema_pointer = f"{pointer}/schema"
        else:
            media = "application/json"
            if media not in answer.get("content", {}):
                continue
            schema_pointer = f"{pointer}/content/{_escape(media)}/schema"
        schema = {"$ref": f"urn:{file}#{schema_pointer}"}
        return Draft202012Validator(schema, registry=registry,
                                    format_checker=FORMATS)
    raise LookupError(f"{file} declares no JSON answer for {method} {path}")


_EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
_EDM_TYPES = {
    "Edm.String": {"type": "string"}, "Edm.Guid": {"type": "string", "format": "uuid"},
    "Edm.DateTimeOffset": {"type": "string", "format": "date-time"},
    "Edm.Date": {"type": "string", "format": "date"}, "Edm.Boolean": {"type": "boolean"},
    "Edm.Decimal": {"type": "number"}, "Edm.Double": {"type": "number"},
    **{f"Edm.{n}": {"type": "integer"} for n in ("Byte", "Int16", "Int32", "Int64")},
}


def entity_type_validator(file: str, entity_set: str) -> Draft202012Validator:
    """A validator of one entity as OData JSON answers it, from the CSDL entity type of
    `entity_set`: every structural property present, typed, null only where Nullable."""
    root = ET.fromstring((SPECS / file).read_text(encoding="utf-8"))
    schema = next(s for s in root.iter(f"{_EDM}Schema")
                  if any(e.get("Name") == entity_set for e in s.iter(f"{_EDM}EntitySet")))
    namespace = schema.get("Namespace", "")
    found = next(e for e in schema.iter(f"{_EDM}EntitySet") if e.get("Name") == entity_set)
    type_name = found.get("EntityType", "").removeprefix(namespace + ".")
    entity_type = next(t for t in schema.iter(f"{_EDM}EntityType")
                       if t.get("Name") == type_name)
    enums = {e.get("Name"): [m.get("Name") for m in e.iter(f"{_EDM}Member")]
             for e in schema.iter(f"{_EDM}EnumType")}
    properties: dict[str, Any] = {}
    for node in entity_type.findall(f"{_EDM}Property"):
        declared = node.get("Type", "Edm.String")
        local = declared.removeprefix(namespace + ".")
        prop: dict[str, Any] = dict(_EDM_TYPES.get(declared) or (
            {"type": "string", "enum": enums[local]} if local in enums else
            {"type": "array"} if declared.startswith("Collection(") else {"type": "object"}))
        if node.get("Nullable") != "false":
            prop = {"anyOf": [prop, {"type": "null"}]}
        properties[node.get("Name", "")] = prop
    return Draft202012Validator({"type": "object", "properties": properties,
                                 "required": sorted(properties)}, format_checker=FORMATS)


_EXACT_TYPES = {
    "Edm.String": {"type": "string"}, "Edm.Guid": {"type": "string", "format": "uuid"},
    "Edm.Boolean": {"type": "boolean"}, "Edm.Double": {"type": "number"},
    "Edm.Decimal": {"type": "number"}, "Edm.Int16": {"type": "integer"},
    "Edm.Int32": {"type": "integer"}, "Edm.Int64": {"type": "integer"},
    "Edm.Byte": {"type": "integer"}, "Edm.Binary": {"type": "string"},
    "Edm.DateTime": {"type": "string", "pattern": r"^/Date\(-?\d+([+-]\d{4})?\)/$"},
}


def exact_validator(file: str, endpoint: str) -> Draft202012Validator:
    """A validator of one record as Exact's OData v2 answers it (`{"d": {...}}`), from the
    reference's properties that GET returns: each present, typed as declared, or null."""
    reference = json.loads((SPECS / file).read_text(encoding="utf-8"))
    properties = {prop["name"]: {"anyOf": [_EXACT_TYPES.get(prop["type"], {}),
                                           {"type": "null"}]}
                  for prop in reference[endpoint]["properties"]
                  if prop.get("supportedMethods", {}).get("get")}
    record = {"type": "object", "properties": properties, "required": sorted(properties)}
    return Draft202012Validator({"type": "object", "properties": {"d": record},
                                 "required": ["d"]}, format_checker=FORMATS)
