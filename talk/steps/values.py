"""Checks on values: the type sent at the HTTP boundary, the value read back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from talk.dataflow.model import Dataflow, DataType, PropertyRow, Section
from talk.dataflow.row_lint import type_problem
from talk.gherkin.samples import unfit_rows
from talk.harness.checklist import row_text
from talk.harness.competing import competition_note, one_way_note
from talk.harness.outcomes import ManualCheck, Unsupported
from talk.profiles.lint import edit_blocked_reason, read_only_reason
from talk.profiles.shapes import unwrap
from talk.steps._binding import bind, table_values
from talk.sync.paths import get_path
from talk.sync.values import same_synced
from talk.types.check import check_type, describe
from talk.types.coerce import CoercionError, to_target
from talk.types.values import MISSING, show

if TYPE_CHECKING:  # the sync machinery loads with the first scenario, not at import
    from talk.harness.context import RecordType, ScenarioContext, Sent
    from talk.systems.profile import EntityProfile

_FRIENDLY_TYPES = {
    "a string": '"string"', "an integer": '"integer"', "a float": '"float"',
    "a number": '"float"', "a decimal": '"decimal"', "a boolean": '"boolean"',
    "a list": '"list"',
}


def _where(talk_context: ScenarioContext, row: PropertyRow, document: str) -> str:
    return f"{document} line {row.line} ({row_text(row)})"


UNTRANSLATED = ("the scenario has no linked record for the reference to name, so a tester "
                "checks this row with one")


def _refuse_unfit(where: str, section: Section, row: PropertyRow) -> None:
    """A row no sample of its source field can serve fails with the document's defect."""
    reason = unfit_rows(section).get(row.line)
    if reason is not None:
        raise AssertionError(f"{where}: {reason}")


def _sent_value(talk_context: ScenarioContext, system: str, path: str,
                entity: EntityProfile) -> tuple[Sent, Any] | None:
    """The last value of `path` the sync sent to this entity (inside the API's write
    envelope, such as Shopify's `{"customer": ...}` or Asana's `{"data": ...}`)."""
    # A create goes to the collection, an update to a record path (`customers/7.json`).
    record_stem = (entity.record_path or entity.resource).split("{")[0]
    for sent in reversed(talk_context.sent):
        body = unwrap(entity.create_key, sent.body) if isinstance(sent.body, dict) else None
        if sent.system != system or not isinstance(body, dict):
            continue
        if not (sent.writes_to(entity.resource) or sent.writes_to(record_stem)):
            continue
        value = get_path(body, path)
        if value is not MISSING:
            return sent, value
    return None


@bind("received")
def system_received(talk_context: ScenarioContext, system: str, path: str,
                    dtype: str) -> None:
    key = talk_context.system_of(system)
    dataflow, section, row = talk_context.find_row(key, path)
    where = _where(talk_context, row, talk_context.shown(dataflow))
    _refuse_unfit(where, section, row)
    documented = DataType.parse(_FRIENDLY_TYPES.get(dtype.strip(), dtype))
    target = talk_context.target_type(section)
    read_only = read_only_reason(target.entity, path)
    if read_only is not None:
        raise Unsupported(f"{where}: {read_only}")
    found = _sent_value(talk_context, key, path, target.entity)
    if found is None:
        talk_context.explain_missing_link(target)
        untranslated = talk_context.untranslated(row)
        if untranslated is not None:
            raise ManualCheck(f"{where}: {untranslated}: {UNTRANSLATED}")
        note = competition_note(talk_context.dataflows, row, None, MISSING)
        raise AssertionError(f"{where}: the sync sent no {path} to {system}"
                             + (f": {note}" if note else ""))
    sent, value = found
    unknown = type_problem(row.type.written)
    if unknown is not None:  # as `talk lint` says on the row's line
        talk_context.evidence["note"] = f"{where}: type not checked: {unknown}"
    talk_context.evidence["checks"].append({
        "sent": f"{sent.method} {sent.path}", "path": path, "value": value,
        "documented_type": documented.written.strip(), "expected": describe(documented)})
    problem = check_type(value, documented)
    if problem is not None:
        raise AssertionError(f"{where}: {system} received {path} = {show(value)}: {problem}")


@bind("not_received")
def system_did_not_receive(talk_context: ScenarioContext, system: str, path: str) -> None:
    key = talk_context.system_of(system)
    dataflow, section, row = talk_context.find_row(key, path)
    where = _where(talk_context, row, talk_context.shown(dataflow))
    target = talk_context.target_type(section)
    condition = row.target.condition
    if condition is not None and row.source.condition is None and section.shape.creates \
            and not talk_context.seeded_of(target):
        raise ManualCheck(f"{where}: the sync creates the {target.phrase} meeting the condition "
                          f"on {condition.path}, so no record here fails it: a tester checks "
                          f"the row on a {target.phrase} whose {condition.path} does not hold "
                          f"{condition.value}")
    ref = talk_context.record_ref(target)  # the record must be linked to say anything
    found = _sent_value(talk_context, key, path, target.entity)
    if found is not None:
        raise AssertionError(f"{where}: the condition is not met, yet {system} received "
                             f"{path} = {show(found[1])}")
    held = get_path(talk_context.read(ref), path)
    talk_context.note_read(target, ref, path, held)
    if held not in (MISSING, None, ""):
        raise AssertionError(f"{where}: the condition is not met, yet the {target.phrase} "
                             f"holds {path} = {show(held)}")


def _section_row(talk_context: ScenarioContext, kind: RecordType,
                 path: str) -> tuple[Dataflow, Section, PropertyRow] | None:
    """The section and row that carry `path` into or out of this record kind."""
    for other, _ in talk_context.seeded:
        between = talk_context.section_between(kind, other)
        if between is None:
            continue
        dataflow, section = between
        for row in section.properties:
            if path in (row.source.path, row.target.path):
                return dataflow, section, row
    return None


def _row_between(talk_context: ScenarioContext, kind: RecordType,
                 path: str) -> tuple[str, PropertyRow] | None:
    """The row that carries `path` into or out of this record kind, for its type."""
    found = _section_row(talk_context, kind, path)
    return (talk_context.shown(found[0]), found[2]) if found else None


def _read_only_row(talk_context: ScenarioContext, kind: RecordType, path: str) -> str | None:
    """Why `path` of this record kind cannot carry an edit: a row joins it to another
    seeded record, and a description marks the field this record kind is written in
    read-only or create-only, or the section's target field read-only."""
    found = _section_row(talk_context, kind, path)
    if found is None:
        return None
    _, section, row = found
    target = talk_context.target_type(section)
    return edit_blocked_reason(kind.entity, path) or \
        read_only_reason(target.entity, row.target.path)


def _cannot_update(talk_context: ScenarioContext, kind: RecordType) -> str | None:
    """Why an edit cannot reach this record kind, if its API cannot update it."""
    for dataflow, section in talk_context.sections_with(kind):
        unsupported = talk_context.details(section, dataflow, "unsupported")
        if unsupported:
            return str(unsupported[0].message)
    if not kind.entity.can_update:
        return (f"{kind.phrase}: the {kind.system} API has no update for "
                f"{kind.entity.name}, so an edit elsewhere cannot reach it")
    return None


def _refusals(talk_context: ScenarioContext, kind: RecordType) -> list[str]:
    """What the sync reported failed in the sections naming this record kind (an API that
    refused the write, in its own words), so a differing value says why."""
    found = []
    for dataflow, section in talk_context.sections_with(kind):
        for detail in talk_context.details(section, dataflow, "failure"):
            found.append(f"the sync reported for {talk_context.shown(dataflow)} line "
                         f"{section.line}: {detail.message}")
    return list(dict.fromkeys(found))


@bind("has_table")
def record_has(talk_context: ScenarioContext, record: str,
               datatable: list[list[str]] | None = None) -> None:
    expected = table_values(datatable, f"the {record} has:")
    kind = talk_context.record_type(record)
    ref = talk_context.record_ref(kind)
    held = talk_context.read(ref)
    wrong = []
    read_only: list[str] = []  # why a differing value could never have arrived
    notes = []
    for path, value in expected.items():
        actual = get_path(held, path)
        talk_context.note_read(kind, ref, path, actual)
        between = _section_row(talk_context, kind, path)
        one_way = one_way_note(talk_context.dataflows, between[1], path) if between else None
        if one_way is not None:
            notes.append(f"{talk_context.shown(between[0]) if between else ''} {one_way}")
        found = _row_between(talk_context, kind, path)
        dtype = found[1].type if found and found[1].target.path == path else None
        if actual is MISSING or not same_synced(value, actual, dtype):
            if found and talk_context.untranslated(found[1]) is not None:
                continue  # the row's own item says why the sync left it out
            where = f"{found[0]} line {found[1].line}: " if found else ""
            note = competition_note(talk_context.dataflows, found[1], None, actual) \
                if found else None
            wrong.append(f"{where}{path}: expected {show(value)}, read back "
                         f"{'nothing' if actual is MISSING else show(actual)}"
                         + (f" ({note})" if note else ""))
            reason = _read_only_row(talk_context, kind, path)
            if reason is not None:
                read_only.append(f"{where}{reason}")
    if notes:  # shown as the message of a passed item
        talk_context.evidence["note"] = "; ".join(notes)
    if wrong and len(read_only) == len(wrong):
        raise Unsupported("; ".join(read_only))
    if wrong:
        reason = _cannot_update(talk_context, kind)
        if reason is not None:
            raise Unsupported(reason)
        raise AssertionError(f"{kind.phrase} {ref.id} read back differs:\n  "
                             + "\n  ".join([*wrong, *_refusals(talk_context, kind)]))


@bind("has_equal")
def record_has_equal(talk_context: ScenarioContext, record: str, path: str, other: str,
                     source_path: str) -> None:
    target = talk_context.record_type(record)
    source = talk_context.record_type(other)
    dataflow, section, row = talk_context.find_row(target.system, path, source_path)
    where = _where(talk_context, row, talk_context.shown(dataflow))
    _refuse_unfit(where, section, row)
    source_ref = talk_context.record_ref(source)
    target_ref = talk_context.record_ref(target)
    source_record = talk_context.read(source_ref)
    source_value = get_path(source_record, source_path)
    actual = get_path(talk_context.read(target_ref), path)
    talk_context.note_read(target, target_ref, path, actual)
    try:
        expected = to_target(None if source_value is MISSING else source_value, row.type)
    except CoercionError as error:
        raise AssertionError(f"{where}: the source value cannot have the documented type: "
                             f"{error}") from None
    if actual is MISSING or not same_synced(expected, actual, row.type):
        held = 'nothing' if actual is MISSING else show(actual)
        note = competition_note(talk_context.dataflows, row, source_record, actual)
        if note is not None:
            raise AssertionError(f"{where}: {target.phrase} {target_ref.id} holds {path} = "
                                 f"{held}: {note}")
        raise AssertionError(f"{where}: {target.phrase} {target_ref.id} holds {path} = "
                             f"{held}, expected {show(expected)} (from {source_path} = "
                             f"{show(source_value)})")
