"""OpenAPI 2 (Swagger), 3.0 and 3.1 descriptions -> a distilled profile.

`$ref` is resolved with `referencing` (local and nested references, also inside referenced
schemas); `allOf` is merged. An entity is a collection path without parameters
(`/customer`, `/admin/api/2021-10/customers.json`) with its keyed record path one
parameter deeper (`/customer/{id}`); paths below a parameter (`/projects/{gid}/tasks`) are
sub-resources, not entities. Envelopes are read from the answer schemas: a list inside an
object (`values`, `data`, `_embedded.enheter`) and a record inside one property (`value`,
`data`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from talk.profiles.distilled import Distilled
from talk.profiles.writes import mark_write_shapes

__all__ = ["FORMAT_OPENAPI", "distil_openapi", "openapi_version"]

FORMAT_OPENAPI = "openapi"
_BASE_URI = "urn:talk:description"
_METHODS = ("get", "put", "post", "delete", "patch")
_MAX_DEPTH = 12
# Marks a request shape made of query parameters: text on the wire, so their declared
# types say nothing about the JSON type a body takes.
_QUERY = "x-talk-query"
# Query parameters that show a paging style, tried in this order (case-insensitive).
_PAGING = (
    ("from_count", {"from", "count"}),
    ("page_info", {"limit", "page_info"}),
    ("offset_limit", {"offset", "limit"}),
    ("page_size", {"page", "size"}),
    ("page_per_page", {"page", "per_page"}),
    ("odata", {"$top", "$skip"}),
)


def openapi_version(document: Any) -> str | None:
    """"2.0", "3.0.1", "3.1.0", or None when it is no OpenAPI/Swagger document."""
    if not isinstance(document, dict):
        return None
    version = document.get("openapi") or document.get("swagger")
    return str(version) if version else None


class _Schemas:
    """Resolves references and flattens schemas of one description."""

    def __init__(self, document: dict[str, Any]) -> None:
        resource: Resource[Any] = DRAFT202012.create_resource(document)
        registry: Registry[Any] = Registry().with_resource(_BASE_URI, resource)
        self._resolver = registry.resolver(_BASE_URI)

    def deref(self, node: Any) -> Any:
        """A `$ref` followed (repeatedly) to what it names; other nodes unchanged."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < _MAX_DEPTH:
            try:
                node = self._resolver.lookup(node["$ref"]).contents
            except Unresolvable:
                return {}
            seen += 1
        return node

    def flat(self, node: Any, depth: int = 0) -> dict[str, Any]:
        """A schema with `$ref` followed and `allOf` merged (properties and required)."""
        node = self.deref(node)
        if not isinstance(node, dict) or depth > _MAX_DEPTH:
            return {}
        parts = node.get("allOf")
        if not isinstance(parts, list):
            return node
        merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
        properties = dict(merged.get("properties") or {})
        required = list(merged.get("required") or [])
        for part in parts:
            flat = self.flat(part, depth + 1)
            for name, schema in (flat.get("properties") or {}).items():
                earlier = self.deref(properties.get(name))
                # a later part may only add to a property (`required` of its items)
                properties[name] = {**earlier, **schema} \
                    if isinstance(earlier, dict) and isinstance(schema, dict) else schema
            required.extend(r for r in flat.get("required") or [] if r not in required)
            for key in ("type", "description"):
                if key in flat and key not in merged:
                    merged[key] = flat[key]
        merged["properties"] = properties
        merged["required"] = required
        merged.setdefault("type", "object")
        return merged


def _answer_schema(operation: dict[str, Any], schemas: _Schemas) -> dict[str, Any]:
    responses = {str(k): v for k, v in (operation.get("responses") or {}).items()}
    for status in ("200", "201", "default"):
        answer = schemas.deref(responses.get(status))
        if not isinstance(answer, dict):
            continue
        if "schema" in answer:  # OpenAPI 2
            return schemas.flat(answer["schema"])
        for media, content in sorted((answer.get("content") or {}).items()):
            if "json" in media and isinstance(content, dict) and "schema" in content:
                return schemas.flat(content["schema"])
    return {}


def _body_schema(operation: dict[str, Any], schemas: _Schemas) -> dict[str, Any]:
    for parameter in operation.get("parameters") or []:  # OpenAPI 2 body parameter
        parameter = schemas.deref(parameter)
        if isinstance(parameter, dict) and parameter.get("in") == "body":
            return schemas.flat(parameter.get("schema"))
    body = schemas.deref(operation.get("requestBody"))
    if isinstance(body, dict):
        for media, content in sorted((body.get("content") or {}).items()):
            if "json" in media and isinstance(content, dict) and "schema" in content:
                return schemas.flat(content["schema"])
        return {}
    return _query_body(operation, schemas)


def _query_body(operation: dict[str, Any], schemas: _Schemas) -> dict[str, Any]:
    """A write without a body whose fields are query parameters (Trello's `POST /cards
    ?idList=...&name=...`): those parameters are what it accepts, the required ones
    required."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for parameter in operation.get("parameters") or []:
        parameter = schemas.deref(parameter)
        if not isinstance(parameter, dict) or parameter.get("in") not in ("query", "formData"):
            continue
        name = str(parameter.get("name", ""))
        properties[name] = parameter.get("schema") or \
            {k: v for k, v in parameter.items() if k in ("type", "format", "enum", "items")}
        if parameter.get("required"):
            required.append(name)
    return {"type": "object", "properties": properties, "required": required, _QUERY: True} \
        if properties else {}


def _is_object(schema: dict[str, Any]) -> bool:
    return bool(schema.get("properties")) or schema.get("type") == "object"


def _unwrap_record(schema: dict[str, Any], schemas: _Schemas) -> tuple[dict[str, Any], str | None]:
    """`{"value": {...}}` / `{"data": {...}}` -> the inner schema and its key."""
    properties = schema.get("properties") or {}
    if len(properties) == 1:
        (name, inner), = properties.items()
        inner = schemas.flat(inner)
        if _is_object(inner) and inner.get("properties"):
            return inner, str(name)
    return schema, None


def _record_in_envelope(body: dict[str, Any], record: dict[str, Any],
                        schemas: _Schemas) -> tuple[dict[str, Any], str | None]:
    """A create body beside edit metadata (`{"item": {...}, "comment": ...}`): the property
    whose object shares more fields with the record read than the body itself does."""
    wanted = set(record.get("properties") or {})
    best: tuple[int, str, dict[str, Any]] | None = None
    for name, inner in sorted((body.get("properties") or {}).items()):
        inner = schemas.flat(inner)
        shared = len(wanted & set(inner.get("properties") or {}))
        if _is_object(inner) and shared and (best is None or shared > best[0]):
            best = (shared, str(name), inner)
    if best is None or best[0] <= len(wanted & set(body.get("properties") or {})):
        return body, None
    return best[2], best[1]


def _find_list(schema: dict[str, Any], schemas: _Schemas,
               prefix: str = "") -> tuple[dict[str, Any], str | None] | None:
    """The item schema of a list answer and the dotted key of the list (None: bare)."""
    if schema.get("type") == "array":
        return schemas.flat(schema.get("items")), (prefix or None)
    for name, inner in sorted((schema.get("properties") or {}).items()):
        inner = schemas.flat(inner)
        if inner.get("type") == "array" and _is_object(schemas.flat(inner.get("items"))):
            return schemas.flat(inner.get("items")), prefix + str(name)
    embedded = schemas.flat((schema.get("properties") or {}).get("_embedded"))
    if embedded and not prefix:
        return _find_list(embedded, schemas, "_embedded.")
    return None


def _schema_type(schema: dict[str, Any]) -> tuple[str, bool]:
    """The JSON type and whether null is allowed (3.1 lists, 3.0 `nullable`, 2 `x-nullable`)."""
    declared = schema.get("type")
    nullable = bool(schema.get("nullable") or schema.get("x-nullable"))
    if isinstance(declared, list):
        nullable = nullable or "null" in declared
        declared = next((t for t in declared if t != "null"), None)
    if declared is None:
        for key in ("anyOf", "oneOf"):
            options = schema.get(key)
            if isinstance(options, list):
                types = [o.get("type") for o in options if isinstance(o, dict)]
                nullable = nullable or "null" in types
                declared = next((t for t in types if t and t != "null"), None)
                break
    if declared is None:
        declared = "object" if schema.get("properties") or "$ref" in schema else "string"
    return str(declared), nullable


def _property(raw: Any, schemas: _Schemas) -> dict[str, Any]:
    schema = schemas.flat(raw)
    kind, nullable = _schema_type(schema)
    fmt = schema.get("format")
    out: dict[str, Any] = {"type": kind}
    if kind == "string" and fmt == "date-time":
        out["type"] = "datetime"
    elif kind == "string" and fmt == "uuid":
        out["type"] = "guid"
    if isinstance(fmt, str) and fmt:
        out["format"] = fmt
    if isinstance(schema.get("enum"), list) and all(
            isinstance(v, str | int | float | bool) for v in schema["enum"]):
        out["enum"] = list(schema["enum"])
    if nullable:
        out["nullable"] = True
    if "const" in schema and isinstance(schema["const"], str | int | float | bool):
        out["enum"] = [schema["const"]]
    if isinstance(schema.get("maxLength"), int):
        out["maxLength"] = schema["maxLength"]
    if isinstance(schema.get("pattern"), str):
        out["pattern"] = schema["pattern"]
    read_only = schema.get("readOnly") or (isinstance(raw, dict) and raw.get("readOnly"))
    if read_only:
        out["write"] = "never"
    return out


def _written(body: dict[str, Any], schemas: _Schemas) -> dict[str, dict[str, Any]]:
    """A request body's properties, distilled as a read's are (none from query
    parameters: see _QUERY)."""
    if body.get(_QUERY):
        return {}
    return {str(name): _property(raw, schemas)
            for name, raw in sorted((body.get("properties") or {}).items())}


def _params(operation: dict[str, Any], shared: list[Any], schemas: _Schemas) -> set[str]:
    names = set()
    for parameter in [*shared, *(operation.get("parameters") or [])]:
        parameter = schemas.deref(parameter)
        if isinstance(parameter, dict) and parameter.get("in") == "query":
            names.add(str(parameter.get("name", "")).lower())
    return names


def _paging(names: set[str]) -> str | None:
    return next((style for style, needed in _PAGING if needed <= names), None)


_PARAM = re.compile(r"\{([^}]+)\}")
_ORPHAN_RECORD = re.compile(r"(/[^{}/]+)/\{[^}/]+\}")


def _record_path(collection: str, paths: dict[str, Any]) -> tuple[str, str] | None:
    """`/customer/{id}` for `/customer` (also `/customers/{id}.json`); with the parameter."""
    stem, suffix = (collection[:-5], ".json") if collection.endswith(".json") else \
        (collection, "")
    for path in sorted(paths):
        if path.startswith(stem + "/{") and path.endswith("}" + suffix):
            middle = path[len(stem) + 1:len(path) - len(suffix)]
            match = _PARAM.fullmatch(middle)
            if match:
                return path, match.group(1)
    return None


def _key_field(param: str, properties: dict[str, Any], required: list[str]) -> str:
    """The record field its path parameter names (`id`, `gid`, `OrganisationId`, ...)."""
    lowered = {name.lower(): name for name in properties}
    for candidate in (param, param.removesuffix("_gid").removesuffix("_id") + "_id", "id", "gid"):
        if candidate.lower() in lowered:
            return lowered[candidate.lower()]
    ids = [name for name in required if name.lower().endswith("id")]
    return ids[0] if ids else param


def _operations(path_item: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for method in _METHODS:
        operation = path_item.get(method)
        if isinstance(operation, dict):
            yield method, operation


def _base_path(document: dict[str, Any]) -> str:
    if "basePath" in document:
        return str(document["basePath"]).rstrip("/")
    servers = document.get("servers") or []
    if servers and isinstance(servers[0], dict):
        return urlsplit(str(servers[0].get("url", ""))).path.rstrip("/")
    return ""


def _entity(collection: str, paths: dict[str, Any], schemas: _Schemas) -> dict[str, Any] | None:
    item = schemas.deref(paths.get(collection, {}))
    methods = dict(_operations(item))
    record = _record_path(collection, paths)
    record_item = schemas.deref(paths[record[0]]) if record else {}
    record_methods = dict(_operations(record_item)) if record else {}
    listed = _find_list(_answer_schema(methods["get"], schemas), schemas) \
        if "get" in methods else None
    create_body = _body_schema(methods["post"], schemas) if "post" in methods else {}
    if create_body.get("type") == "array" and listed is None and not record:
        return None  # a batch endpoint (`/customer/list`), not an entity
    if listed is None and not record:
        return None
    list_described = listed is not None
    if listed is None and "get" in methods:
        listed = ({}, None)  # listed, but the answer's shape is not described
    record_schema: dict[str, Any] = {}
    record_key: str | None = None
    if "get" in record_methods:
        record_schema, record_key = _unwrap_record(_answer_schema(record_methods["get"], schemas),
                                                   schemas)
    if not record_schema.get("properties") and listed:
        record_schema = listed[0]
    create_schema, create_key = _unwrap_record(create_body, schemas) if create_body else \
        ({}, None)
    if create_body and create_key is None:
        create_schema, create_key = _record_in_envelope(create_body, record_schema, schemas)
    properties: dict[str, Any] = {}
    for source in (create_schema, record_schema):
        for name, raw in sorted((source.get("properties") or {}).items()):
            properties[str(name)] = _property(raw, schemas)
    update_method = next((m.upper() for m in ("put", "patch") if m in record_methods), None)
    update_schema = _unwrap_record(_body_schema(record_methods[update_method.lower()], schemas),
                                   schemas)[0] if update_method else {}
    read_properties = record_schema.get("properties") or {}
    mark_write_shapes(properties, {str(n) for n in read_properties},
                      _written(create_schema, schemas), _written(update_schema, schemas),
                      {str(n): set(schemas.flat(raw).get("properties") or {})
                       for n, raw in read_properties.items()})
    operations = []
    if listed is not None:
        operations.append("list")
    if "post" in methods and create_body.get("type") != "array":
        operations.append("create")
    for method, operation in (("get", "read"), ("put", "update"), ("patch", "update"),
                              ("delete", "delete")):
        if method in record_methods and operation not in operations:
            operations.append(operation)
    declared_required = [str(r) for r in create_schema.get("required") or []]
    key = _key_field(record[1], properties, declared_required) if record else "id"
    if key in properties and "create" in operations:
        properties[key]["write"] = "never"  # the server assigns it (a DTO may mark it required)
    required = sorted(r for r in declared_required
                      if properties.get(r, {}).get("write") != "never")
    name = collection.strip("/").removesuffix(".json")
    shared = list(item.get("parameters") or [])
    answered = [r for r in record_schema.get("required") or [] if str(r) in properties]
    return {
        "name": name.rsplit("/", 1)[-1],
        "collection": collection.lstrip("/"),
        "record": record[0].lstrip("/").replace("{" + record[1] + "}", "{" + key + "}")
        if record else None,
        "key": [key],
        "operations": sorted(operations),
        "list_key": listed[1] if listed else None,
        "list_described": list_described,
        "record_key": record_key,
        "create_key": create_key,
        "update_method": update_method,
        "paging": _paging(_params(methods["get"], shared, schemas)) if "get" in methods else None,
        "required": required,
        "properties": properties,
        # what every answer holding a record has, as the read's schema requires it
        **({"answer_required": sorted(str(r) for r in answered)} if answered else {}),
    }


def distil_openapi(document: dict[str, Any], source_file: str) -> Distilled:
    schemas = _Schemas(document)
    paths = {str(p): v for p, v in (document.get("paths") or {}).items()}
    entities: dict[str, Any] = {}
    # Collections, and record paths whose collection has no path of its own (Trello's
    # `/boards/{id}`: read and update a board, but no list of boards).
    collections = {p for p in paths if "{" not in p and p.strip("/")}
    collections |= {match.group(1) for p in paths
                    if (match := _ORPHAN_RECORD.fullmatch(p)) and match.group(1) not in paths}
    for path in sorted(collections):
        entity = _entity(path, paths, schemas)
        if entity is not None:
            entities[entity["collection"]] = entity
    info = document.get("info") or {}
    return {
        "description": {"file": source_file, "format": f"openapi {openapi_version(document)}",
                        "title": str(info.get("title", "")),
                        "version": str(info.get("version", "")),
                        "base_path": _base_path(document)},
        "assumed": [
            "changes: read in full and compared (the description shows no change feed)",
            "rate limits: none (the description declares none)",
            "paging sizes: 100 rows a page unless the request asks for fewer",
        ],
        "entities": entities,
    }
