"""The small part of OData v2 `$filter` that Exact Online clients send
(docs/design.md#credentials-and-odata).

`Field op literal [and Field op literal ...]` with op in eq, ne, gt, ge, lt, le and
guid'...', datetime'...', '...' (with '' for a quote), numbers, true, false and null.
Anything else is refused with an `ODataError`, which the emulator answers with a 400,
as the real API does for a filter it cannot parse.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from talk.systems.exact import parse_odata_date

__all__ = ["Comparison", "ODataError", "Value", "matches", "parse_filter"]

Value = uuid.UUID | datetime | str | Decimal | bool | None

_OPERATORS = {"eq", "ne", "gt", "ge", "lt", "le"}
_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<guid>guid'(?P<guid_text>[^']*)')"
    r"|(?P<datetime>datetime'(?P<datetime_text>[^']*)')"
    r"|(?P<string>'(?P<string_text>(?:[^']|'')*)')"
    r"|(?P<number>-?\d+(?:\.\d+)?)[mMdDlL]?"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_/]*)"
    r")"
)


class ODataError(ValueError):
    """A `$filter` this emulator (and so, for these clients, the API) does not accept."""


@dataclass(frozen=True)
class Comparison:
    field: str
    op: str
    value: Value

    def holds(self, actual: Any) -> bool:
        """Whether a record's field value satisfies this comparison."""
        left = _coerce(actual, self.value)
        if self.value is None or left is None:
            same = left is None and self.value is None
            return same if self.op == "eq" else (not same if self.op == "ne" else False)
        try:
            return bool(_COMPARE[self.op](left, self.value))
        except TypeError:  # e.g. a string field compared with a number
            return False


_COMPARE = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}


def _coerce(actual: Any, like: Value) -> Any:
    """A record's value in the literal's type (None when it cannot be)."""
    if actual is None:
        return None
    if isinstance(like, uuid.UUID):
        try:
            return uuid.UUID(str(actual))
        except ValueError:
            return None
    if isinstance(like, datetime):
        return parse_odata_date(actual) or _iso(actual)
    if isinstance(like, bool):
        return actual if isinstance(actual, bool) else None
    if isinstance(like, Decimal):
        if isinstance(actual, bool):
            return None
        try:
            return Decimal(str(actual))
        except InvalidOperation:
            return None
    return actual if isinstance(actual, str) else None


def _iso(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _literal(match: re.Match[str]) -> Value:
    if match.group("guid"):
        try:
            return uuid.UUID(match.group("guid_text"))
        except ValueError:
            raise ODataError(f"not a GUID: {match.group('guid')}") from None
    if match.group("datetime"):
        text = match.group("datetime_text")
        moment = _iso(text)
        if moment is None or "T" not in text:
            raise ODataError(f"not a datetime: {match.group('datetime')}")
        return moment
    if match.group("string"):
        return match.group("string_text").replace("''", "'")
    if match.group("number"):
        return Decimal(match.group("number"))
    word = match.group("word")
    keywords: dict[str, Value] = {"true": True, "false": False, "null": None}
    if word in keywords:
        return keywords[word]
    raise ODataError(f"expected a literal, found {word!r}")


def _tokens(text: str) -> list[re.Match[str]]:
    tokens: list[re.Match[str]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ODataError(f"cannot read $filter at position {position}: {text[position:]!r}")
        tokens.append(match)
        position = match.end()
    return tokens


def parse_filter(text: str) -> list[Comparison]:
    """`Modified ge datetime'2024-01-01T00:00:00' and Name eq 'A'` -> two comparisons."""
    tokens = _tokens(text)
    if not tokens:
        raise ODataError("empty $filter")
    comparisons: list[Comparison] = []
    index = 0
    while True:
        if index + 3 > len(tokens):
            raise ODataError(f"incomplete comparison in $filter: {text!r}")
        field, op, literal = tokens[index:index + 3]
        name = field.group("word")
        if not name or name.lower() in {"and", "or", "not", *_OPERATORS}:
            raise ODataError(f"expected a property name in $filter: {text!r}")
        operator = (op.group("word") or "").lower()
        if operator not in _OPERATORS:
            raise ODataError(f"unsupported operator {op.group(0).strip()!r} in $filter")
        comparisons.append(Comparison(name, operator, _literal(literal)))
        index += 3
        if index == len(tokens):
            return comparisons
        joiner = (tokens[index].group("word") or "").lower()
        if joiner != "and":
            raise ODataError(f"only 'and' joins comparisons; found {tokens[index].group(0)!r}")
        index += 1


def matches(record: dict[str, Any], comparisons: list[Comparison]) -> bool:
    """Whether a record satisfies every comparison (a missing field compares as null)."""
    return all(c.holds(record.get(c.field)) for c in comparisons)
