"""The type check of a value sent to a target API (FORMAT.md's table)."""

from __future__ import annotations

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
from talk.types import MISSING
from talk.types.check import check_type, describe


@pytest.mark.parametrize(("dtype", "value"), [
    (STRING, "12.5"), (STRING, ""),
    (INTEGER, 7), (INTEGER, -10**20),
    (FLOAT, 7), (FLOAT, 12.5), (FLOAT, Decimal("0.1")),
    (DECIMAL, 0.1), (DECIMAL, 12), (DECIMAL, Decimal("0.1000000000000000000001")),
    (DECIMAL, "0.1000000000000000000001"),
    (BOOLEAN, False),
    (LIST, []), (LIST, ["a", 1]),
    (DATE, "2024-01-02"),
])
def test_values_of_the_documented_type_pass(dtype: DataType, value: object) -> None:
    assert check_type(value, dtype) is None


@pytest.mark.parametrize(("dtype", "value", "message"), [
    (STRING, 12.5, "expected a string, got 12.5 (number)"),
    (STRING, True, "expected a string, got true (boolean)"),
    (INTEGER, True, "expected an integer, got true (boolean)"),
    (INTEGER, 7.0, "expected an integer, got 7.0 (number)"),
    (INTEGER, "7", 'expected an integer, got "7" (string)'),
    (FLOAT, "12.5", 'expected a number, got "12.5" (string)'),
    (FLOAT, False, "expected a number, got false (boolean)"),
    (FLOAT, float("inf"), "expected a number, got inf (number)"),
    (DECIMAL, "12.5", 'expected a number written without loss of precision, got "12.5" (string)'),
    (BOOLEAN, "true", 'expected a boolean, got "true" (string)'),
    (BOOLEAN, 1, "expected a boolean, got 1 (number)"),
    (LIST, "a", 'expected a list, got "a" (string)'),
    (LIST, {"a": 1}, 'expected a list, got {"a": 1} (object)'),
    (DATE, "2024-01-02T10:00:00Z",
     'expected a date-time text in the format %Y-%m-%d, got "2024-01-02T10:00:00Z" (string)'),
    (DATE, 20240102, "expected a date-time text in the format %Y-%m-%d, got 20240102 (number)"),
])
def test_values_of_another_type_fail_with_a_message(dtype: DataType, value: object,
                                                     message: str) -> None:
    assert check_type(value, dtype) == message


def test_a_long_value_is_cut_short_in_the_message() -> None:
    message = check_type("x" * 500, INTEGER)
    assert message == 'expected an integer, got "' + "x" * 56 + '... (string)'


@pytest.mark.parametrize("value", [12.5, "abc", [1], {"a": None}, True])
@pytest.mark.parametrize("dtype", [NA, OTHER_EXPRESSION])
def test_unchecked_types_accept_anything(value: object, dtype: DataType) -> None:
    assert check_type(value, dtype) is None


@pytest.mark.parametrize("dtype", [STRING, INTEGER, FLOAT, DECIMAL, BOOLEAN, LIST, DATE])
def test_null_clears_a_value_of_any_type(dtype: DataType) -> None:
    assert check_type(None, dtype) is None
    assert check_type(MISSING, dtype) is None


@pytest.mark.parametrize(("dtype", "text"), [
    (STRING, "a string"),
    (INTEGER, "an integer"),
    (FLOAT, "a number"),
    (DECIMAL, "a number written without loss of precision"),
    (BOOLEAN, "a boolean"),
    (LIST, "a list"),
    (NA, "not checked: N/A transformation"),
    (DATE, "a date-time text in the format %Y-%m-%d"),
    (OTHER_EXPRESSION, 'not checked: expression "concat", "a", "b"'),
])
def test_describe(dtype: DataType, text: str) -> None:
    assert describe(dtype) == text
