"""State survives document edits: what was last synced is keyed by what a mapping is, not by
the lines it sits on, and a real mapping change overwrites nothing."""

from __future__ import annotations

import json
from pathlib import Path

from talk.dataflow import parse_text
from talk.dataflow.model import Dataflow
from talk.sync.emulated import EmulatedSystems
from talk.sync.engine import _row_key
from talk.sync.flows import bind_flows
from talk.sync.store import SqliteLinkStore

from .helpers import document, run_sync, with_row


def _with_prose(dataflow: Dataflow) -> Dataflow:
    """The same document with one more sentence (two lines) in its introduction."""
    text = Path(dataflow.path).read_text(encoding="utf-8").replace("\r\n", "\n")
    marker = "Introduction\n------------\n\n"
    assert marker in text
    text = text.replace(marker, marker + "A sentence added by a reviewer.\n\n")
    return parse_text(text, dataflow.path)


def test_a_target_edit_survives_a_prose_edit_and_reaches_the_source(tmp_path: Path) -> None:
    original = document("keap-to-webcrm")
    edited = _with_prose(original)
    assert edited.sections[0].line != original.sections[0].line  # every line moved
    with EmulatedSystems([original]) as systems:
        keap, webcrm = systems.emulator("Keap"), systems.emulator("WebCRM")
        keap.seed("Companies", {"company_name": "Acme AS"})
        store = SqliteLinkStore(tmp_path / "state.db")
        run_sync([original], systems, store)
        organisation = webcrm.records("Organisations")[0]
        webcrm.edit("Organisations", organisation["OrganisationId"],
                    {"OrganisationName": "Acme Group AS"})
        report = run_sync([edited], systems, store)
        assert report.failed == 0, report.details
        assert [o["OrganisationName"] for o in webcrm.records("Organisations")] == [
            "Acme Group AS"]
        assert [c["company_name"] for c in keap.records("Companies")] == ["Acme Group AS"]
        assert report.totals()["updated_to_source"] == 1


def test_a_row_added_to_a_synced_mapping_overwrites_nothing(tmp_path: Path) -> None:
    original = document("keap-to-webcrm")
    grown = with_row(original, "Keap Companies to Webcrm Organisations",
                     ("website", "WebSite", '"string"'))
    with EmulatedSystems([original]) as systems:
        keap, webcrm = systems.emulator("Keap"), systems.emulator("WebCRM")
        company = keap.seed("Companies", {"company_name": "Acme AS", "website": "acme.no"})
        store = SqliteLinkStore(tmp_path / "state.db")
        run_sync([original], systems, store)
        organisation = webcrm.records("Organisations")[0]
        webcrm.edit("Organisations", organisation["OrganisationId"], {"WebSite": "acme.com"})
        report = run_sync([grown], systems, store)
        assert report.writes == 0, report.details
        assert webcrm.records("Organisations")[0]["WebSite"] == "acme.com"
        assert keap.records("Companies")[0]["website"] == company["website"]
        keap.edit("Companies", company["id"], {"website": "acme.org"})  # now it syncs
        run_sync([grown], systems, store)
        assert webcrm.records("Organisations")[0]["WebSite"] == "acme.org"


def _as_an_older_version_kept_it(store: SqliteLinkStore, dataflow: Dataflow) -> None:
    """Rewrite the state as versions that keyed it by line numbers wrote it."""
    db = store._db
    for flow in bind_flows([dataflow]):
        old = f"{flow.document}:{flow.section.line}"
        rows = {_row_key(row): str(row.line) for row in flow.section.properties}
        for source, target, text in db.execute(
                'SELECT source, target, "values" FROM synced WHERE section=?',
                (flow.key,)).fetchall():
            values = {rows[k]: v for k, v in json.loads(text).items()}
            db.execute('UPDATE synced SET section=?, "values"=? WHERE section=? AND source=? '
                       "AND target=?", (old, json.dumps(values), flow.key, source, target))
        db.execute("UPDATE pairs SET origin=? WHERE origin=?", (old, flow.key))
    db.execute("DELETE FROM meta WHERE key='section_keys'")


def test_state_an_older_version_kept_by_line_survives_the_upgrade(tmp_path: Path) -> None:
    dataflow = document("keap-to-webcrm")
    with EmulatedSystems([dataflow]) as systems:
        keap, webcrm = systems.emulator("Keap"), systems.emulator("WebCRM")
        keap.seed("Companies", {"company_name": "Acme AS"})
        store = SqliteLinkStore(tmp_path / "state.db")
        run_sync([dataflow], systems, store)
        _as_an_older_version_kept_it(store, dataflow)
        organisation = webcrm.records("Organisations")[0]
        webcrm.edit("Organisations", organisation["OrganisationId"],
                    {"OrganisationName": "Acme Group AS"})
        report = run_sync([dataflow], systems, store)
        assert [c["company_name"] for c in keap.records("Companies")] == ["Acme Group AS"]
        assert report.totals()["updated_to_source"] == 1
        assert run_sync([dataflow], systems, store).writes == 0
