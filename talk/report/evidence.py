"""An item's evidence kept as its JSON text until a page shows it.

At corpus scale the evidence is most of a report's data, and parsed it takes several times
the memory of its text; results.json copies the text as it is and the HTML shows evidence
only for failed or changed items, so the rest is never parsed.
"""

from __future__ import annotations

import json
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any

__all__ = ["RawEvidence", "evidence_json"]


class RawEvidence(Mapping[str, Any]):
    """A JSON object as the text `json.dumps(value, ensure_ascii=False)` makes of it,
    parsed anew on each read (and then dropped), so that pages built one after another do
    not keep every item's evidence alive."""

    __slots__ = ("text",)

    def __init__(self, text: bytes) -> None:
        self.text = text

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> RawEvidence:
        return cls(json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def parsed(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.text)
        return value

    def __getitem__(self, key: str) -> Any:
        return self.parsed()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.parsed())

    def __len__(self) -> int:
        return len(self.parsed())

    def __bool__(self) -> bool:
        return self.text != b"{}"

    def keys(self) -> KeysView[str]:
        return self.parsed().keys()

    def items(self) -> ItemsView[str, Any]:
        return self.parsed().items()

    def values(self) -> ValuesView[Any]:
        return self.parsed().values()

    def __repr__(self) -> str:
        return f"RawEvidence({self.text[:60]!r}...)"


def evidence_json(value: Any) -> str:
    """The evidence as results.json writes it: the kept text as it is, else encoded."""
    if isinstance(value, RawEvidence):
        return value.text.decode("utf-8")
    return json.dumps(value, ensure_ascii=False)
