"""The link store's batched commits and per-run marks (what keeps a large sync fast and its
memory flat): what another connection sees, and when."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from talk.sync.store import LinkStore, Ref, SqliteLinkStore

A = Ref("keap", "Companies", "1")
B = Ref("webcrm", "Organisations", "7")


def _members_seen_from_outside(path: Path) -> int:
    with sqlite3.connect(path) as other:
        return int(other.execute("SELECT COUNT(*) FROM members").fetchone()[0])


def test_links_become_visible_on_flush_not_before(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = SqliteLinkStore(path)
    store.link(A, B, "doc:1")
    assert store.cluster_of(A) == {A.slot: A.id, B.slot: B.id}  # its own connection sees it
    assert _members_seen_from_outside(path) == 0
    store.flush()
    assert _members_seen_from_outside(path) == 2
    store.close()


def test_an_intent_is_durable_before_add_intent_returns(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = SqliteLinkStore(path)
    store.link(A, B, "doc:1")
    store.add_intent("doc:1", A, "webcrm", "Organisations", {"OrganisationName": "Acme"})
    with sqlite3.connect(path) as other:
        assert other.execute("SELECT COUNT(*) FROM intents").fetchone()[0] == 1
    assert _members_seen_from_outside(path) == 2  # and everything written before it
    store.close()


def test_close_commits_the_open_batch(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = SqliteLinkStore(path)
    store.link(A, B, "doc:1")
    store.set_synced_values("doc:1", A, B, {"12": {"a": "x", "b": "x"}})
    store.close()
    again = SqliteLinkStore(path)
    assert again.synced_values("doc:1", A, B) == {"12": {"a": "x", "b": "x"}}
    again.close()


def test_a_failed_transaction_in_a_batch_undoes_only_itself(tmp_path: Path) -> None:
    store = SqliteLinkStore(tmp_path / "state.db")
    store.link(A, B, "doc:1")
    try:
        with store.transaction():
            store.set_cursor("keap", "Companies", "2024-01-01")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    store.flush()
    assert store.cursor("keap", "Companies") is None
    assert store.is_member(A) and store.is_member(B)
    store.close()


def test_a_batch_commits_by_itself_after_enough_transactions(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = SqliteLinkStore(path)
    for number in range(SqliteLinkStore.BATCH_TRANSACTIONS):
        store.set_cursor("keap", f"Entity{number}", "c")
    with sqlite3.connect(path) as other:
        seen = other.execute("SELECT COUNT(*) FROM cursors").fetchone()[0]
    assert seen == SqliteLinkStore.BATCH_TRANSACTIONS
    store.close()


def _check_marks(store: LinkStore) -> None:
    assert store.mark("read doc:1", A) is True
    assert store.mark("read doc:1", A) is False
    assert store.mark("read doc:2", A) is True  # another kind is another set
    assert not store.is_marked("synced doc:1", A, B)
    assert store.mark("synced doc:1", A, B) is True
    assert store.is_marked("synced doc:1", A, B)
    assert not store.is_marked("synced doc:1", B, A)  # order matters: source, target
    store.clear_marks()
    assert not store.is_marked("synced doc:1", A, B)
    assert store.mark("read doc:1", A) is True


def test_run_marks_in_sqlite(tmp_path: Path) -> None:
    store = SqliteLinkStore(tmp_path / "state.db")
    _check_marks(store)
    store.close()


def test_run_marks_default_for_other_stores(tmp_path: Path) -> None:
    class Plain(SqliteLinkStore):
        """Uses the interface's in-memory marks, as a store without its own would."""

        clear_marks = LinkStore.clear_marks
        mark = LinkStore.mark
        is_marked = LinkStore.is_marked

    store = Plain(tmp_path / "state.db")
    _check_marks(store)
    store.close()


def test_marks_do_not_outlive_the_connection(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = SqliteLinkStore(path)
    store.mark("read doc:1", A)
    store.close()
    again = SqliteLinkStore(path)
    assert not again.is_marked("read doc:1", A)
    again.close()
