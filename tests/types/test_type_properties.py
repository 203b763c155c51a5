"""Properties of the type layer over generated values (Hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from documented_types import BOOLEAN, DATE, DECIMAL, FLOAT, INTEGER, LIST, NA, STRING
from hypothesis import given, settings
from hypothesis import strategies as st

from talk.dataflow.model import DataType
from talk.systems.profile import FieldType
from talk.types.check import check_type
from talk.types.coerce import CoercionError, to_field, to_source, to_target
from talk.types.compare import same_value
from talk.types.numbers import as_decimal, number_text, parse_number
from talk.types.samples import edited_value, sample_value

ALL_TYPES = [STRING, INTEGER, FLOAT, DECIMAL, BOOLEAN, LIST, NA, DATE,
             DataType.parse('"lower"')]

FAST = settings(max_examples=150, deadline=None)

finite_floats = st.floats(allow_nan=False, allow_infinity=False)
exact_decimals = st.decimals(allow_nan=False, allow_infinity=False, places=6,
                             min_value=Decimal("-1e12"), max_value=Decimal("1e12"))
numeric_texts = st.one_of(finite_floats.map(repr), st.integers().map(str),
                          exact_decimals.map(str))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), finite_floats, st.text(max_size=20),
                    numeric_texts, st.sampled_from(["yes", "No", "2024-01-02", "/Date(0)/",
                                                    "2024-01-02T10:00:00Z", "", "007"]))
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=5), children, max_size=4)),
    max_leaves=12)


@FAST
@given(finite_floats)
def test_a_float_travels_as_text_and_back_unchanged(number: float) -> None:
    text = to_target(number, STRING)
    assert isinstance(text, str)
    assert to_source(text, FieldType.NUMBER) == number
    assert to_source(to_target(number, DECIMAL), FieldType.NUMBER) == number
    assert to_source(to_target(number, FLOAT), FieldType.NUMBER) == number


@FAST
@given(st.integers())
def test_an_integer_travels_as_text_and_back_unchanged(number: int) -> None:
    assert to_source(to_target(number, STRING), FieldType.INTEGER) == number
    assert to_source(to_target(number, DECIMAL), FieldType.INTEGER) == number
    assert to_source(to_target(number, INTEGER), FieldType.NUMBER) == number


@FAST
@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_an_integer_a_double_holds_travels_as_a_float_and_back(number: int) -> None:
    assert to_source(to_target(number, FLOAT), FieldType.INTEGER) == number


@FAST
@given(exact_decimals)
def test_a_decimal_keeps_its_exact_value(number: Decimal) -> None:
    sent = to_target(number, DECIMAL)
    assert isinstance(sent, int | float | str)
    parsed = parse_number(sent) if isinstance(sent, str) else as_decimal(sent)
    assert parsed == number
    text = to_target(number, STRING)
    assert isinstance(text, str)
    assert parse_number(text) == number
    assert to_source(text, FieldType.STRING) == text


@FAST
@given(st.one_of(st.integers(), finite_floats, exact_decimals))
def test_number_text_is_exact(number: int | float | Decimal) -> None:
    assert parse_number(number_text(number)) == as_decimal(number)


@FAST
@given(st.text(max_size=30))
def test_a_string_travels_unchanged(text: str) -> None:
    assert to_source(to_target(text, STRING), FieldType.STRING) == text


@FAST
@given(st.booleans())
def test_a_boolean_travels_as_text_and_back(flag: bool) -> None:
    assert to_source(to_target(flag, STRING), FieldType.BOOLEAN) is flag
    assert to_source(to_target(flag, BOOLEAN), FieldType.STRING) == ("true" if flag else "false")


@FAST
@given(json_values, st.sampled_from(ALL_TYPES))
def test_what_to_target_makes_passes_the_check(value: object, dtype: DataType) -> None:
    try:
        sent = to_target(value, dtype)
    except CoercionError:
        return
    assert check_type(sent, dtype) is None


@FAST
@given(json_values, st.sampled_from(ALL_TYPES))
def test_a_coerced_value_is_the_same_value_under_its_type(value: object,
                                                          dtype: DataType) -> None:
    try:
        sent = to_target(value, dtype)
    except CoercionError:
        return
    assert same_value(sent, to_target(sent, dtype), dtype)


@FAST
@given(json_values, json_values, st.sampled_from([None, *ALL_TYPES]))
def test_same_value_is_reflexive_and_symmetric(a: object, b: object,
                                               dtype: DataType | None) -> None:
    assert same_value(a, a, dtype)
    assert same_value(a, b, dtype) == same_value(b, a, dtype)


field_types = st.sampled_from([None, *FieldType])


@FAST
@given(st.text(max_size=20), field_types, st.sampled_from(ALL_TYPES), st.booleans(), field_types)
def test_a_sample_is_deterministic_and_passes_its_check(
        seed: str, field_type: FieldType | None, dtype: DataType, hard: bool,
        target_field_type: FieldType | None) -> None:
    value = sample_value(seed, field_type, dtype, hard=hard, target_field_type=target_field_type)
    assert value == sample_value(seed, field_type, dtype, hard=hard,
                                 target_field_type=target_field_type)
    assert value is not None
    assert check_type(to_target(value, dtype), dtype) is None
    edited = edited_value(value, seed)
    assert not same_value(edited, value)
    assert check_type(to_target(edited, dtype), dtype) is None


@FAST
@given(st.text(max_size=20), field_types, st.sampled_from([STRING, NA]))
def test_a_sample_fits_its_source_field(seed: str, field_type: FieldType | None,
                                        dtype: DataType) -> None:
    value = sample_value(seed, field_type, dtype)
    assert same_value(to_field(value, field_type), value)


@FAST
@given(st.text(max_size=20), st.sampled_from([None, FieldType.STRING]),
       st.sampled_from([STRING, NA]),
       st.sampled_from([None, FieldType.STRING, FieldType.INTEGER, FieldType.NUMBER,
                        FieldType.BOOLEAN, FieldType.DATETIME, FieldType.GUID]))
def test_a_text_sample_fits_the_target_field(seed: str, field_type: FieldType | None,
                                             dtype: DataType,
                                             target_field_type: FieldType | None) -> None:
    value = sample_value(seed, field_type, dtype, target_field_type=target_field_type)
    stored = to_field(to_target(value, dtype), target_field_type)
    assert same_value(to_source(stored, field_type, value), value)
    if dtype is STRING:
        assert same_value(stored, value, dtype)
