"""Coercion to the documented target type, back to the source field, and into an API field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from documented_types import (
    BOOLEAN,
    DATE,
    DECIMAL,
    FLOAT,
    INTEGER,
    LIST,
    NA,
    OTHER_EXPRESSION,
    STRING,
)

from talk.dataflow.model import DataType
from talk.systems.profile import FieldType
from talk.types import MISSING
from talk.types.coerce import CoercionError, field_type_of, to_field, to_source, to_target


@pytest.mark.parametrize(("value", "expected"), [
    (12.5, "12.5"),
    (7, "7"),
    (7.0, "7"),
    (0.1, "0.1"),
    (-0.0, "0"),
    (-3.25, "-3.25"),
    (1e21, "1e+21"),
    (1.5e-10, "1.5e-10"),
    (123456789.123, "123456789.123"),
    (Decimal("12.50"), "12.5"),
    (Decimal("0.1000000000000000000001"), "0.1000000000000000000001"),
    (10**30, "1000000000000000000000000000000"),
    (True, "true"),
    (False, "false"),
    ("text stays", "text stays"),
    ("", ""),
    ({"a": [1, 2.5]}, '{"a":[1,2.5]}'),
    (["x", "ø"], '["x","ø"]'),
    (datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "2024-01-02T03:04:05+00:00"),
])
def test_to_string(value: object, expected: str) -> None:
    assert to_target(value, STRING) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (7, 7), (7.0, 7), ("7", 7), ("7.0", 7), (" 42 ", 42), ("+3", 3), ("1e3", 1000),
    (Decimal("5"), 5), ("-12", -12),
])
def test_to_integer(value: object, expected: int) -> None:
    result = to_target(value, INTEGER)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(("value", "message"), [
    ("abc", 'cannot convert "abc" to integer'),
    ("12.5", 'cannot convert "12.5" to integer: not a whole number'),
    (12.5, "cannot convert 12.5 to integer: not a whole number"),
    (True, "cannot convert true to integer: a boolean is not a number"),
    ([1], "cannot convert [1] to integer: a list is not a number"),
    ({"a": 1}, 'cannot convert {"a": 1} to integer: an object is not a number'),
    (float("nan"), "cannot convert nan to integer: not a finite number"),
    ("1_000", 'cannot convert "1_000" to integer'),
    ("nan", 'cannot convert "nan" to integer'),
])
def test_to_integer_refuses(value: object, message: str) -> None:
    with pytest.raises(CoercionError) as caught:
        to_target(value, INTEGER)
    assert str(caught.value) == message


def test_coercion_error_is_a_value_error_with_its_parts() -> None:
    with pytest.raises(ValueError, match="abc") as caught:
        to_target("abc", FLOAT)
    assert isinstance(caught.value, CoercionError)
    assert caught.value.value == "abc"
    assert caught.value.target == "float"


@pytest.mark.parametrize(("value", "expected"), [
    (12.5, 12.5), ("12.5", 12.5), (7, 7.0), ("0.1", 0.1), (Decimal("2.25"), 2.25),
])
def test_to_float(value: object, expected: float) -> None:
    result = to_target(value, FLOAT)
    assert result == expected
    assert type(result) is float


def test_to_float_refuses_a_number_beyond_a_double() -> None:
    with pytest.raises(CoercionError, match="too large for a float"):
        to_target("1e400", FLOAT)


@pytest.mark.parametrize(("value", "expected"), [
    (0.1, 0.1),
    ("12.5", 12.5),
    ("0.1", 0.1),
    (12, 12),
    ("12.0", 12),
    (Decimal("2.50"), 2.5),
    ("0.1000000000000000000001", "0.1000000000000000000001"),
    ("123456789012345678.5", "123456789012345678.5"),
])
def test_to_decimal_keeps_the_exact_value(value: object, expected: object) -> None:
    result = to_target(value, DECIMAL)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(("value", "expected"), [
    (True, True), (False, False), ("true", True), ("FALSE", False), ("Yes", True),
    ("no", False), ("1", True), ("0", False), (1, True), (0, False), (" on ", True),
])
def test_to_boolean(value: object, expected: bool) -> None:
    assert to_target(value, BOOLEAN) is expected


@pytest.mark.parametrize("value", ["maybe", 2, 0.5, [True]])
def test_to_boolean_refuses(value: object) -> None:
    with pytest.raises(CoercionError, match="to boolean"):
        to_target(value, BOOLEAN)


@pytest.mark.parametrize(("value", "expected"), [
    ("a", ["a"]), (7, [7]), ([1, 2], [1, 2]), (("x",), ["x"]), ({"k": 1}, [{"k": 1}]),
    ('["a","b"]', ["a", "b"]), ("[not json", ["[not json"]),
])
def test_to_list(value: object, expected: list[object]) -> None:
    assert to_target(value, LIST) == expected


@pytest.mark.parametrize("dtype", [STRING, INTEGER, FLOAT, DECIMAL, BOOLEAN, LIST, NA, DATE])
def test_no_value_stays_no_value(dtype: DataType) -> None:
    assert to_target(None, dtype) is None
    assert to_target(MISSING, dtype) is MISSING


@pytest.mark.parametrize("dtype", [INTEGER, FLOAT, DECIMAL, BOOLEAN, LIST, DATE])
def test_blank_text_is_no_value_except_for_strings(dtype: DataType) -> None:
    assert to_target("  ", dtype) is None


@pytest.mark.parametrize("value", ["abc", 12.5, {"a": 1}, [1, "x"], True])
@pytest.mark.parametrize("dtype", [NA, OTHER_EXPRESSION])
def test_unchecked_types_pass_the_value_through(value: object, dtype: DataType) -> None:
    assert to_target(value, dtype) is value


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-01-02T23:30:00-05:00", "2024-01-02"),  # the source's own wall time
    ("2024-01-02T10:00:00Z", "2024-01-02"),
    ("2024-03-04", "2024-03-04"),
    ("/Date(1700000000000)/", "2023-11-14"),
    ("/Date(1700000000000+0100)/", "2023-11-14"),
    (datetime(2021, 5, 6, 7, 8, tzinfo=UTC), "2021-05-06"),
    (date(2021, 5, 6), "2021-05-06"),
])
def test_datetime_format(value: object, expected: str) -> None:
    assert to_target(value, DATE) == expected


def test_datetime_format_uses_the_written_format() -> None:
    dtype = DataType.parse('"datetime-format","%d.%m.%Y %H:%M","_."]')
    assert to_target("2024-01-02T03:04:05Z", dtype) == "02.01.2024 03:04"


@pytest.mark.parametrize("value", ["next tuesday", 12, True, "2024-13-40"])
def test_datetime_format_refuses_what_is_no_date(value: object) -> None:
    with pytest.raises(CoercionError, match="to a date-time in the format %Y-%m-%d"):
        to_target(value, DATE)


# --- back to the source field ---------------------------------------------------------------


@pytest.mark.parametrize(("value", "field_type", "expected"), [
    ("99.9", FieldType.NUMBER, 99.9),
    ("12.5", FieldType.NUMBER, 12.5),
    ("12", FieldType.NUMBER, 12),
    ("12", FieldType.INTEGER, 12),
    ("12.0", FieldType.INTEGER, 12),
    (12.5, FieldType.STRING, "12.5"),
    (7, FieldType.STRING, "7"),
    ("true", FieldType.BOOLEAN, True),
    ("a", FieldType.ARRAY, ["a"]),
    ('{"k": 1}', FieldType.OBJECT, {"k": 1}),
    ("2024-01-02", FieldType.DATETIME, "2024-01-02"),
    ("4b1f5d1c-52a8-4f5c-9a63-0c1b2a3d4e5f", FieldType.GUID,
     "4b1f5d1c-52a8-4f5c-9a63-0c1b2a3d4e5f"),
    ("", FieldType.NUMBER, None),
    ("", FieldType.STRING, ""),
    (None, FieldType.NUMBER, None),
])
def test_to_source(value: object, field_type: FieldType, expected: object) -> None:
    result = to_source(value, field_type)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(("value", "field_type"), [
    ("abc", FieldType.NUMBER), ("12.5", FieldType.INTEGER), ("maybe", FieldType.BOOLEAN),
    ("not-a-guid", FieldType.GUID), ("soon", FieldType.DATETIME), ("plain", FieldType.OBJECT),
])
def test_to_source_refuses(value: object, field_type: FieldType) -> None:
    with pytest.raises(CoercionError, match=f"to {field_type.value}"):
        to_source(value, field_type)


@pytest.mark.parametrize(("value", "previous", "expected"), [
    ("99.9", 12.5, 99.9),
    ("12.5", 3, 12.5),  # a number of any kind: the field is a number, not an integer
    (12.5, "old text", "12.5"),
    ("false", True, False),
    ("x", ["a"], ["x"]),
    ("99.9", None, "99.9"),  # nothing known: passes through
])
def test_to_source_follows_the_previous_value(value: object, previous: object,
                                              expected: object) -> None:
    assert to_source(value, None, previous) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (True, FieldType.BOOLEAN), (1, FieldType.NUMBER), (1.5, FieldType.NUMBER),
    ("x", FieldType.STRING), ([], FieldType.ARRAY), ({}, FieldType.OBJECT), (None, None),
])
def test_field_type_of(value: object, expected: FieldType | None) -> None:
    assert field_type_of(value) is expected


def test_the_price_round_trip_of_the_acceptance() -> None:
    sent = to_target(12.5, STRING)
    assert sent == "12.5"
    assert to_source(sent, FieldType.NUMBER) == 12.5
    assert to_source("99.9", FieldType.NUMBER) == 99.9


# --- what an API stores (docs/design.md#api-types) ----------------------------------------------


@pytest.mark.parametrize(("value", "field_type", "expected"), [
    ("12.5", FieldType.NUMBER, 12.5),
    (7, FieldType.NUMBER, 7.0),
    ("7", FieldType.INTEGER, 7),
    (7.0, FieldType.INTEGER, 7),
    (12.5, FieldType.STRING, "12.5"),
    (3, FieldType.STRING, "3"),
    (True, FieldType.STRING, "true"),
    ("True", FieldType.BOOLEAN, True),
    (0, FieldType.BOOLEAN, False),
    ([1], FieldType.ARRAY, [1]),
    ({"a": 1}, FieldType.OBJECT, {"a": 1}),
    ("", FieldType.NUMBER, None),
    ("anything", None, "anything"),
])
def test_to_field(value: object, field_type: FieldType | None, expected: object) -> None:
    result = to_field(value, field_type)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(("value", "field_type"), [
    ("abc", FieldType.NUMBER),
    ("abc", FieldType.INTEGER),
    (7.5, FieldType.INTEGER),
    (True, FieldType.NUMBER),
    ([1], FieldType.STRING),
    ({"a": 1}, FieldType.STRING),
    ("a", FieldType.ARRAY),
    ('{"a": 1}', FieldType.OBJECT),
    ("yes", FieldType.BOOLEAN),
    ("not-a-guid", FieldType.GUID),
])
def test_to_field_refuses_what_the_api_refuses(value: object, field_type: FieldType) -> None:
    with pytest.raises(CoercionError, match="cannot convert"):
        to_field(value, field_type)
