"""Document defects reported as document defects: lint names every line involved, and the
checklist items concerned say which value the sync kept; no item shows exception text."""

from __future__ import annotations

from pathlib import Path

import pytest
from checklist_project import items, run_checklist
from small_documents import document, section, write_document

from talk.cli import main
from talk.sync.engine import SyncEngine

pytest_plugins = ["pytester"]

TWO_WRITERS = document("Alpha", "Beta", section("Alpha Contact", "Beta Customer", [
    ("nickname", "name", '"string"'),
    ("fullname", "name", '"string"'),
    ("email", "email", '"string"'),
]))
OTHER_WRITER = document("Gamma", "Beta", section("Gamma Person", "Beta Customer", [
    ("title", "name", '"string"'),
]))
SLOPPY = document("Alpha", "Beta", section("Alpha Contact", "Beta Customer", [
    ("email", "email", '"strnig"'),
    ("phone (Dependant on having  in kind)", "phone", '"string"'),
    ("fax", "fax", "string"),
]))


def _lint(capsys: pytest.CaptureFixture[str], *paths: Path) -> list[str]:
    main(["lint", *map(str, paths)])
    return capsys.readouterr().out.splitlines()


def test_lint_names_every_row_writing_one_target_field_in_and_across_documents(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alpha = write_document(tmp_path, "alpha-beta.rst", TWO_WRITERS)
    gamma = write_document(tmp_path, "gamma-beta.rst", OTHER_WRITER)
    alone = [line for line in _lint(capsys, alpha) if "only one value" in line]
    assert [line.split(": warning")[0] for line in alone] == [f"{alpha}:27", f"{alpha}:30"]
    assert "line 27 (nickname -> name) and line 30 (fullname -> name)" in alone[0]
    together = [line for line in _lint(capsys, alpha, gamma) if "only one value" in line]
    assert [line.split(": warning")[0] for line in together] == [
        f"{alpha}:27", f"{alpha}:30", f"{gamma}:27"]
    assert f"{alpha} line 27 (nickname -> name)" in together[2]
    assert f"{gamma} line 27 (title -> name)" in together[0]


def test_lint_warns_on_empty_conditions_and_unknown_types(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_document(tmp_path, "alpha-beta.rst", SLOPPY)
    out = "\n".join(_lint(capsys, path))
    assert f'{path}:27: warning: line 27: the type "strnig" is not a known type; did you ' \
           f'mean "string"?' in out
    assert f"{path}:30: warning: the condition 'Dependant on having  in kind' at line 30 " \
           f"has an empty value" in out
    assert f"{path}:33: warning: line 33: the type string is not a known type" in out


def test_the_row_whose_value_lost_fails_naming_the_rows_and_the_value_kept(
        pytester: pytest.Pytester) -> None:
    found = items(run_checklist(pytester, {"alpha-beta.rst": TWO_WRITERS}))
    rows = {i["line"]: i for i in found if i["kind"] == "property"}
    failed = [line for line, item in rows.items() if item["status"] == "failed"]
    assert len(failed) == 1 and failed[0] in (27, 30), rows
    kept = 57 - failed[0]  # the other of lines 27 and 30
    message = rows[failed[0]]["message"]
    assert "line 27 (nickname -> name)" in message and "line 30 (fullname -> name)" in message
    assert f"the sync kept the value of line {kept}" in message
    assert rows[kept]["status"] == "passed" and rows[33]["status"] == "passed"


def test_an_error_inside_talk_is_a_sentence_not_exception_text(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: SyncEngine) -> None:
        raise KeyError("Beta")

    monkeypatch.setattr(SyncEngine, "run", broken)
    found = items(run_checklist(pytester, {"alpha-beta.rst": TWO_WRITERS}))
    failed = [i for i in found if i["status"] == "failed"]
    assert failed
    for item in failed:
        assert "KeyError" not in item["message"] and "'Beta'" not in item["message"]
        assert "an internal error of talk" in item["message"]


def test_lint_warns_when_an_entity_merges_with_itself_on_its_own_id(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_document(tmp_path, "alpha-alpha.rst", document("Alpha", "Alpha", section(
        "Alpha Contact", "Alpha Contact", [("name", "name", '"string"')],
        merge=[("id", "id"), ("email", "email")])))
    out = [line for line in _lint(capsys, path) if "never merges with itself" in line]
    assert len(out) == 1 and out[0].startswith(f"{path}:26: warning: the merge criterion "
                                               f"id = id at line 26"), out


def test_lint_says_which_competing_row_the_sync_keeps(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alpha = write_document(tmp_path, "alpha-beta.rst", TWO_WRITERS)
    gamma = write_document(tmp_path, "gamma-beta.rst", OTHER_WRITER)
    warnings = [line for line in _lint(capsys, gamma, alpha) if "only one value" in line]
    assert len(warnings) == 3
    assert all(line.endswith(f"the sync keeps the row listed first, by document and line: "
                             f"{alpha} line 27 (nickname -> name))") for line in warnings)


TWO_SECTIONS_ONE_FIELD = document(
    "Alpha", "Beta",
    section("Alpha Contact", "Beta Customer", [("nickname", "name", '"string"')]),
    section("Alpha Person", "Beta Customer", [("title", "name", '"string"')]))


def test_a_row_the_sync_leaves_out_says_which_row_it_keeps(pytester: pytest.Pytester) -> None:
    found = items(run_checklist(pytester, {"alpha-beta.rst": TWO_SECTIONS_ONE_FIELD}))
    rows = {i["line"]: i for i in found if i["kind"] == "property"}
    assert rows[27]["status"] == "passed", rows[27]
    left_out = rows[max(rows)]
    assert left_out["status"] == "failed"
    assert "the sync sent no name" in left_out["message"]
    assert left_out["message"].endswith(
        "the sync keeps the row listed first, line 27 (nickname -> name)"), left_out
