"""`talk profile import` on small descriptions written for each format and shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from talk.cli import main
from talk.profiles.distilled import dump
from talk.profiles.importer import DescriptionError, import_description

OPENAPI_30: dict[str, Any] = {
    "openapi": "3.0.1", "info": {"title": "Shop", "version": "7"},
    "servers": [{"url": "https://shop.example/v2"}],
    "paths": {
        "/customer": {
            "get": {"parameters": [{"$ref": "#/components/parameters/From"},
                                   {"name": "count", "in": "query"}],
                    "responses": {"default": {"content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/ListCustomer"}}}}}},
            "post": {"requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Customer"}}}},
                "responses": {"201": {"description": "made"}}}},
        "/customer/{id}": {
            "get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/WrapCustomer"}}}}}},
            "put": {"responses": {"200": {"description": "ok"}}}},
        "/customer/{id}/notes": {"get": {"responses": {}}},
        "/boards/{id}": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Address"}}}}}},
            "put": {"responses": {}}},
        "/customer/list": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Customer"}}}}},
            "responses": {}}},
    },
    "components": {
        "parameters": {"From": {"name": "from", "in": "query"}},
        "schemas": {
            "Base": {"type": "object", "properties": {
                "id": {"type": "integer", "readOnly": True},
                "changedAt": {"type": "string", "format": "date-time", "readOnly": True}}},
            "Customer": {"allOf": [{"$ref": "#/components/schemas/Base"}, {
                "type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string", "maxLength": 40},
                    "kind": {"type": "string", "enum": ["PERSON", "COMPANY"]},
                    "address": {"$ref": "#/components/schemas/Address"},
                    "note": {"type": "string", "nullable": True}}}]},
            "Address": {"type": "object", "properties": {"city": {"type": "string"}}},
            "ListCustomer": {"type": "object", "properties": {
                "fullResultSize": {"type": "integer"},
                "values": {"type": "array", "items": {"$ref": "#/components/schemas/Customer"}}}},
            "WrapCustomer": {"type": "object", "properties": {
                "value": {"$ref": "#/components/schemas/Customer"}}},
        },
    },
}


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_openapi_30_entities_envelopes_refs_and_allof(tmp_path: Path) -> None:
    profile = import_description(_write(tmp_path, "shop.json", json.dumps(OPENAPI_30)), "shop")
    # No sub-resource, no batch endpoint; a record path without a collection is an entity
    # that can be read and updated, not listed or created.
    assert list(profile["entities"]) == ["boards", "customer"]
    assert profile["entities"]["boards"]["operations"] == ["read", "update"]
    customer = profile["entities"]["customer"]
    assert customer["record"] == "customer/{id}"
    assert (customer["list_key"], customer["record_key"], customer["paging"]) == \
        ("values", "value", "from_count")
    assert customer["operations"] == ["create", "list", "read", "update"]
    assert customer["required"] == ["name"]
    props = customer["properties"]
    assert props["id"] == {"type": "integer", "write": "never"}
    assert props["changedAt"] == {"type": "datetime", "format": "date-time", "write": "never"}
    assert props["name"] == {"type": "string", "maxLength": 40}
    assert props["kind"] == {"type": "string", "enum": ["PERSON", "COMPANY"]}
    assert props["address"] == {"type": "object"}
    assert props["note"] == {"type": "string", "nullable": True}
    assert profile["description"]["base_path"] == "/v2"


def test_swagger_2_bare_arrays_and_an_assigned_required_id(tmp_path: Path) -> None:
    document = {
        "swagger": "2.0", "info": {"title": "Crm", "version": "v1"}, "basePath": "/",
        "paths": {
            "/Things": {"get": {"parameters": [{"name": "Page", "in": "query"},
                                               {"name": "Size", "in": "query"}],
                                "responses": {"200": {"schema": {"type": "array", "items": {
                                    "$ref": "#/definitions/ThingDto"}}}}},
                        "post": {"parameters": [{"in": "body", "name": "b", "schema": {
                            "$ref": "#/definitions/ThingDto"}}], "responses": {}}},
            "/Things/{id}": {"get": {"responses": {"200": {"schema": {
                "$ref": "#/definitions/ThingDto"}}}}, "delete": {"responses": {}}},
        },
        "definitions": {"ThingDto": {"required": ["ThingId"], "properties": {
            "ThingId": {"type": "integer", "format": "int32"},
            "ThingName": {"type": "string", "x-nullable": True}}}},
    }
    thing = import_description(_write(tmp_path, "crm.json", json.dumps(document)),
                               "crm")["entities"]["Things"]
    assert thing["key"] == ["ThingId"] and thing["record"] == "Things/{ThingId}"
    assert thing["required"] == []  # the DTO requires the id, which the server assigns
    assert thing["properties"]["ThingId"]["write"] == "never"
    assert thing["list_key"] is None and thing["paging"] == "page_size"
    assert thing["operations"] == ["create", "delete", "list", "read"]
    assert thing["properties"]["ThingName"] == {"type": "string", "nullable": True}


def test_openapi_31_type_lists_and_yaml(tmp_path: Path) -> None:
    text = """\
openapi: 3.1.0
info: {title: Wiki, version: "1.5"}
paths:
  /items:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses: {}
  /items/{item_id}:
    get:
      responses:
        200:
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
components:
  schemas:
    Item:
      type: object
      required: [label]
      properties:
        id: {type: string, readOnly: true}
        label: {type: [string, "null"]}
"""
    item = import_description(_write(tmp_path, "wiki.yaml", text), "wiki")["entities"]["items"]
    assert item["key"] == ["id"] and item["operations"] == ["create", "read"]
    assert item["properties"]["label"] == {"type": "string", "nullable": True}
    assert item["required"] == ["label"]


def test_odata_csdl_keys_nullable_enums_and_restrictions(tmp_path: Path) -> None:
    text = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
 <edmx:DataServices>
  <Schema Namespace="NAV" xmlns="http://docs.oasis-open.org/odata/ns/edm">
   <EnumType Name="kind"><Member Name="Person"/><Member Name="Company"/></EnumType>
   <EntityType Name="customer">
    <Key><PropertyRef Name="id"/></Key>
    <Property Name="id" Type="Edm.Guid" Nullable="false"/>
    <Property Name="displayName" Type="Edm.String" Nullable="false" MaxLength="100"/>
    <Property Name="type" Type="NAV.kind"/>
    <Property Name="lastModifiedDateTime" Type="Edm.DateTimeOffset"/>
   </EntityType>
   <EntityContainer Name="default">
    <EntitySet Name="customers" EntityType="NAV.customer">
     <Annotation Term="Org.OData.Capabilities.V1.DeleteRestrictions">
      <Record><PropertyValue Property="Deletable" Bool="false"/></Record>
     </Annotation>
    </EntitySet>
   </EntityContainer>
  </Schema>
 </edmx:DataServices>
</edmx:Edmx>
"""
    customers = import_description(_write(tmp_path, "m.xml", text), "bc")["entities"]["customers"]
    assert customers["record"] == "customers({id})" and customers["list_key"] == "value"
    assert customers["operations"] == ["create", "list", "read", "update"]
    assert customers["required"] == ["displayName"]
    props = customers["properties"]
    assert props["displayName"] == {"type": "string", "nullable": False, "maxLength": 100}
    assert props["type"] == {"type": "string", "enum": ["Person", "Company"]}
    assert props["id"]["write"] == props["lastModifiedDateTime"]["write"] == "never"


def test_reimport_is_byte_identical_and_the_command_writes_it(tmp_path: Path) -> None:
    source = _write(tmp_path, "shop.json", json.dumps(OPENAPI_30))
    out = tmp_path / "shop-profile.json"
    assert main(["profile", "import", str(source), "--system", "shop", "--out", str(out)]) == 0
    first = out.read_bytes()
    assert first == dump(import_description(source, "shop")).encode()
    assert main(["profile", "import", str(source), "--system", "shop", "--out", str(out),
                 "--check"]) == 0
    out.write_text(first.decode().replace('"maxLength": 40', '"maxLength": 41'))
    assert main(["profile", "import", str(source), "--system", "shop", "--out", str(out),
                 "--check"]) == 1


def test_an_unreadable_description_names_file_and_line(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    broken = _write(tmp_path, "broken.json", '{"openapi": "3.0.0",\n "paths": {,}}')
    with pytest.raises(DescriptionError, match=r"broken\.json:2: not valid JSON"):
        import_description(broken, "x")
    assert main(["profile", "import", str(broken), "--system", "x", "--out", "-"]) == 2
    assert "broken.json:2" in capsys.readouterr().err
    xml = _write(tmp_path, "m.xml", '<edmx:Edmx xmlns:edmx="x">\n<broken></edmx:Edmx>')
    with pytest.raises(DescriptionError, match=r"m\.xml:2: not well-formed OData"):
        import_description(xml, "x")
    other = _write(tmp_path, "other.json", '{"hello": 1}')
    with pytest.raises(DescriptionError, match=r"other\.json:1: neither OpenAPI"):
        import_description(other, "x")



@pytest.mark.parametrize(("name", "text", "found"), [
    ("list.json", '{"openapi": "3.0.0",\n "paths": [1, 2]}',
     "list.json:2: not a usable OpenAPI description: paths must be an object"),
    ("item.json", '{"openapi": "3.0.0", "paths": {\n "/x": {"get": {}},\n "/x/{id}": "y"}}',
     "item.json:3: not a usable OpenAPI description: paths > /x/{id} must be an object"),
    ("param.yaml", "openapi: 3.0.0\npaths:\n  /x:\n    post:\n      parameters:\n"
                   "        - 5\n", "param.yaml:5: not a usable OpenAPI description: "
                                     "paths > /x > post > parameters > 0 must be an object"),
])
def test_a_description_not_shaped_as_openapi_names_file_line_and_part(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str,
        found: str) -> None:
    path = _write(tmp_path, name, text)
    assert main(["profile", "import", str(path), "--system", "x", "--out", "-"]) == 2
    err = capsys.readouterr().err
    assert err == f"talk profile: {tmp_path / found}\n"

WIKIBASE_LIKE: dict[str, Any] = {
    "openapi": "3.1.0", "info": {"title": "Wiki", "version": "1"},
    "paths": {
        "/items": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"allOf": [
                {"type": "object", "properties": {
                    "item": {"$ref": "#/components/schemas/Item"}}},
                {"type": "object", "properties": {"comment": {"type": "string"},
                                                  "bot": {"type": "boolean"}}}]}}}},
            "responses": {"201": {"description": "made"}}}},
        "/items/{item_id}": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"allOf": [{"$ref": "#/components/schemas/Item"}, {
                "required": ["id", "type", "sitelinks"],
                "properties": {"sitelinks": {"additionalProperties": {
                    "required": ["title"]}}}}]}}}}}}},
    },
    "components": {"schemas": {"Item": {"type": "object", "properties": {
        "id": {"type": "string", "readOnly": True, "pattern": "^Q[1-9]\\d*$"},
        "type": {"type": "string", "const": "item", "readOnly": True},
        "labels": {"type": "object"},
        "sitelinks": {"type": "object", "additionalProperties": {"type": "object"}}}}}},
}


def test_a_record_beside_edit_metadata_its_answers_fields_keys_and_consts(
        tmp_path: Path) -> None:
    entity = import_description(_write(tmp_path, "wiki.json", json.dumps(WIKIBASE_LIKE)),
                                "wiki")["entities"]["items"]
    assert entity["create_key"] == "item"  # `comment` and `bot` are edit metadata
    assert sorted(entity["properties"]) == ["id", "labels", "sitelinks", "type"]
    assert entity["answer_required"] == ["id", "sitelinks", "type"]
    assert entity["properties"]["sitelinks"]["type"] == "object"  # allOf adds, not replaces
    assert entity["properties"]["type"]["enum"] == ["item"]
    assert entity["properties"]["id"]["pattern"] == "^Q[1-9]\\d*$"
