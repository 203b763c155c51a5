"""One competing-rows rule serves lint, the sync and the harness: rows writing one target
field from different sources compete unless their conditions can never hold together."""

from __future__ import annotations

from pathlib import Path

import pytest
from checklist_project import items, run_checklist
from small_documents import document, section, write_document

from talk.dataflow.parser import parse_file
from talk.dataflow.row_lint import competing_rows as lint_rule
from talk.sync.flows import bind_flows
from talk.sync.flows import competing_rows as sync_rule

pytest_plugins = ["pytester"]


def _two_writers(first: str, second: str) -> str:
    """Two sections writing Beta Persons ssn.number, each under its own target condition."""
    return document("Alpha", "Beta", *(section(
        f"Alpha {source}", "Beta Persons",
        [("email", f"ssn.number (Dependant on having {country} in ssn.country)", '"string"'),
         ("name", f"{source.lower()}Name", '"string"')])
        for source, country in (("Contact", first), ("User", second))))


EXCLUSIVE = _two_writers("no", "se")
MEETING = _two_writers("no", "no")


@pytest.mark.parametrize(("text", "competing"), [(EXCLUSIVE, 0), (MEETING, 2)])
def test_lint_and_the_sync_find_the_same_competing_rows(tmp_path: Path, text: str,
                                                        competing: int) -> None:
    dataflow = parse_file(write_document(tmp_path, "alpha-beta.rst", text))
    linted = {places[0].row.line for places in lint_rule([dataflow]).values()}
    synced = {line for _, line in sync_rule(bind_flows([dataflow]))}
    assert linted == synced
    assert len(synced) == competing


def test_rows_whose_conditions_never_meet_are_both_synced(pytester: pytest.Pytester) -> None:
    found = items(run_checklist(pytester, {"alpha-beta.rst": EXCLUSIVE}))
    rows = [i for i in found if i["kind"] == "property" and "ssn.number" in i["text"]]
    assert len(rows) == 2
    assert {i["status"] for i in rows} == {"passed"}, rows
    assert "failed" not in {i["status"] for i in found}, [
        (i["kind"], i["message"]) for i in found if i["status"] == "failed"]
