"""OData v4 CSDL (`$metadata`) -> a distilled profile.

Entity sets with their entity type's key and properties; `Nullable="false"` non-key
properties are what create requires; the Capabilities annotations `InsertRestrictions`,
`UpdateRestrictions` and `DeleteRestrictions` say which writes a set offers. Enum types
give a property's allowed values. The standard library's XML parser reads it: CSDL is
plain namespaced XML and needs no schema processing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from talk.profiles.distilled import Distilled

__all__ = ["FORMAT_CSDL", "distil_csdl", "is_csdl"]

FORMAT_CSDL = "odata-csdl"
_EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
_EDMX = "{http://docs.oasis-open.org/odata/ns/edmx}"
_TYPES = {
    "Edm.String": ("string", None), "Edm.Guid": ("guid", None),
    "Edm.DateTimeOffset": ("datetime", "date-time"), "Edm.Date": ("string", "date"),
    "Edm.Boolean": ("boolean", None), "Edm.Int16": ("integer", "int16"),
    "Edm.Int32": ("integer", "int32"), "Edm.Int64": ("integer", "int64"),
    "Edm.Byte": ("integer", "byte"), "Edm.Decimal": ("number", "decimal"),
    "Edm.Double": ("number", "double"), "Edm.Stream": ("string", "binary"),
    "Edm.TimeOfDay": ("string", "time"), "Edm.Duration": ("string", "duration"),
}
# Not in the description: which properties the server assigns (talk's assumption).
_SERVER_ASSIGNED = ("lastModifiedDateTime", "@odata.etag")
_RESTRICTIONS = {
    "Org.OData.Capabilities.V1.InsertRestrictions": ("Insertable", "create"),
    "Org.OData.Capabilities.V1.UpdateRestrictions": ("Updatable", "update"),
    "Org.OData.Capabilities.V1.DeleteRestrictions": ("Deletable", "delete"),
}


def is_csdl(text: str) -> bool:
    return "<edmx:Edmx" in text[:2000] or "odata/ns/edmx" in text[:2000]


def _property(node: ET.Element, enums: dict[str, list[str]], namespace: str,
              is_key: bool) -> dict[str, Any]:
    declared = node.get("Type", "Edm.String")
    out: dict[str, Any]
    if declared in _TYPES:
        kind, fmt = _TYPES[declared]
        out = {"type": kind}
        if fmt:
            out["format"] = fmt
    elif declared.removeprefix(namespace + ".") in enums:
        out = {"type": "string", "enum": enums[declared.removeprefix(namespace + ".")]}
    elif declared.startswith("Collection("):
        out = {"type": "array"}
    else:
        out = {"type": "object"}
    if node.get("Nullable") == "false":
        out["nullable"] = False
    if (node.get("MaxLength") or "").isdigit():
        out["maxLength"] = int(node.get("MaxLength", "0"))
    if is_key or node.get("Name") in _SERVER_ASSIGNED:
        out["write"] = "never"
    return out


def _offered(entity_set: ET.Element) -> set[str]:
    offered = {"list", "read", "create", "update", "delete"}
    for annotation in entity_set.iter(f"{_EDM}Annotation"):
        term = annotation.get("Term", "")
        if term not in _RESTRICTIONS:
            continue
        flag, operation = _RESTRICTIONS[term]
        for value in annotation.iter(f"{_EDM}PropertyValue"):
            if value.get("Property") == flag and value.get("Bool") == "false":
                offered.discard(operation)
    return offered


def distil_csdl(text: str, source_file: str) -> Distilled:
    root = ET.fromstring(text)
    entities: dict[str, Any] = {}
    version = root.get("Version", "")
    for schema in root.iter(f"{_EDM}Schema"):
        namespace = schema.get("Namespace", "")
        enums = {e.get("Name", ""): [m.get("Name", "") for m in e.iter(f"{_EDM}Member")]
                 for e in schema.iter(f"{_EDM}EnumType")}
        types = {t.get("Name", ""): t for t in schema.iter(f"{_EDM}EntityType")}
        for entity_set in schema.iter(f"{_EDM}EntitySet"):
            type_name = entity_set.get("EntityType", "").removeprefix(namespace + ".")
            entity_type = types.get(type_name)
            if entity_type is None:
                continue
            keys = [ref.get("Name", "") for ref in entity_type.iter(f"{_EDM}PropertyRef")]
            props = {node.get("Name", ""): _property(node, enums, namespace,
                                                     node.get("Name") in keys)
                     for node in entity_type.findall(f"{_EDM}Property")}
            required = sorted(name for name, prop in props.items()
                              if prop.get("nullable") is False and prop.get("write") != "never")
            name = entity_set.get("Name", "")
            key = keys[0] if len(keys) == 1 else None
            key_text = "{" + (key or "") + "}"
            entities[name] = {
                "name": name,
                "collection": name,
                "record": f"{name}({key_text})" if key else None,
                "key": keys,
                "operations": sorted(_offered(entity_set) if key else {"list"}),
                "list_key": "value",
                "record_key": None,
                "update_method": "PATCH",
                "paging": "odata_next",
                "required": required,
                "properties": props,
                # an OData answer holds every structural property (null or empty if unset)
                "answer_required": sorted(props),
            }
    return {
        "description": {"file": source_file, "format": f"{FORMAT_CSDL} {version}".strip(),
                        "title": "OData $metadata", "version": version},
        "assumed": [
            "server-assigned fields: the key and lastModifiedDateTime (not annotated)",
            "entity sets are served at the base URL (a company-scoped base URL for Business "
            "Central)",
            "changes: read in full and compared (ChangeTracking is not supported)",
        ],
        "entities": entities,
    }
