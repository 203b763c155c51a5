"""Lint findings from API descriptions: what a document says against what the API declares.

For each section whose system has a described entity: a property path the description
does not have (a typo when a declared name is close, else likely a field newer than the
description), a documented type that disagrees with the declared one (`"string"` for an
integer field), a row writing a field the API never lets anyone write, and a dotted path
into a field the profile declares a plain value (also for hand-written profiles).
"""

from __future__ import annotations

import difflib

from talk.dataflow.model import Dataflow, EntityRef, Finding, PropertyPath, PropertyRow, TypeKind
from talk.systems.profile import ApiStyle, EntityProfile, FieldType
from talk.systems.registry import profile_for, resolve_entity

__all__ = ["description_findings", "edit_blocked_reason", "inside_plain_field", "read_only_reason",
           "type_disagreement", "unknown_path"]

# Declared API types each documented type fits.
_FITS: dict[TypeKind, set[FieldType]] = {
    TypeKind.STRING: {FieldType.STRING, FieldType.DATETIME, FieldType.GUID},
    TypeKind.INTEGER: {FieldType.INTEGER, FieldType.NUMBER},
    TypeKind.FLOAT: {FieldType.NUMBER},
    TypeKind.DECIMAL: {FieldType.NUMBER},
    TypeKind.BOOLEAN: {FieldType.BOOLEAN},
    TypeKind.LIST: {FieldType.ARRAY},
}


def _profiled(ref: EntityRef) -> EntityProfile | None:
    """The entity's profile, unless it is generic or unsupported."""
    if not ref.system.strip():
        return None
    entity = resolve_entity(profile_for(ref.system), ref.entity)
    return None if entity.generic or entity.unsupported else entity


def _described(entity: EntityProfile | None) -> EntityProfile | None:
    return entity if entity is not None and entity.properties else None


_PLAIN = {FieldType.STRING, FieldType.INTEGER, FieldType.NUMBER, FieldType.BOOLEAN,
          FieldType.DATETIME, FieldType.GUID}


def unknown_path(entity: EntityProfile, path: PropertyPath, side: str) -> str | None:
    """Why a property path is not in the description, or None when it is."""
    name = path.path.split(".")[0]
    if not name or name in entity.properties or entity.is_id_field(name):
        return None
    close = difflib.get_close_matches(name, list(entity.properties), n=1, cutoff=0.8)
    likely = (f"likely a typo of {close[0]!r}" if close else
              "likely a field newer than the description, or a typo")
    return (f"{side} property {name!r} is not in {entity.system} {entity.name} as "
            f"{entity.source.split(': ')[0]} describes it: {likely}")


def inside_plain_field(entity: EntityProfile, path: PropertyPath, side: str) -> str | None:
    """Why a dotted path cannot be: its first field is a plain value in the profile
    (Keap's company `email_address` is a string, so `email_address.email` has no place)."""
    name, dot, _ = path.path.partition(".")
    declared = entity.field_type(name)
    if not dot or declared not in _PLAIN or path.path in entity.field_types:
        return None
    kind = declared.value if declared else ""
    described = entity.source.split(": ")[0]
    return (f"{side} property {path.path!r} names a field inside {name!r}, which "
            f"{entity.system} {entity.name} declares {kind}"
            f"{f' ({described})' if described else ''}: a {kind} has no fields")


def type_disagreement(entity: EntityProfile, row: PropertyRow) -> str | None:
    """Why the documented type does not fit the field's declared type, or None.

    Only for systems emulated from their descriptions, whose writes are validated against
    the declared types: Keap's and WebCRM's JSON libraries convert `"7"` into a number
    field, so there a `"string"` row works (and about one in five real rows is one)."""
    if profile_for(entity.system).style is not ApiStyle.DESCRIBED:
        return None
    declared = entity.field_type(row.target.path.split(".")[0])
    if declared is None or "." in row.target.path:
        return None
    fits = _FITS.get(row.type.kind)
    if row.type.datetime_format is not None:
        fits = {FieldType.DATETIME, FieldType.STRING}
    if fits is None or declared in fits:
        return None
    return (f"{row.target.path} is documented as {row.type.written.strip()} but "
            f"{entity.system} {entity.name} declares it {declared.value}")


def read_only_reason(entity: EntityProfile, path: str) -> str | None:
    """Why a write of this field cannot work: the description marks it read-only."""
    name = path.split(".")[0]
    if name not in entity.read_only or entity.is_id_field(name):
        return None
    return (f"{name} is read-only in {entity.system} {entity.name} "
            f"({entity.source.split(': ')[0]}): the API ignores a write of it")


def edit_blocked_reason(entity: EntityProfile, path: str) -> str | None:
    """Why an edit cannot reach this field of an existing record: the description marks it
    read-only, or only a create takes it (Asana's task `projects`)."""
    read_only = read_only_reason(entity, path)
    name = path.split(".")[0]
    if read_only is not None or name not in entity.create_only:
        return read_only
    return (f"{name} is create-only in {entity.system} {entity.name} "
            f"({entity.source.split(': ')[0]}): the API ignores it on update, so an edit "
            "cannot reach it")


def description_findings(dataflow: Dataflow) -> list[Finding]:
    findings: list[Finding] = []
    for section in dataflow.unique_sections:
        profiled = _profiled(section.source), _profiled(section.target)
        source, target = _described(profiled[0]), _described(profiled[1])
        for row in section.properties:
            messages = [inside_plain_field(entity, path, side) for entity, path, side in (
                (profiled[0], row.source, "source"), (profiled[1], row.target, "target"))
                if entity is not None]
            if source is not None:
                messages.append(unknown_path(source, row.source, "source"))
            if target is not None:
                messages.append(unknown_path(target, row.target, "target"))
                messages.append(type_disagreement(target, row))
                messages.append(read_only_reason(target, row.target.path))
            findings.extend(Finding(row.line, "warning", m) for m in messages if m)
    return findings
