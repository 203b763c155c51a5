"""Which value the sync kept where several rows write one target field (a document defect
`talk lint` reports), in words for the checklist item of each row involved."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from talk.dataflow.model import Dataflow, PropertyRow, Section
from talk.dataflow.row_lint import RowPlace, competing_rows, returning_rows
from talk.sync.paths import get_path
from talk.sync.values import same_synced
from talk.types.coerce import CoercionError, to_target
from talk.types.values import MISSING, show

__all__ = ["competition_note", "one_way_note"]

_Rows = dict[int, list[RowPlace]]
_Rule = Callable[[Sequence[Dataflow]], _Rows]
_KEPT = 64  # document sets, as many as the harness keeps parsed documents
_FOUND: OrderedDict[tuple[_Rule, tuple[int, ...]], tuple[tuple[Dataflow, ...], _Rows]] = \
    OrderedDict()


def _of_documents(rule: _Rule, dataflows: Sequence[Dataflow]) -> _Rows:
    """The rows `rule` finds in these documents, worked out once per set of documents
    rather than once per checklist item (every item of a document asks; the parsed documents
    are shared and never change). The last few sets are kept, not every one a run saw."""
    key = (rule, tuple(id(dataflow) for dataflow in dataflows))
    found = _FOUND.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], dataflows, strict=True)):
        _FOUND.move_to_end(key)
        return found[1]
    _FOUND[key] = (tuple(dataflows), rule(dataflows))
    while len(_FOUND) > _KEPT:
        _FOUND.popitem(last=False)
    return _FOUND[key][1]


def _carries(place: RowPlace, source: Mapping[str, Any], actual: object) -> bool:
    """Whether `actual` is what this row makes of the source record."""
    value = get_path(source, place.row.source.path)
    if value is MISSING:
        return False
    try:
        expected = to_target(value, place.row.type)
    except CoercionError:
        return False
    return same_synced(expected, actual, place.row.type)


def competition_note(dataflows: Sequence[Dataflow], row: PropertyRow,
                     source: Mapping[str, Any] | None, actual: object) -> str | None:
    """"line 12 (a -> x) and line 14 (b -> x) write x from different sources; the sync kept
    the value of line 14" for a row that competes, else None. `source` is the source record
    the row's section read (None when unknown), `actual` the target's value read back."""
    places = _of_documents(competing_rows, dataflows).get(id(row))
    if places is None:
        return None
    several = len({p.dataflow.path for p in places}) > 1
    named = ", ".join(place.shown(several) for place in places[1:])
    note = (f"{places[0].shown(several)} and {named} write {row.target.path} from different "
            f"sources, so only one value can be kept")
    if source is None or actual is MISSING:  # nothing to compare: the sync's own rule
        first = min(places, key=lambda p: (str(p.dataflow.path), p.row.line))
        return f"{note}; the sync keeps the row listed first, {first.shown(several)}"
    own = places[0].section.source
    same_source = [place for place in places if (place.section.source.system_key,
                   place.section.source.entity) == (own.system_key, own.entity)]
    kept = [place for place in same_source if _carries(place, source, actual)]
    if kept:
        return f"{note}; the sync kept the value of {kept[0].shown(several)}"
    return f"{note}; the sync kept {show(actual)}, the value of none of them here"


def one_way_note(dataflows: Sequence[Dataflow], section: Section, path: str) -> str | None:
    """"line 14 (age -> agetext) is one-way: line 12 (age -> age) carries age back" when
    rows of `section` read the source field `path` into different target fields (the sync
    carries a target edit back through the first one only), else None."""
    for places in _of_documents(returning_rows, dataflows).values():
        if places[0].row.source.path != path or places[0].section is not section:
            continue
        several = len({p.dataflow.path for p in places}) > 1
        others = ", ".join(place.shown(several) for place in places[1:])
        return (f"{others} {'is' if len(places) == 2 else 'are'} one-way: "
                f"{places[0].shown(several)} carries {path} back")
    return None
