"""Per described system: a create without a required field is refused naming it, in the
system's error shape; a read-only field sent is ignored; a missing operation answers 405."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from jsonschema import Draft202012Validator

from talk.emulator import emulator_for
from talk.emulator.described import answer_schema
from talk.emulator.mock import serving
from talk.profiles.shapes import unwrap
from talk.systems.described import DESCRIBED, ERROR_SHAPES
from talk.systems.profile import EntityProfile, FieldType
from talk.systems.registry import profile_for

AUTH = {"Authorization": "Bearer token"}
SYSTEMS = [system.key for system in DESCRIBED]
_SAMPLES: dict[FieldType, Any] = {
    FieldType.STRING: "x", FieldType.INTEGER: 1, FieldType.NUMBER: 1.5,
    FieldType.BOOLEAN: True, FieldType.ARRAY: [], FieldType.OBJECT: {},
    FieldType.DATETIME: "2024-01-01T00:00:00Z",
    FieldType.GUID: "00000000-0000-0000-0000-000000000001",
}


def _creatable(system: str) -> list[EntityProfile]:
    return [e for e in profile_for(system).entities.values() if e.can_create]


def _body(entity: EntityProfile, names: list[str]) -> dict[str, Any]:
    values = {}
    for name in names:
        prop = entity.properties[name]
        values[name] = prop["enum"][0] if prop.get("enum") else \
            _SAMPLES[entity.field_types[name]]
    return values


def _post(system: str, entity: EntityProfile, body: dict[str, Any]) -> requests.Response:
    profile = profile_for(system)
    base = f"https://{profile.key}.emulated{profile.base_path}"
    with serving(emulator_for(profile, base)):
        wrapped = {entity.create_key: body} if entity.create_key else body
        return requests.post(f"{base}/{entity.resource}", json=wrapped, headers=AUTH, timeout=5)


@pytest.mark.parametrize("system", SYSTEMS)
def test_a_missing_required_field_is_refused_naming_it(system: str) -> None:
    entities = [e for e in _creatable(system) if e.required_on_create]
    if not entities:
        pytest.skip(f"{system}'s description requires no field on create")
    status, _ = ERROR_SHAPES.get(system, (400, "plain"))
    for entity in entities:
        required = [group[0] for group in entity.required_on_create]
        answer = _post(system, entity, _body(entity, required[1:]))
        assert answer.status_code == status, (entity.name, answer.text)
        assert required[0] in answer.text, (entity.name, answer.text)


@pytest.mark.parametrize("system", SYSTEMS)
def test_read_only_fields_are_ignored_and_the_key_is_the_servers(system: str) -> None:
    checked = 0
    for entity in _creatable(system):
        read_only = sorted(n for n in entity.read_only if n != entity.id_field
                           and entity.field_types.get(n) is FieldType.STRING)
        if not read_only:
            continue
        required = [group[0] for group in entity.required_on_create]
        answer = _post(system, entity, {**_body(entity, required), read_only[0]: "mine"})
        assert answer.status_code in (200, 201), (entity.name, answer.text)
        record = answer.json()
        record = record.get(entity.record_key, record) if entity.record_key else record
        assert record.get(read_only[0]) != "mine", entity.name
        checked += 1
    if not checked:
        pytest.skip(f"{system}'s description marks no string field read-only")


@pytest.mark.parametrize("system", SYSTEMS)
def test_an_operation_the_description_lacks_answers_405(system: str) -> None:
    entity = next((e for e in profile_for(system).entities.values()
                   if not e.can_create and e.can_read), None)
    if entity is None:
        pytest.skip(f"every listed entity of {system} can be created")
    answer = _post(system, entity, {})
    assert answer.status_code == 405 and "POST" not in answer.headers["Allow"]


@pytest.mark.parametrize("system", SYSTEMS)
def test_create_answers_hold_every_field_the_description_says_answers_have(
        system: str) -> None:
    """The committed profile's distilled response shape (runs without ../shared): each
    field the read's schema requires is in the create's answer, in its declared type."""
    checked = 0
    for entity in _creatable(system):
        if not entity.answer_required:
            continue
        answer = _post(system, entity, _body(entity, [g[0] for g in entity.required_on_create]))
        assert answer.status_code in (200, 201), (entity.name, answer.text)
        record = unwrap(entity.record_key, answer.json())
        missing = [name for name in entity.answer_required if name not in record]
        assert missing == [], entity.name
        assert list(Draft202012Validator(answer_schema(entity)).iter_errors(record)) == [], \
            entity.name
        checked += 1
    if not checked:
        pytest.skip(f"{system}'s description requires no field of its answers")
