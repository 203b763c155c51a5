"""Put document text and sample values into Gherkin so that they mean the same after parsing.

Gherkin has three places for text, each with its own rules:

- table cells: `|`, `\\` and newlines are escaped (`\\|`, `\\\\`, `\\n`); the parser trims
  cells, so a value with leading or trailing spaces is written as a JSON string;
- quoted step arguments: written as JSON string literals (`"a \\"b\\""`), decoded by the steps;
- names (Feature, Rule, Scenario): one line; the plugin never reads meaning from them, but
  `<` and `>` would be taken for outline parameters, so names of outlines avoid them.

Values in cells are decoded by `decode_cell`: a cell that parses as JSON is that JSON value
(`42`, `true`, `"42"`, `[1, 2]`), anything else is the text itself. So `Acme AS` is a string,
`"12.5"` is a string holding a number, and `12.5` is a number.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = [
    "cell",
    "decode_cell",
    "decode_quoted",
    "docstring",
    "encode_value",
    "name",
    "quoted",
    "tag",
]

_NEEDS_QUOTES = re.compile(r'^\s|\s$|^$|^["\[{]|^(true|false|null)$')
_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def encode_value(value: Any) -> str:
    """A value as cell text that `decode_cell` turns back into the same value."""
    if isinstance(value, str):
        if _NEEDS_QUOTES.search(value) or _is_json(value) or "\n" in value:
            return json.dumps(value, ensure_ascii=False)
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def decode_cell(text: str) -> Any:
    """The value a table cell stands for (see the module docstring)."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def cell(text: str) -> str:
    """Escape text for a table cell (the parser trims, unescapes `\\|`, `\\\\`, `\\n`)."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "\\n")


def quoted(text: str) -> str:
    """A quoted step argument: a JSON string literal on one line."""
    return json.dumps(text, ensure_ascii=False)


def decode_quoted(text: str) -> str:
    """The text of a quoted step argument written by `quoted` (or plainly by a tester)."""
    try:
        value = json.loads(text)
    except ValueError:
        return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text
    return value if isinstance(value, str) else text


def name(text: str, *, outline: bool = False) -> str:
    """A one-line name; in an outline `<`/`>` become look-alikes so nothing is substituted."""
    one_line = _SPACES.sub(" ", text).strip()
    if outline:
        one_line = one_line.replace("<", "\u2039").replace(">", "\u203a")
    return one_line


def docstring(text: str) -> str:
    """Docstring content: only a delimiter inside the text needs escaping."""
    return text.replace('"""', '\\"\\"\\"')


def tag(text: str) -> str:
    """A tag that is also a valid pytest marker name: `Keap Companies` -> `keap_companies`."""
    word = _NOT_WORD.sub("_", text.lower()).strip("_") or "untitled"
    return f"_{word}" if word[0].isdigit() else word
