"""Split `<label> <entity> (<qualifier>)` into a system of the title and an entity name.

The label is not always the title's system name: `Custom Contact` in the CustomERP
document, `Webcrm` for `WebCRM`, `Custom ERP` for `CustomERP`, several words (`Exact
Online`) or nothing at all when the document lost the system name. A split is chosen by
the system names of the title and by the table header's `<label> Data Type`, never by
position alone; position is only the last resort, and then the caller is told.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from talk.dataflow.model import EntityRef
from talk.systems.keys import system_key

__all__ = ["Resolution", "collapse", "resolve_entity_ref", "split_qualifier"]

MAX_LABEL_WORDS = 8  # system names have a few words; longer labels are not tried

EXACT, ABBREVIATION = 3, 2  # how well a label names a system
PREFERRED_BONUS, HINT_BONUS = 1, 5


def collapse(text: str) -> str:
    """Whitespace runs as one space: how names are compared between heading, text and table."""
    return " ".join(text.split())


def split_qualifier(text: str) -> tuple[str, str | None]:
    """`Customers (human data)` -> (`Customers`, `human data`)."""
    stripped = text.rstrip()
    opening = stripped.rfind("(")
    inside = stripped[opening + 1:-1]
    if not stripped.endswith(")") or opening < 0 or "(" in inside or ")" in inside:
        return stripped, None
    return stripped[:opening].rstrip(), inside.strip()


@dataclass(frozen=True)
class Resolution:
    ref: EntityRef
    problem: str | None = None  # why the split is a guess, for a warning


def _label_score(label: str, system: str) -> int:
    label_key, key = system_key(label), system_key(system)
    if not label.strip() and not system.strip():
        return EXACT  # the system name is missing in both places
    if label_key and label_key == key:
        return EXACT
    if label_key and key and key.startswith(label_key):
        return ABBREVIATION
    return 0


def _splits(base: str) -> list[tuple[str, str]]:
    """Every (label, entity) split at a space, the entity non-empty."""
    words = base.split(" ")
    splits = []
    for count in range(min(len(words), MAX_LABEL_WORDS + 1)):
        label = " ".join(words[:count]).strip()
        entity = " ".join(words[count:]).strip()
        if entity:
            splits.append((label, entity))
    return splits


def _hint_matches(label: str, hint: str | None) -> bool:
    if hint is None:
        return False
    return collapse(label) == collapse(hint)


def resolve_entity_ref(text: str, systems: Sequence[str], preferred: str,
                       hint: str | None = None) -> Resolution:
    """The entity named by `text`, whose system is one of the title's `systems`.

    `preferred` is the system expected on this side of the section; `hint` a label the
    document states elsewhere (the `<label> Data Type` header of the target column).
    """
    base, qualifier = split_qualifier(text)
    candidates = list(dict.fromkeys([preferred, *systems]))
    best: tuple[int, int, str, str, str] | None = None
    for label, entity in _splits(base):
        hinted = _hint_matches(label, hint)
        for system in candidates:
            named = _label_score(label, system)
            if not named and not (hinted and label and system == preferred):
                continue
            score = named + (PREFERRED_BONUS if system == preferred else 0)
            score += HINT_BONUS if hinted else 0
            option = (score, len(label), label, entity, system)
            if best is None or option[:2] > best[:2]:
                best = option
    if best is None:
        return _by_position(base, qualifier, preferred)
    _, _, label, entity, system = best
    if _label_score(label, system):
        return Resolution(EntityRef(label, system, entity, qualifier))
    # Only the table header vouches for this label: it names no system of the title.
    return Resolution(EntityRef(label, system if system.strip() else label, entity, qualifier),
                      f"'{label}' does not name a system of the title")


def _by_position(base: str, qualifier: str | None, preferred: str) -> Resolution:
    """The last resort: the first word is the label (or none when the title lacks the name)."""
    splits = [(label, entity) for label, entity in _splits(base) if label]
    if not preferred.strip() or not splits:
        return Resolution(EntityRef("", preferred, collapse(base), qualifier),
                          f"'{collapse(base)}' names no system")
    label, entity = splits[0]
    return Resolution(EntityRef(label, preferred, entity, qualifier),
                      f"'{label}' does not name a system of the title")
