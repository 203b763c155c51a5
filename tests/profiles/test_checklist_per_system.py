"""Per described system, on small documents generated from its profile and run as one
checklist: a create leaving a required field unmapped is `unsupported` naming the field,
a row writing a read-only field is `unsupported`, a documented type that disagrees with
the declared one is a lint warning, and Enhetsregisteret as a target is `unsupported`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from corpus.small_documents import document, section

from talk.dataflow.lint import lint_file
from talk.systems.described import DESCRIBED
from talk.systems.profile import EntityProfile, FieldType, SystemProfile
from talk.systems.registry import profile_for, resolve_entity

from .checklist_run import run_in

SYSTEMS = [system.key for system in DESCRIBED]
_DOCUMENTED = {FieldType.STRING: '"string"', FieldType.INTEGER: '"integer"',
               FieldType.NUMBER: '"float"', FieldType.BOOLEAN: '"boolean"',
               FieldType.DATETIME: '"string"', FieldType.GUID: '"string"'}
_STRINGS = {FieldType.STRING, FieldType.DATETIME, FieldType.GUID}


def _named(profile: SystemProfile) -> list[EntityProfile]:
    """Entities a document can name and get back (sorted by name)."""
    return [e for _, e in sorted(profile.entities.items())
            if resolve_entity(profile, e.name).resource == e.resource and not e.unsupported]


def _simple(entity: EntityProfile, name: str) -> bool:
    return entity.field_types.get(name) in _DOCUMENTED and not entity.is_id_field(name)


def _requiring(profile: SystemProfile) -> EntityProfile | None:
    """An entity whose create requires simple fields (one each)."""
    return next((e for e in _named(profile) if e.can_create and e.required_on_create
                 and all(len(g) == 1 and _simple(e, g[0]) for g in e.required_on_create)),
                None)


def _read_only(profile: SystemProfile) -> tuple[EntityProfile, str] | None:
    """An entity it can create in (simple required fields), with a simple field the
    description marks read-only."""
    for entity in _named(profile):
        fields = sorted(n for n in entity.read_only if _simple(entity, n))
        if entity.can_create and fields and all(
                len(g) == 1 and _simple(entity, g[0]) for g in entity.required_on_create):
            return entity, fields[0]
    return None


def _mistyped(profile: SystemProfile) -> tuple[EntityProfile, str] | None:
    """A writable field whose declared type no "string" fits."""
    for entity in _named(profile):
        for name, kind in sorted(entity.field_types.items()):
            if kind not in _STRINGS and "." not in name and name not in entity.read_only \
                    and not entity.is_id_field(name):
                return entity, name
    return None


def _row(entity: EntityProfile, name: str) -> tuple[str, str, str]:
    return (name, name, _DOCUMENTED[entity.field_types[name]])


def _sections(system: str) -> dict[str, str]:
    """Checks of one system -> the section (text) showing each, where its profile allows."""
    profile = profile_for(system)
    label = profile.display_name
    found = {}
    requiring = _requiring(profile)
    if requiring is not None:
        kept = [_row(requiring, g[0]) for g in requiring.required_on_create[1:]]
        found["required"] = section("Customcrm Thing", f"{label} {requiring.name}", kept,
                                    type_label=label)
    read_only = _read_only(profile)
    if read_only is not None:
        entity, name = read_only
        rows = [_row(entity, g[0]) for g in entity.required_on_create]
        found["read_only"] = section("Customcrm Item", f"{label} {entity.name}",
                                     [*rows, _row(entity, name)], type_label=label)
    return found


def _documents() -> dict[str, str]:
    """File name -> a small document per system with a section for each of its checks,
    and Enhetsregisteret (a read-only API) as a target."""
    found = {f"customcrm-to-{system}.rst": document(
        "Customcrm", profile_for(system).display_name, *sections.values())
        for system in SYSTEMS if (sections := _sections(system))}
    found["customcrm-to-enhetsregisteret.rst"] = document("Customcrm", "difi", FIRM)
    return found


FIRM = section("Customcrm Firm", "difi Enheter", [("name", "navn", '"string"')])


def _title(text: str) -> str:
    return text.split("\n", 1)[0]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every system's sections as one checklist run; the folder it ran in."""
    return run_in(tmp_path_factory.mktemp("per-system"), _documents(), lint=False)


@pytest.fixture(scope="module")
def checklist(run: Path) -> dict[str, dict[str, Any]]:
    """Section title -> its items by kind (`property <field>` for a row's item)."""
    results = json.loads((run / "reports" / "results.json").read_text(encoding="utf-8"))
    found: dict[str, dict[str, Any]] = {}
    for doc in results["documents"]:
        for part in doc["sections"]:
            items = found.setdefault(part["title"], {})
            for item in part["items"]:  # property items by their row's target field
                kind = item["kind"]
                items.setdefault(f"{kind} {item['text'].split(' -> ')[0]}"
                                 if kind == "property" else kind, item)
    return found


_NONE = {"required": "requires no simple field on create",
         "read_only": "marks no simple field of a creatable entity read-only"}


def _section_items(checklist: dict[str, dict[str, Any]], system: str,
                   check: str) -> dict[str, Any]:
    text = _sections(system).get(check)
    if text is None:
        pytest.skip(f"{system}'s description {_NONE[check]}")
    return checklist[_title(text)]


@pytest.mark.parametrize("system", SYSTEMS)
def test_a_required_field_no_row_maps_is_unsupported_naming_it(
        checklist: dict[str, dict[str, Any]], system: str) -> None:
    items = _section_items(checklist, system, "required")
    entity = _requiring(profile_for(system))
    assert entity is not None
    created = items["synchronized"]
    assert created["status"] == "unsupported", created
    field = entity.required_on_create[0][0]
    assert f"requires {field}; no property row maps to it" in created["message"]


@pytest.mark.parametrize("system", SYSTEMS)
def test_a_row_writing_a_read_only_field_is_unsupported(
        checklist: dict[str, dict[str, Any]], system: str) -> None:
    items = _section_items(checklist, system, "read_only")
    found = _read_only(profile_for(system))
    assert found is not None
    written = items[f"property {found[1]}"]
    assert written["status"] == "unsupported", written
    assert f"{found[1]} is read-only in {system} {found[0].name}" in written["message"]


def test_enhetsregisteret_as_a_target_is_unsupported(
        checklist: dict[str, dict[str, Any]]) -> None:
    created = checklist[_title(FIRM)]["synchronized"]
    assert created["status"] == "unsupported", created
    assert "cannot be created: the difi API is read-only for enheter" in created["message"]


@pytest.mark.parametrize("system", SYSTEMS)
def test_a_type_the_description_disagrees_with_is_a_lint_warning(
        tmp_path: Path, system: str) -> None:
    profile = profile_for(system)
    found = _mistyped(profile)
    if found is None:
        pytest.skip(f"{system}'s description declares no writable non-string field")
    entity, name = found
    path = tmp_path / f"customcrm-to-{system}.rst"
    path.write_text(document("Customcrm", profile.display_name, section(
        "Customcrm Thing", f"{profile.display_name} {entity.name}",
        [(name, name, '"string"')], type_label=profile.display_name)), encoding="utf-8")
    warnings = [f.message for f in lint_file(path).findings if f.level == "warning"]
    declared = entity.field_types[name].value
    assert f'{name} is documented as "string" but {system} {entity.name} declares it ' \
           f"{declared}" in warnings, warnings


def test_the_report_names_each_description_and_what_is_assumed(run: Path) -> None:
    results = json.loads((run / "reports" / "results.json").read_text(encoding="utf-8"))
    notes = {doc["file"]: doc["emulation"] for doc in results["documents"]}
    difi = notes["dataflows/customcrm-to-enhetsregisteret.rst"]["difi"]
    assert difi.startswith("emulator from its API description, described by Åpne Data fra "
                           "Enhetsregisteret - API Dokumentasjon 1.0.0 "
                           "(enhetsregisteret.openapi.json); assumed where it is silent: ")
    assert "list answers of enheter, organisasjonsformer, underenheter: a bare JSON array " \
           "(the description does not show them)" in difi
    trello = notes["dataflows/customcrm-to-trello.rst"]
    assert "no list of actions, boards, cards" in trello["Trello"]
    assert trello["Customcrm"].startswith("generic")
    page = (run / "reports" / "customcrm-to-enhetsregisteret.html").read_text("utf-8")
    assert "difi checked against</dt><dd>emulator from its API description, described " \
           "by Åpne Data" in page and "list answers of enheter" in page
