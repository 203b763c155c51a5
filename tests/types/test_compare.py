"""docs/design.md#comparing-values: when two values are the same value."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from documented_types import BOOLEAN, DATE, FLOAT, INTEGER, LIST, STRING

from talk.dataflow.model import DataType
from talk.types import MISSING
from talk.types.compare import normalize, same_value, value_key


@pytest.mark.parametrize(("a", "b", "dtype"), [
    (7, 7.0, None),
    (7, Decimal("7.00"), None),
    (7, "7", STRING),
    (7.0, "7", INTEGER),
    (12.5, "12.5", STRING),
    (12.5, "12.50", STRING),
    (12.5, "12.5", None),
    ("007", 7, INTEGER),  # the documented type is a number: the text holds one
    (" 7 ", 7, FLOAT),
    (None, MISSING, None),
    (None, "", STRING),
    (True, "true", STRING),
    (True, "yes", BOOLEAN),
    (False, 0, BOOLEAN),
    ([1, "2"], [1.0, 2], STRING),
    ("a", ["a"], LIST),
    ('["a","b"]', ["a", "b"], LIST),
    ('{"k": [1, 2]}', {"k": [1.0, 2]}, STRING),
    ({"a": 1, "b": None}, {"a": 1.0}, None),
    ("2024-01-02T10:00:00Z", "2024-01-02", DATE),
    (datetime(2024, 1, 2, 10, tzinfo=UTC), "2024-01-02", DATE),
    (-0.0, 0, None),
])
def test_same(a: object, b: object, dtype: DataType | None) -> None:
    assert same_value(a, b, dtype)
    assert same_value(b, a, dtype)
    assert value_key(a, dtype) == value_key(b, dtype)


@pytest.mark.parametrize(("a", "b", "dtype"), [
    ("007", 7, STRING),  # a zip code is text, not the number 7
    ("007", "7", None),
    ("abc", "ABC", STRING),
    (True, 1, None),
    (True, 1, INTEGER),
    (True, "true", None),
    (12.5, 12.6, FLOAT),
    ([1, 2], [2, 1], None),
    ([1], 1, None),
    ("Yes", True, STRING),
    (None, 0, None),
    (None, False, None),
    ("2024-01-02", "2024-01-03", DATE),
])
def test_different(a: object, b: object, dtype: DataType | None) -> None:
    assert not same_value(a, b, dtype)
    assert not same_value(b, a, dtype)


@pytest.mark.parametrize(("value", "dtype", "expected"), [
    (7.0, None, 7),
    ("12.5", STRING, 12.5),
    ("007", STRING, "007"),
    ("", None, None),
    (True, STRING, "true"),
    ("no", BOOLEAN, False),
    ("x", LIST, ["x"]),
    (Decimal("2.50"), None, 2.5),
    ({"b": [Decimal(1)], "a": MISSING}, None, {"b": [1]}),
])
def test_normalize(value: object, dtype: DataType | None, expected: object) -> None:
    result = normalize(value, dtype)
    assert result == expected
    assert type(result) is type(expected)
