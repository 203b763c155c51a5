"""The properties a record of an entity can be given: a hand-written table must use them.

A misspelled property in a hand-written `Given a Keap Companies with:` table would otherwise
seed a field nobody reads, and the scenario would pass without testing what it meant to.
The known names are the entity profile's fields and every path the scenario's documents
list for the entity (either side of a property or merge row, and condition paths).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from talk.harness.context import RecordType, ScenarioContext

__all__ = ["check_properties", "known_properties"]


def known_properties(context: ScenarioContext, kind: RecordType) -> set[str]:
    """Every property path the profile or the documents know for the record's entity."""
    from talk.systems.registry import profile_for, resolve_entity

    known = set(kind.entity.field_types)
    known.add(kind.entity.id_field)
    for dataflow in context.dataflows:
        for section in dataflow.sections:
            for ref, side in ((section.source, "source"), (section.target, "target")):
                if ref.system_key != kind.system or \
                        resolve_entity(profile_for(ref.system), ref.entity).name != \
                        kind.entity.name:
                    continue
                for row in (*section.properties, *section.merge_criteria):
                    path = getattr(row, side)
                    known.add(path.path)
                    if path.condition is not None and path.condition.path:
                        known.add(path.condition.path)
    return known


def _covered(path: str, known: Iterable[str]) -> bool:
    """`address.city` is known when `address` or `address.city.x` is, and the reverse."""
    return any(path == name or path.startswith(f"{name}.") or name.startswith(f"{path}.")
               for name in known)


def check_properties(context: ScenarioContext, kind: RecordType, paths: Iterable[str],
                     step_text: str) -> None:
    """Fail naming each unknown property of a hand-written table and its closest names."""
    item = context.item
    if item is None or item.kind != "scenario":
        return  # generated scenarios take their properties from the document itself
    known = known_properties(context, kind)
    if not known:
        return  # nothing to compare with: an entity no profile or document describes
    problems = []
    for path in paths:
        if _covered(path, known):
            continue
        close = difflib.get_close_matches(path, sorted(known), n=3, cutoff=0.6)
        hint = f" (closest: {', '.join(close)})" if close else \
            f" (known: {', '.join(sorted(known)[:8])}{', ...' if len(known) > 8 else ''})"
        problems.append(f"{path!r}{hint}")
    if problems:
        raise AssertionError(f"{step_text!r}: {kind.phrase} has no property "
                             f"{'; no property '.join(problems)}")
