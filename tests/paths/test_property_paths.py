"""Dotted property paths through nested objects and lists, and bracket conditions."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talk.dataflow.model import BracketCondition, PropertyPath
from talk.sync.paths import (
    MISSING,
    PathError,
    condition_holds,
    get_all,
    get_path,
    has_path,
    set_path,
    top_level,
)

CONTACT: dict[str, Any] = {
    "id": 7,
    "given_name": "Ada",
    "middle_name": None,
    "address": {"city": "Oslo", "street": {"name": "Storgata", "number": 5}},
    "Emails": [{"Type": "home"}, {"Value": "a@x.no", "Type": "work"}, {"Value": "b@x.no"}],
    "tags": ["NO", "SE"],
    "phone_numbers": [{"name": "wd:Q17517", "number": "+47 1"}, {"name": "fax", "number": "2"}],
    "Country": {"TwoLetterISOCountry": "NO"},
    "flags": [{"active": True}],
    "count": 3,
}


@pytest.mark.parametrize(("path", "expected"), [
    ("id", 7),
    ("given_name", "Ada"),
    ("middle_name", None),
    ("address.city", "Oslo"),
    ("address.street.number", 5),
    ("address.street", {"name": "Storgata", "number": 5}),
    ("Emails.Value", "a@x.no"),  # the first element that holds it
    ("Emails.Type", "home"),
    ("tags", ["NO", "SE"]),
    ("Country.TwoLetterISOCountry", "NO"),
    ("nothing", MISSING),
    ("address.zip", MISSING),
    ("given_name.first", MISSING),
    ("tags.value", MISSING),
])
def test_get_path(path: str, expected: object) -> None:
    assert get_path(CONTACT, path) == expected


def test_missing_differs_from_null() -> None:
    assert get_path(CONTACT, "middle_name") is None
    assert has_path(CONTACT, "middle_name")
    assert get_path(CONTACT, "last_name") is MISSING
    assert not has_path(CONTACT, "last_name")
    assert repr(MISSING) == "MISSING"


@pytest.mark.parametrize(("path", "expected"), [
    ("Emails.Value", ["a@x.no", "b@x.no"]),
    ("Emails.Type", ["home", "work"]),
    ("tags", ["NO", "SE"]),
    ("address.city", ["Oslo"]),
    ("phone_numbers.name", ["wd:Q17517", "fax"]),
    ("middle_name", [None]),
    ("nothing", []),
])
def test_get_all(path: str, expected: list[object]) -> None:
    assert get_all(CONTACT, path) == expected


@pytest.mark.parametrize("path", ["", "a..b", ".a", "a."])
def test_a_malformed_path_is_refused(path: str) -> None:
    with pytest.raises(PathError, match="not a property path"):
        get_path(CONTACT, path)


def test_set_path_creates_nested_objects() -> None:
    record: dict[str, Any] = {}
    set_path(record, "deliveryAddress.city", "Bergen")
    set_path(record, "deliveryAddress.zip", "5003")
    set_path(record, "name", "Acme")
    assert record == {"deliveryAddress": {"city": "Bergen", "zip": "5003"}, "name": "Acme"}


def test_set_path_writes_where_get_path_reads_in_a_list() -> None:
    record = copy.deepcopy(CONTACT)
    set_path(record, "Emails.Value", "new@x.no")
    assert record["Emails"] == [{"Type": "home"}, {"Value": "new@x.no", "Type": "work"},
                                {"Value": "b@x.no"}]
    set_path(record, "Emails.Label", "main")
    assert record["Emails"][0] == {"Type": "home", "Label": "main"}


def test_set_path_creates_a_one_element_list_for_an_empty_one() -> None:
    record: dict[str, Any] = {"Emails": []}
    set_path(record, "Emails.Value", "a@x.no")
    assert record == {"Emails": [{"Value": "a@x.no"}]}


def test_set_path_writes_through_a_null() -> None:
    record: dict[str, Any] = {"address": None}
    set_path(record, "address.city", "Oslo")
    assert record == {"address": {"city": "Oslo"}}


def test_set_path_writes_null() -> None:
    record: dict[str, Any] = {"a": {"b": 1}}
    set_path(record, "a.b", None)
    assert record == {"a": {"b": None}}
    assert has_path(record, "a.b")


@pytest.mark.parametrize(("record", "path", "message"), [
    ({"address": "Storgata 5"}, "address.city",
     'cannot write address.city: address holds "Storgata 5", not an object'),
    ({"tags": ["a"]}, "tags.value", 'cannot write tags.value: a list of "a" holds no objects'),
])
def test_set_path_refuses_to_overwrite_a_plain_value(record: dict[str, Any], path: str,
                                                     message: str) -> None:
    before = copy.deepcopy(record)
    with pytest.raises(PathError) as caught:
        set_path(record, path, "x")
    assert str(caught.value) == message
    assert record == before


@pytest.mark.parametrize(("path", "expected"), [
    ("address.city", "address"), ("id", "id"), ("Emails.Value", "Emails"), ("$original_id",
                                                                              "$original_id"),
])
def test_top_level(path: str, expected: str) -> None:
    assert top_level(path) == expected


def _condition(written_cell: str) -> BracketCondition:
    condition = PropertyPath.parse(written_cell).condition
    assert condition is not None
    return condition


@pytest.mark.parametrize(("cell", "record", "expected"), [
    ("OrgNr (Dependant on having NO in Country.TwoLetterISOCountry)", CONTACT, True),
    ("OrgNr (Dependant on having SE in Country.TwoLetterISOCountry)", CONTACT, False),
    ("OrgNr (Dependant on having NO in Country.TwoLetterISOCountry)", {"id": 1}, False),
    ("OrgNr (Dependant on having no in Country.TwoLetterISOCountry)", CONTACT, False),
    ("x (Dependant on having SE in tags)", CONTACT, True),  # an element of a list
    ("phone_numbers.number (Dependant on having wd:Q17517 in phone_numbers.name)",
     CONTACT, True),
    ("x (Dependant on having 3 in count)", CONTACT, True),  # a number holds its text
    ("x (Dependant on having true in flags.active)", CONTACT, True),
    ("x (Dependant on having false in flags.active)", CONTACT, False),
])
def test_understood_conditions_are_evaluated(cell: str, record: dict[str, Any],
                                             expected: bool) -> None:
    assert condition_holds(record, _condition(cell)) is expected


@pytest.mark.parametrize("cell", [
    "OrgNr (Dependant on having  in Country.TwoLetterISOCountry)",  # empty value
    "OrgNr (only for Norwegian companies)",
])
def test_other_conditions_are_not_guessed(cell: str) -> None:
    assert condition_holds(CONTACT, _condition(cell)) is None


# --- round trip on generated paths ----------------------------------------------------------

segments = st.text(alphabet="abcdefgXYZ_$", min_size=1, max_size=4)
paths = st.lists(segments, min_size=1, max_size=4).map(".".join)
leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
records = st.recursive(
    st.dictionaries(segments, leaves, max_size=3),
    lambda children: st.dictionaries(
        segments, st.one_of(leaves, children, st.lists(children, max_size=3)), max_size=3),
    max_leaves=10)


@settings(max_examples=200, deadline=None)
@given(records, paths, leaves)
def test_a_written_value_reads_back(record: dict[str, Any], path: str, value: object) -> None:
    before = copy.deepcopy(record)
    try:
        set_path(record, path, value)
    except PathError:
        assert record == before  # refused without a half-made write
        return
    assert get_path(record, path) == value
    assert value in get_all(record, path)
    assert top_level(path) in record


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(paths, leaves), min_size=1, max_size=5))
def test_paths_written_into_a_new_record_read_back(writes: list[tuple[str, object]]) -> None:
    record: dict[str, Any] = {}
    written: dict[str, object] = {}
    for path, value in writes:
        try:
            set_path(record, path, value)
        except PathError:
            assert any(path.startswith(earlier + ".") for earlier in written)
            continue
        written = {p: v for p, v in written.items()
                   if not (p.startswith(path + ".") or path.startswith(p + "."))}
        written[path] = value
    for path, value in written.items():
        assert get_path(record, path) == value
