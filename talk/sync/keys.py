"""Which property paths hold a record's own key, and which hold a reference to another record.

A key or a reference holds an id of the system it lives in: copied to another system as it
is, it would name nothing there (or the wrong record), so the engine translates it through
the links. `id`, `Id`, `ID` and the profile's id field are an entity's own key; an entity
without a dedicated profile spells its key as the documents do (`PersonId` of a Person,
`customer_id` of Customers). A reference is a path ending in such a name that is not the
entity's own key (`PersonId` of a Contact, `order.id`, `partyId`, `hubspot_owner_id`);
`sesam_...` and `$...` fields are ordinary fields.
"""

from __future__ import annotations

import re

from talk.systems.profile import EntityProfile

__all__ = ["is_key", "is_reference", "names_entity", "referenced_entity"]

_ID_SUFFIX = re.compile(r"^(?P<stem>.*?)(?:_id|Id|ID)$")
_PLAIN_ID = frozenset({"id", "Id", "ID"})


def _ordinary(path: str) -> bool:
    return path.startswith(("sesam_", "$"))


def _forms(name: str) -> set[str]:
    """Spellings of an entity name a key may start with: `Companies` -> companies, company."""
    word = name.split(" (")[0].replace(" ", "").replace("-", "").lower()
    forms = {word}
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    if word.endswith("s"):
        forms.add(word[:-1])
    return forms


def is_key(entity: EntityProfile, path: str) -> bool:
    """Whether `path` is the entity's own key (never written: it names the record)."""
    if entity.is_id_field(path):
        return True
    if not entity.generic or "." in path or _ordinary(path):
        return False
    found = _ID_SUFFIX.match(path)
    return found is not None and found.group("stem").lower() in _forms(entity.name)


def is_reference(entity: EntityProfile, path: str) -> bool:
    """Whether `path` of `entity` holds the id of another record (of that entity's system)."""
    if _ordinary(path) or is_key(entity, path):
        return False
    last = path.rsplit(".", 1)[-1]
    if last in _PLAIN_ID:
        return "." in path  # `order.id`: the id of the object it sits in
    found = _ID_SUFFIX.match(last)
    return found is not None and bool(found.group("stem"))


def referenced_entity(path: str) -> str:
    """The entity a reference path names, lower case without separators, as far as its name
    says (`PersonId` -> person, `order.id` -> order, `customer_id` -> customer; "" if none)."""
    segments = path.split(".")
    last = segments[-1]
    if last in _PLAIN_ID:
        return segments[-2].replace("_", "").lower() if len(segments) > 1 else ""
    found = _ID_SUFFIX.match(last)
    return found.group("stem").replace("_", "").lower() if found else ""


def names_entity(entity: str, stem: str) -> bool:
    """Whether a reference's stem (`referenced_entity`) names this entity."""
    return bool(stem) and any(form.startswith(stem) or stem.startswith(form)
                              for form in _forms(entity))
