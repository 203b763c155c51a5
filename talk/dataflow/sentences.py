"""The sentences a section may hold (FORMAT.md, "Section shapes"), recognised by pattern.

Spaces in the patterns match any run of whitespace: generated documents write `it  will`
and `a  Sesamproducts` (a lost system name) as well as single spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Kind", "Match", "classify", "classify_paragraph", "split_connected"]


class Kind(StrEnum):
    EVERY = "every"  # shape 1 (and the first sentence of shape 5)
    LINK_FIRST = "link_first"  # shape 2
    MERGE_TABLE = "merge_table"  # announces the merge table
    CONNECTED = "connected"  # shape 4
    MATCH_EXISTING = "match_existing"  # shape 5
    CREATE_NEW = "create_new"  # shape 5
    KEEP_IN_SYNC = "keep_in_sync"
    PROPERTY_TABLE = "property_table"  # announces the property table
    CONDITIONAL = "conditional"  # shape 3: tried last, it accepts any condition text


_TEMPLATES: tuple[tuple[Kind, str], ...] = (
    (Kind.EVERY, "Every {s} will be synchronized with {a} {t}."),
    (Kind.LINK_FIRST, "Before any synchronization can take place, a link between {a} {s} and "
                      "{a} {t} must be established."),
    (Kind.MERGE_TABLE, "{A} {s} will merge with {a} {t} if one of the following property "
                       "combinations match:"),
    (Kind.CONNECTED, "A new {t} will be created from {a} {s} if it is connected to {a} {items} "
                     "that is synchronized into{into}."),
    (Kind.MATCH_EXISTING, "If a matching {t} already exists, the {s} will be merged with the "
                          "existing one."),
    (Kind.CREATE_NEW, "If no matching {t} is found, a new {t2} will be created."),
    (Kind.KEEP_IN_SYNC, "Once a link between {a} {s} and {a} {t} is established, it will keep in "
                        "sync between the two systems, regardless of where it is edited."),
    (Kind.PROPERTY_TABLE, "The following properties are synchronized between {a} {s} and {a} {t}:"),
    (Kind.CONDITIONAL, "{condition}, it will be synchronized with {a} {t}."),
)

_FIELDS = {
    "{a}": r"an?",
    "{A}": r"An?",
    "{s}": r"(?P<s>\S.*?)",
    "{t}": r"(?P<t>\S.*?)",
    "{t2}": r"(?P<t2>\S.*?)",
    "{items}": r"(?P<items>\S.*?)",
    "{into}": r"(?P<into>.*?)",
    "{condition}": r"(?P<condition>\S.*?)",
}
_FIELD = re.compile(r"(\{\w+\})")


def _compile(template: str) -> re.Pattern[str]:
    parts = []
    for piece in _FIELD.split(template):
        if piece in _FIELDS:
            parts.append(_FIELDS[piece])
        else:
            parts.append(r"\s+".join(re.escape(word) for word in piece.split(" ")))
    return re.compile("".join(parts), re.DOTALL)


_PATTERNS = tuple((kind, _compile(template)) for kind, template in _TEMPLATES)


@dataclass(frozen=True)
class Match:
    kind: Kind
    fields: dict[str, str]  # s, t, t2, items, into, condition: as written

    def entity_names(self) -> list[tuple[str, str]]:
        """(`source` | `target`, name) for every entity the sentence names."""
        names = [("source", self.fields["s"])] if "s" in self.fields else []
        names += [("target", self.fields[key]) for key in ("t", "t2") if key in self.fields]
        return names


# FORMAT.md's sentences are a few hundred characters; longer text is none of them (and the
# bound keeps the patterns' backtracking small).
MAX_SENTENCE_LENGTH = 2000


def classify(text: str) -> Match | None:
    """What the sentence says, or None for a sentence not in FORMAT.md."""
    stripped = text.strip()
    if len(stripped) > MAX_SENTENCE_LENGTH:
        return None
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(stripped)
        if match:
            fields = {k: v.strip() for k, v in match.groupdict().items() if v is not None}
            return Match(kind, fields)
    return None


_LINE_END = re.compile(r"(?<=[.:])[ \t\r]*\n")


def classify_paragraph(text: str) -> list[Match] | None:
    """The sentences of a paragraph: one sentence (wrapped over lines or not), or several
    that each end a line (real documents write shape 5's two sentences on consecutive lines
    without a blank line between them); None when any part is not a sentence."""
    whole = classify(text)
    if whole is not None:
        return [whole]
    parts = [part for part in _LINE_END.split(text.strip()) if part.strip()]
    if len(parts) < 2:
        return None
    matches = [classify(part) for part in parts]
    return [m for m in matches if m is not None] if all(matches) else None


_ITEM_SEPARATOR = re.compile(r"\s*,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+")


def split_connected(items: str) -> list[str]:
    """`SuperOffice Sale, or Quote` -> [`SuperOffice Sale`, `Quote`]."""
    return [item for item in (part.strip() for part in _ITEM_SEPARATOR.split(items)) if item]
