"""Writes are typed by what a request body accepts, reads by what answers hold.

Asana answers a task's `workspace` as an object but takes the workspace's gid string on
create, and marks `projects` read-only in answers while a create takes project gids. A
document writing the gid must sync and pass (a refusal would be talk's fault, not the
document's); the emulator answers reads in the read shape, and talk reads the gid back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests
from corpus.small_documents import document, section

from talk.emulator import emulator_for
from talk.emulator.mock import serving
from talk.profiles.importer import import_description
from talk.systems.registry import profile_for

from .checklist_run import run_checklist

AUTH = {"Authorization": "Bearer token"}

_COMPACT = {"type": "object", "properties": {"gid": {"type": "string", "readOnly": True},
                                              "name": {"type": "string"}}}
_READ = {"type": "object", "properties": {
    "gid": {"type": "string", "readOnly": True}, "name": {"type": "string"},
    "workspace": {"$ref": "#/components/schemas/Compact"},
    "projects": {"type": "array", "readOnly": True,
                 "items": {"$ref": "#/components/schemas/Compact"}},
    "notes": {"type": "string", "readOnly": True}}}
_CREATE = {"type": "object", "required": ["workspace"], "properties": {
    "name": {"type": "string"}, "workspace": {"type": "string", "description": "a gid"},
    "projects": {"type": "array", "items": {"type": "string"}}}}
_UPDATE = {"type": "object", "properties": {"name": {"type": "string"},
                                            "notes": {"type": "string"}}}


def _json(schema: str, data: bool = True) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {"content": {"application/json": {"schema": {
        "type": "object", "properties": {"data": ref}} if data else ref}}}


OPENAPI: dict[str, Any] = {
    "openapi": "3.0.1", "info": {"title": "Work", "version": "1"},
    "paths": {
        "/tasks": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
            "type": "object", "properties": {"data": {"type": "array", "items": {
                "$ref": "#/components/schemas/Task"}}}}}}}}},
            "post": {"requestBody": _json("TaskCreate"), "responses": {"201": _json("Task")}}},
        "/tasks/{task_gid}": {"get": {"responses": {"200": _json("Task")}},
                              "put": {"requestBody": _json("TaskUpdate"),
                                      "responses": {"200": _json("Task")}}},
    },
    "components": {"schemas": {"Compact": _COMPACT, "Task": _READ, "TaskCreate": _CREATE,
                               "TaskUpdate": _UPDATE}},
}

SWAGGER: dict[str, Any] = {
    "swagger": "2.0", "info": {"title": "Work", "version": "1"}, "basePath": "/v1",
    "paths": {
        "/tasks": {"post": {"parameters": [{"in": "body", "name": "body",
                                            "schema": {"$ref": "#/definitions/TaskCreate"}}],
                            "responses": {"201": {"schema": {"$ref": "#/definitions/Task"}}}},
                   "get": {"responses": {"200": {"schema": {
                       "type": "array", "items": {"$ref": "#/definitions/Task"}}}}}},
        "/tasks/{id}": {"get": {"responses": {"200": {"schema": {
            "$ref": "#/definitions/Task"}}}}},
    },
    "definitions": {"Compact": _COMPACT, "TaskCreate": _CREATE, "Task": json.loads(
        json.dumps(_READ).replace("#/components/schemas/", "#/definitions/"))},
}


def _distilled(tmp_path: Path, description: dict[str, Any]) -> dict[str, Any]:
    path = tmp_path / "work.json"
    path.write_text(json.dumps(description), encoding="utf-8")
    entity: dict[str, Any] = import_description(path, "work")["entities"]["tasks"]
    return entity


def test_openapi_3_request_bodies_give_the_write_type_and_what_they_accept(
        tmp_path: Path) -> None:
    task = _distilled(tmp_path, OPENAPI)["properties"]
    assert task["workspace"] == {"type": "object", "write_type": "string", "read_field": "gid"}
    assert task["projects"] == {"type": "array", "write": "create"}  # read-only in answers
    assert task["notes"] == {"type": "string", "write": "update"}
    assert task["name"] == {"type": "string"}  # alike both ways: nothing added


def test_swagger_2_body_parameter_gives_the_write_type(tmp_path: Path) -> None:
    entity = _distilled(tmp_path, SWAGGER)
    assert entity["properties"]["workspace"]["write_type"] == "string"
    assert entity["properties"]["projects"]["write"] == "create"
    assert entity["required"] == ["workspace"]


def _asana(method: str, path: str, body: dict[str, Any] | None = None) -> requests.Response:
    profile = profile_for("asana")
    base = f"https://asana.emulated{profile.base_path}"
    return requests.request(method, f"{base}/{path}", json=body, headers=AUTH, timeout=5)


def test_the_asana_emulator_takes_a_gid_and_answers_the_object() -> None:
    profile = profile_for("asana")
    with serving(emulator_for(profile, f"https://asana.emulated{profile.base_path}")):
        made = _asana("POST", "tasks", {"data": {"name": "Call", "workspace": "1234",
                                                 "projects": ["77"]}})
        assert made.status_code == 201, made.text
        task = made.json()["data"]
        assert task["workspace"] == {"gid": "1234"}
        assert task["projects"] == ["77"]
        read = _asana("GET", f"tasks/{task['gid']}").json()["data"]
        assert read["workspace"] == {"gid": "1234"}
        refused = _asana("POST", "tasks", {"data": {"name": "Call", "workspace": 5}})
        assert refused.status_code == 400 and "workspace: must be string" in refused.text


TARGET = section("Customcrm Todo", "Asana Tasks", [
    ("title", "name", '"string"'), ("workspace_id", "workspace", '"string"'),
    ("owner_id", "assignee", '"string"')], type_label="Asana")
SOURCE = section("Asana Goals", "Customcrm Objective", [
    ("name", "title", '"string"'), ("workspace", "asana_workspace", '"string"'),
    ("owner", "asana_owner", '"string"')], type_label="Customcrm")


def test_documents_writing_and_reading_asana_gids_sync_and_pass(tmp_path: Path) -> None:
    items = run_checklist(tmp_path, {
        "customcrm-to-asana.rst": document("Customcrm", "Asana", TARGET),
        "asana-to-customcrm.rst": document("Asana", "Customcrm", SOURCE)})
    assert len(items) >= 12
    assert [i for i in items if i[2] != "passed"] == []


QUERY_WRITES: dict[str, Any] = {
    "openapi": "3.0.0", "info": {"title": "Boards", "version": "1"},
    "paths": {
        "/cards": {"post": {"parameters": [
            {"name": "idList", "in": "query", "required": True, "schema": {"type": "string"}},
            {"name": "pos", "in": "query", "schema": {"oneOf": [{"type": "string"},
                                                                {"type": "number"}]}}],
            "responses": {"200": _json("Card", data=False)}}},
        "/cards/{id}": {"get": {"responses": {"200": _json("Card", data=False)}}},
    },
    "components": {"schemas": {"Card": {"type": "object", "properties": {
        "id": {"type": "string"}, "idList": {"type": "string"}, "pos": {"type": "number"}}}}},
}


def test_a_write_taking_query_parameters_requires_the_required_ones(tmp_path: Path) -> None:
    path = tmp_path / "boards.json"
    path.write_text(json.dumps(QUERY_WRITES), encoding="utf-8")
    card = import_description(path, "boards")["entities"]["cards"]
    assert card["required"] == ["idList"]
    # query parameters are text on the wire: their types do not retype a JSON body
    assert card["properties"]["pos"] == {"type": "number"}


def test_a_trello_card_created_without_its_list_is_refused_naming_it() -> None:
    profile = profile_for("trello")
    base = f"https://trello.emulated{profile.base_path}"
    with serving(emulator_for(profile, base)):
        refused = requests.post(f"{base}/cards", json={"name": "Call"}, headers=AUTH, timeout=5)
        assert refused.status_code == 400 and "idList: is required" in refused.text
        made = requests.post(f"{base}/cards", json={"name": "Call", "idList": "a" * 24,
                                                   "pos": 3}, headers=AUTH, timeout=5)
        assert made.status_code in (200, 201), made.text
