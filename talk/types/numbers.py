"""Exact numbers: parse numeric text and write numbers as their shortest exact text.

A float is taken at its shortest round-trip text (`repr`), never at its binary expansion,
so 0.1 stays 0.1 on every trip through a string: 12.5 -> "12.5" -> 12.5.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "as_decimal",
    "decimal_to_int",
    "decimal_to_json",
    "decimal_to_number",
    "float_is_exact",
    "is_integral",
    "number_text",
    "parse_json_number",
    "parse_number",
]

# What a tester or an API writes as a number: sign, digits with an optional point, exponent.
_NUMERAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# A JSON number literal exactly (no leading zeros, no `+`, no bare point).
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
# Plain notation inside this range of decimal exponents, scientific outside (as JavaScript).
_PLAIN_EXPONENTS = range(-7, 21)
# Whole numbers up to 2**53 are exact in a double.
_DOUBLE_WHOLE_LIMIT = 2**53
# Integral values up to this many digits become Python ints (bigger ones stay floats).
_MAX_INT_DIGITS = 400


def as_decimal(value: int | float | Decimal) -> Decimal:
    """The exact decimal a number stands for; a float by its shortest text. Finite only."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, float):
        result = Decimal(repr(value))
    else:
        result = Decimal(int(value))
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return result


def parse_number(text: str) -> Decimal | None:
    """A numeral such as " 7", "+7.0", "007", ".5", "1e3", or None for anything else."""
    stripped = text.strip()
    if not _NUMERAL.fullmatch(stripped):
        return None
    try:
        return Decimal(stripped)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numerals
        return None


def parse_json_number(text: str) -> Decimal | None:
    """A string that is exactly a JSON number literal ("7", "12.50", "-1e3"), else None.

    Stricter than `parse_number`: "007" or " 7" are text (a zip code, a phone), not numbers.
    """
    if not _JSON_NUMBER.fullmatch(text):
        return None
    return Decimal(text)


def is_integral(number: Decimal) -> bool:
    return number == number.to_integral_value()


def float_is_exact(number: Decimal) -> bool:
    """Whether a double holds exactly this decimal (by shortest text): 0.1 yes, 0.1000...01 no."""
    as_float = float(number)
    return math.isfinite(as_float) and Decimal(repr(as_float)) == number


def decimal_to_int(number: Decimal) -> int | None:
    """The int a whole decimal stands for; None when it has a fraction or is absurdly large."""
    if is_integral(number) and number.adjusted() < _MAX_INT_DIGITS:
        return int(number)
    return None


def decimal_to_number(number: Decimal) -> int | float:
    """The value of a number (double) field: an int when whole and exact in a double, else
    the nearest float (so 3.602879701896397e16 and "36028797018963970" are one double)."""
    if is_integral(number) and abs(number) <= _DOUBLE_WHOLE_LIMIT:
        return int(number)
    return float(number)


def decimal_to_json(number: Decimal) -> int | float | str:
    """A JSON value holding the decimal without loss: an int when whole and within a double's
    exact range, a float when a double holds it exactly (0.1, 3.602879701896397e16), a big
    int, else its exact text ("0.1000000000000000000001")."""
    if is_integral(number) and abs(number) <= _DOUBLE_WHOLE_LIMIT:
        return int(number)
    if float_is_exact(number):
        return float(number)
    whole = decimal_to_int(number)
    return number_text(number) if whole is None else whole


def number_text(value: int | float | Decimal) -> str:
    """The shortest exact text of a number: 7 -> "7", 7.0 -> "7", 12.5 -> "12.5", 1e21 -> "1e+21".

    Plain notation between 1e-7 and 1e21, scientific outside, as JavaScript writes numbers.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    sign, digits, exponent = as_decimal(value).as_tuple()
    assert isinstance(exponent, int)  # finite: checked by as_decimal
    text = "".join(map(str, digits)).lstrip("0")
    if not text:
        return "0"
    stripped = text.rstrip("0")
    exponent += len(text) - len(stripped)
    text = stripped
    # `adjusted` is the exponent of the first digit: 12.5 -> 1, 0.05 -> -2
    adjusted = exponent + len(text) - 1
    minus = "-" if sign else ""
    if adjusted not in _PLAIN_EXPONENTS:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{minus}{mantissa}e{'+' if adjusted >= 0 else '-'}{abs(adjusted)}"
    if exponent >= 0:
        return minus + text + "0" * exponent
    point = len(text) + exponent
    if point > 0:
        return f"{minus}{text[:point]}.{text[point:]}"
    return f"{minus}0.{'0' * -point}{text}"
