"""What a profile's emulation assumes per entity where its description is silent.

The system-wide assumptions (change reads, rate limits, error bodies) are listed by the
importer and the system modules; these are the entity-level ones, named so that a report
says which of its entities' behaviour comes from the description and which is talk's
guess: a list answer whose shape the description does not show (served as a bare array),
an entity without a list (read by id only, so the sync cannot read it), a list without
paging (one page), a list envelope named after another entity, and document names that
reach an entity only through talk's alias table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from talk.systems.profile import EntityProfile

__all__ = ["silent_parts"]


def _names(entities: Iterable[EntityProfile]) -> str:
    return ", ".join(sorted(e.name for e in entities))


def silent_parts(entities: Mapping[str, EntityProfile],
                 aliases: Mapping[str, str]) -> tuple[str, ...]:
    """One line per kind of assumption, naming the entities it concerns."""
    listed = [e for e in entities.values() if e.can_read]
    parts = []
    bare = [e for e in listed if not e.list_described]
    if bare:
        parts.append(f"list answers of {_names(bare)}: a bare JSON array (the description "
                     f"does not show them)")
    unlisted = [e for e in entities.values() if not e.can_read]
    if unlisted:
        parts.append(f"no list of {_names(unlisted)} in the description: the sync cannot "
                     f"read them (records only by id)")
    single = [e for e in listed if not e.paging]
    if single:
        parts.append(f"lists of {_names(single)} in one page (the description shows no "
                     f"paging)")
    foreign = [e for e in listed if e.list_key and e.record_key
               and "." not in e.list_key + e.record_key
               and e.list_key.rstrip("s") != e.record_key.rstrip("s")]
    for entity in foreign:
        parts.append(f"{entity.name} listed in {entity.list_key!r} as the description "
                     f"declares it, though its records are {entity.record_key!r}")
    for alias, name in sorted(aliases.items()):
        if name in entities:
            parts.append(f"documents' {alias!r} taken to be {name} (talk's alias table)")
    return tuple(parts)
