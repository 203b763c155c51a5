"""docs/design.md#sample-values: deterministic sample values that fit both ends, and edited
values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from documented_types import DATE, FLOAT, INTEGER, LIST, NA, STRING

from talk.systems.profile import FieldType
from talk.types.check import check_type
from talk.types.coerce import to_field, to_target
from talk.types.compare import same_value
from talk.types.dates import parse_datetime
from talk.types.samples import HARD_FRAGMENTS, edited_value, sample_value


def _is_hard(value: object) -> bool:
    return isinstance(value, str) and any(fragment in value for fragment in HARD_FRAGMENTS)


def test_a_string_row_into_a_number_field_gets_a_numeric_text() -> None:
    value = sample_value("node-1", FieldType.STRING, STRING, target_field_type=FieldType.NUMBER)
    assert isinstance(value, str)
    assert isinstance(to_field(to_target(value, STRING), FieldType.NUMBER), float)


def test_a_string_row_into_an_integer_field_gets_a_whole_numeric_text() -> None:
    value = sample_value("node-1", None, STRING, target_field_type=FieldType.INTEGER)
    assert isinstance(value, str)
    assert isinstance(to_field(value, FieldType.INTEGER), int)


def test_a_number_field_under_a_string_row_gets_a_number_with_a_fraction() -> None:
    value = sample_value("node-1", FieldType.NUMBER, STRING)
    assert isinstance(value, float)
    assert value != int(value)
    assert to_target(value, STRING) == repr(value)


def test_an_integer_row_from_a_text_field_gets_a_whole_numeric_text() -> None:
    value = sample_value("node-1", FieldType.STRING, INTEGER)
    assert isinstance(value, str)
    assert isinstance(to_target(value, INTEGER), int)


def test_a_boolean_field_under_an_integer_row_gets_0_or_1() -> None:
    value = sample_value("node-1", FieldType.BOOLEAN, INTEGER)
    assert value in (0, 1)
    assert not isinstance(value, bool)
    assert isinstance(to_field(value, FieldType.BOOLEAN), bool)


@pytest.mark.parametrize(("field_type", "expected_type"), [
    (FieldType.ARRAY, list), (FieldType.OBJECT, dict), (FieldType.BOOLEAN, bool),
    (FieldType.INTEGER, int), (FieldType.NUMBER, float),
])
def test_the_source_field_decides_the_kind_under_a_pass_through_row(
        field_type: FieldType, expected_type: type) -> None:
    assert type(sample_value("seed", field_type, NA)) is expected_type


def test_a_date_row_gets_a_date_time_text() -> None:
    value = sample_value("seed", FieldType.DATETIME, DATE)
    assert isinstance(value, str)
    assert parse_datetime(value) is not None
    assert check_type(to_target(value, DATE), DATE) is None


def test_a_guid_field_gets_a_guid() -> None:
    value = sample_value("seed", FieldType.GUID, STRING)
    assert to_field(value, FieldType.GUID) == value


def test_hard_strings_only_where_both_ends_are_strings() -> None:
    assert _is_hard(sample_value("seed", FieldType.STRING, STRING, hard=True))
    assert _is_hard(sample_value("seed", None, STRING, hard=True,
                                 target_field_type=FieldType.STRING))
    assert not _is_hard(sample_value("seed", FieldType.STRING, STRING, hard=True,
                                     target_field_type=FieldType.NUMBER))
    assert not _is_hard(sample_value("seed", FieldType.STRING, LIST, hard=True))
    assert not _is_hard(sample_value("seed", FieldType.STRING, STRING))


def test_samples_depend_on_the_seed_only() -> None:
    first = [sample_value("a", FieldType.STRING, STRING), sample_value("a", None, FLOAT)]
    again = [sample_value("a", FieldType.STRING, STRING), sample_value("a", None, FLOAT)]
    other = [sample_value("b", FieldType.STRING, STRING), sample_value("b", None, FLOAT)]
    assert first == again
    assert first[0] != other[0]
    assert first[1] != other[1]


@pytest.mark.parametrize(("value", "kind"), [
    ("Sample text", str),
    ("12.5", str),
    (12.5, float),
    (Decimal("12.5"), Decimal),
    (7, int),
    (True, bool),
    (["a"], list),
    ({"name": "x", "n": [1]}, dict),
    ("2024-01-02", str),
    ("2024-01-02T10:00:00Z", str),
    ("/Date(1700000000000)/", str),
    ("4b1f5d1c-52a8-4f5c-9a63-0c1b2a3d4e5f", str),
    (1e308, float),
])
def test_edited_values_differ_and_keep_their_kind(value: object, kind: type) -> None:
    edited = edited_value(value, "edit-seed")
    assert type(edited) is kind
    assert not same_value(edited, value)
    assert edited == edited_value(value, "edit-seed")


def test_edited_texts_keep_their_shape() -> None:
    assert to_target(edited_value("12.5", "s"), FLOAT) != 12.5
    assert parse_datetime(edited_value("2024-01-02T10:00:00Z", "s")) is not None
    edited_date = edited_value("2024-01-02", "s")
    assert isinstance(edited_date, str)
    assert len(edited_date) == len("2024-01-02")
    edited_whole = edited_value("42", "s")
    assert isinstance(edited_whole, str)
    assert edited_whole.isdigit()
    edited_guid = edited_value("4b1f5d1c-52a8-4f5c-9a63-0c1b2a3d4e5f", "s")
    assert to_field(edited_guid, FieldType.GUID) == edited_guid
    assert isinstance(edited_value(None, "s"), str)


def test_edited_whole_float_stays_whole() -> None:
    edited = edited_value(7.0, "s")
    assert isinstance(edited, float)
    assert edited == int(edited)
    assert edited != 7.0
