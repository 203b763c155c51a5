"""The OData `$filter` subset of docs/design.md#credentials-and-odata, and `/Date(ms)/` values."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from talk.emulator.odata import Comparison, ODataError, matches, parse_filter
from talk.systems.exact import datetime_literal, parse_odata_date, to_odata_date

GUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"


def test_guid_literal_eq() -> None:
    assert parse_filter(f"ID eq guid'{GUID}'") == [Comparison("ID", "eq", uuid.UUID(GUID))]


def test_datetime_literal_ge_is_utc() -> None:
    [comparison] = parse_filter("Modified ge datetime'2024-01-01T00:00:00'")
    assert comparison == Comparison("Modified", "ge", datetime(2024, 1, 1, tzinfo=UTC))


def test_datetime_literal_with_milliseconds() -> None:
    [comparison] = parse_filter("Modified gt datetime'2024-03-05T10:11:12.345'")
    assert comparison.value == datetime(2024, 3, 5, 10, 11, 12, 345000, tzinfo=UTC)


def test_string_literal_with_escaped_quote_and_and() -> None:
    parsed = parse_filter("Name eq 'O''Brien & Co' and City eq 'Oslo'")
    assert parsed == [Comparison("Name", "eq", "O'Brien & Co"), Comparison("City", "eq", "Oslo")]


def test_keywords_and_numbers() -> None:
    parsed = parse_filter("IsSales eq true and Division eq 1234 and Email eq null")
    assert [c.value for c in parsed] == [True, Decimal(1234), None]


@pytest.mark.parametrize("text", [
    "", "Name", "Name eq", "Name like 'A'", "Name eq 'A' or City eq 'B'",
    "ID eq guid'not-a-guid'", "Modified ge datetime'yesterday'", "Name eq 'unterminated",
    "eq eq 'A'",
])
def test_refuses_what_it_does_not_understand(text: str) -> None:
    with pytest.raises(ODataError):
        parse_filter(text)


def test_matches_guid_case_insensitively() -> None:
    record = {"ID": GUID.upper()}
    assert matches(record, parse_filter(f"ID eq guid'{GUID}'"))
    assert not matches({"ID": str(uuid.UUID(int=1))}, parse_filter(f"ID eq guid'{GUID}'"))


def test_matches_odata_dates_against_datetime_literals() -> None:
    stamp = to_odata_date(datetime(2024, 1, 1, 0, 0, 5, tzinfo=UTC))
    record = {"Modified": stamp}
    assert matches(record, parse_filter("Modified ge datetime'2024-01-01T00:00:05'"))
    assert not matches(record, parse_filter("Modified gt datetime'2024-01-01T00:00:05'"))
    assert matches(record, parse_filter("Modified gt datetime'2024-01-01T00:00:04.999'"))


def test_and_requires_every_comparison() -> None:
    filters = parse_filter("Name eq 'A' and City eq 'Oslo'")
    assert matches({"Name": "A", "City": "Oslo"}, filters)
    assert not matches({"Name": "A", "City": "Bergen"}, filters)
    assert not matches({"Name": "A"}, filters)  # a missing field compares as null


def test_null_comparisons() -> None:
    assert matches({"Email": None}, parse_filter("Email eq null"))
    assert matches({"Email": "a@b.c"}, parse_filter("Email ne null"))
    assert not matches({}, parse_filter("Modified ge datetime'2024-01-01T00:00:00'"))


def test_odata_date_round_trip() -> None:
    moment = datetime(2024, 2, 29, 12, 30, 1, 250000, tzinfo=UTC)
    text = to_odata_date(moment)
    assert text == "/Date(1709209801250)/"
    assert parse_odata_date(text) == moment
    assert parse_odata_date("/Date(1709209801250+0100)/") == moment
    assert parse_odata_date("2024-01-01") is None
    assert parse_odata_date(None) is None


def test_datetime_literal_is_parsed_back() -> None:
    moment = datetime(2024, 1, 2, 3, 4, 5, 6000, tzinfo=UTC)
    literal = datetime_literal(moment)
    assert literal == "datetime'2024-01-02T03:04:05.006'"
    assert parse_filter(f"Modified eq {literal}")[0].value == moment
