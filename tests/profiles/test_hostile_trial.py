"""Documents an integrator writes with the field names the real APIs document, each once
a false failure of talk's own: a failed item must mean the document or the API is wrong.

- Keap `email_addresses.email`: Keap's hand-written profile declares `email_addresses` an
  array by field type only; the create must send a list, not an object.
- Tripletex `isCustomer` as a source field: the server sets it (read-only), so a seeded
  record holds it and an edit made in Tripletex changes it; an edit made elsewhere cannot
  reach it, which is `unsupported` with the reason, not a failure.
- Asana task `projects` (create-only gids) and Freshteam `role_ids` (a list): one gid or
  role written as a `"list"` comes back as that value, not as the list's JSON text; an edit
  of a create-only field is `unsupported` with the reason.
- Keap company `email_address.email`: a path into a field declared a string is a lint
  warning on the row's line, and the edit Keap refuses says so in the failed item.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus.small_documents import document, section

from talk.dataflow.lint import lint_file
from talk.systems.profile import FieldType
from talk.types.coerce import to_source

from .checklist_run import Item, run_checklist

DOCUMENTS = {
    "customcrm-to-keap.rst": document("Customcrm", "Keap", section(
        "Customcrm Person", "Keap Contacts", [
            ("email", "email_addresses.email", '"string"'), ("first", "given_name", '"string"'),
            ("phone", "phone_numbers.number", '"string"')],
        merge=[("email", "email_addresses.email")])),
    "tripletex-to-customcrm.rst": document("Tripletex", "Customcrm", section(
        "Tripletex Customer", "Customcrm Company", [
            ("isCustomer", "is_customer", '"boolean"'), ("name", "company_name", '"string"')],
        type_label="Customcrm")),
    "customcrm-to-asana.rst": document("Customcrm", "Asana", section(
        "Customcrm Todo", "Asana Tasks", [
            ("project_ref", "projects", '"list"'), ("title", "name", '"string"'),
            ("ws", "workspace", '"string"')], type_label="Asana")),
    "customcrm-to-freshteam.rst": document("Customcrm", "Freshteam", section(
        "Customcrm Hire", "Freshteam Employees", [
            ("email", "official_email", '"string"'), ("first", "first_name", '"string"'),
            ("last", "last_name", '"string"'), ("role", "role_ids", '"list"')],
        type_label="Freshteam")),
    "keap-to-customcrm.rst": document("Keap", "Customcrm", section(
        "Keap Companies", "Customcrm Company", [("company_name", "name", '"string"'),
                                               ("email_address.email", "email", '"string"')],
        type_label="Customcrm")),
}


@pytest.fixture(scope="module")
def items(tmp_path_factory: pytest.TempPathFactory) -> list[Item]:
    return run_checklist(tmp_path_factory.mktemp("trial"), DOCUMENTS)


def _of(items: list[Item], document_name: str) -> list[Item]:
    return [i for i in items if i[0] == f"dataflows/{document_name}"]


def _not_passed(items: list[Item], document_name: str) -> list[Item]:
    return [i for i in _of(items, document_name) if i[2] != "passed"]


def test_a_keap_contact_created_with_an_email_address_syncs(items: list[Item]) -> None:
    assert len(_of(items, "customcrm-to-keap.rst")) >= 6
    assert _not_passed(items, "customcrm-to-keap.rst") == []


def test_a_read_only_tripletex_field_read_as_a_source_syncs(items: list[Item]) -> None:
    row = [i for i in _of(items, "tripletex-to-customcrm.rst") if i[1].startswith("isCustomer")]
    assert [i[2] for i in row] == ["passed"]
    left = _not_passed(items, "tripletex-to-customcrm.rst")  # the edit made in Customcrm
    assert [i[2] for i in left] == ["unsupported"]
    assert "isCustomer is read-only in tripletex customer" in left[0][3]


def test_an_edit_of_a_create_only_asana_field_is_unsupported_naming_it(
        items: list[Item]) -> None:
    left = _not_passed(items, "customcrm-to-asana.rst")
    assert [i[2] for i in left] == ["unsupported"]
    assert "projects is create-only in asana tasks" in left[0][3]
    assert "an edit cannot reach it" in left[0][3]


def test_one_value_written_as_a_list_comes_back_as_the_value(items: list[Item]) -> None:
    assert _not_passed(items, "customcrm-to-freshteam.rst") == []
    assert to_source(["r-7"], FieldType.STRING) == "r-7"
    assert to_source(["a", "b"], FieldType.STRING) == '["a","b"]'


def test_the_trial_ran_every_document(items: list[Item]) -> None:
    assert {i[0] for i in items} == {f"dataflows/{name}" for name in DOCUMENTS}


def test_a_path_into_a_plain_field_is_a_lint_warning_on_its_line(tmp_path: Path) -> None:
    """Keap's company `email_address` is a string (its contacts' `email_addresses` is a
    list of objects): `email_address.email` would be sent as an object and refused."""
    path = tmp_path / "keap-to-customcrm.rst"
    path.write_text(DOCUMENTS["keap-to-customcrm.rst"], encoding="utf-8")
    findings = [(f.line, f.message) for f in lint_file(path).findings if f.level == "warning"]
    line = path.read_text(encoding="utf-8").splitlines().index("   * - email_address.email") + 1
    assert findings == [(line, "source property 'email_address.email' names a field inside "
                               "'email_address', which keap Companies declares string: a "
                               "string has no fields")]


def test_an_edit_the_api_refused_says_so_beside_the_values_read_back(
        items: list[Item]) -> None:
    left = _not_passed(items, "keap-to-customcrm.rst")
    assert [i[2] for i in left] == ["failed"]  # the edit made in Customcrm, sent back
    assert "read back differs" in left[0][3]
    assert "the sync reported for dataflows/keap-to-customcrm.rst line " in left[0][3]
    assert "answered 400: Invalid value for email_address: expected a string" in left[0][3]
