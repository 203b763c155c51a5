"""`talk generate` over many documents: one document never stops the others, and a source
field read by rows of different types gets one sample value that fits them all."""

from __future__ import annotations

from pathlib import Path

import pytest
from small_documents import document, section, write_document

from talk.cli import main
from talk.dataflow.parser import parse_file
from talk.gherkin.samples import section_samples, unfit_rows

ONE_FIELD_TWO_TYPES = document("Alpha", "Beta", section(
    "Alpha Contact", "Beta Customer", [
        ("country", "deliveryCountry", '"string"'),
        ("country", "postalCountryId", '"integer"'),
        ("name", "name", '"string"'),
    ]))
NO_VALUE_FITS = document("Alpha", "Beta", section(
    "Alpha Contact", "Beta Customer", [
        ("born", "birthDate", '"datetime-format","%Y-%m-%d"'),
        ("born", "birthYear", '"integer"'),
    ]))
NO_TITLE = "Alpha to Beta\n\nno title rules here\n"


def test_a_string_row_and_an_integer_row_of_one_field_get_a_value_fitting_both(
        tmp_path: Path) -> None:
    path = write_document(tmp_path, "alpha-beta.rst", ONE_FIELD_TWO_TYPES)
    samples = section_samples("alpha-beta", parse_file(path).sections[0])
    value = samples.source["country"]
    assert int(str(value)) >= 0  # a number, or a numeric text
    assert samples.target_after_source_edit["deliveryCountry"] == str(
        samples.source_edit["country"])
    assert isinstance(samples.target_after_source_edit["postalCountryId"], int)


def test_rows_no_value_can_serve_are_named_with_every_line(tmp_path: Path) -> None:
    path = write_document(tmp_path, "alpha-beta.rst", NO_VALUE_FITS)
    section_ = parse_file(path).sections[0]
    unfit = unfit_rows(section_)
    lines = [row.line for row in section_.properties]
    assert list(unfit) == [lines[1]]
    assert all(str(line) in unfit[lines[1]] for line in lines)
    assert "born" in unfit[lines[1]]


def test_generate_writes_every_feature_it_can_and_names_the_others(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    write_document(docs, "a-one-field.rst", ONE_FIELD_TWO_TYPES)
    write_document(docs, "b-no-title.rst", NO_TITLE)
    write_document(docs, "c-unfit.rst", NO_VALUE_FITS)
    out = tmp_path / "features"
    assert main(["generate", str(docs), "--out", str(out)]) == 1
    written = sorted(p.name for p in out.glob("*.feature"))
    assert written == ["a-one-field.feature", "c-unfit.feature"]
    err = capsys.readouterr().err
    assert f"{docs / 'b-no-title.rst'}:1: cannot generate: " in err
    assert "2 features" in err and "1 documents not generated" in err
    assert "Traceback" not in err
    assert main(["generate", "--check", str(docs), "--out", str(out)]) == 1
