"""The link store: clusters, one record per (system, entity), durability, intents."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from talk.sync.store import ClusterConflict, Ref, SqliteLinkStore

A1 = Ref("keap", "Product", "1")
B1 = Ref("webcrm", "Products", "10")
B2 = Ref("webcrm", "Products", "11")
C1 = Ref("customerp", "Product", "p-1")


def test_link_builds_one_cluster_across_pairs(tmp_path: Path) -> None:
    store = SqliteLinkStore(tmp_path / "state.db")
    store.link(C1, A1, "customerp-to-keap:20")
    store.link(A1, B1, "keap-to-webcrm:40")
    assert store.cluster_of(C1) == {("customerp", "Product"): "p-1", ("keap", "Product"): "1",
                                     ("webcrm", "Products"): "10"}
    assert store.cluster_of(B1) == store.cluster_of(C1)
    assert store.counts()["clusters"] == 1


def test_a_cluster_never_holds_two_records_of_one_entity(tmp_path: Path) -> None:
    store = SqliteLinkStore(tmp_path / "state.db")
    store.link(A1, B1, "s")
    with pytest.raises(ClusterConflict, match="two records of webcrm Products"):
        store.link(A1, B2, "s")
    assert store.cluster_of(B2) == {}


def test_pair_origin_is_the_first_section(tmp_path: Path) -> None:
    store = SqliteLinkStore(tmp_path / "state.db")
    store.link(A1, B1, "first")
    store.set_pair_origin(B1, A1, "second")
    assert store.pair_origin(B1, A1) == "first"


def test_state_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = SqliteLinkStore(path)
    store.link(A1, B1, "s")
    store.set_synced_values("s", A1, B1, {"12": {"a": 12.5, "b": "12.5"}})
    store.set_cursor("keap", "Product", "token-7")
    intent = store.add_intent("s", C1, "keap", "Product", {"product_name": "x"})
    store.close()
    again = SqliteLinkStore(path)
    assert again.synced_values("s", A1, B1) == {"12": {"a": 12.5, "b": "12.5"}}
    assert again.cursor("keap", "Product") == "token-7"
    assert [i.id for i in again.intents()] == [intent]
    assert again.intents()[0].payload == {"product_name": "x"}


def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    store = SqliteLinkStore(tmp_path / "state.db")
    with pytest.raises(RuntimeError), store.transaction():
        store.link(A1, B1, "s")
        store.set_cursor("keap", "Product", "x")
        raise RuntimeError("killed")
    assert store.cluster_of(A1) == {}
    assert store.cursor("keap", "Product") is None


def test_retired_records_keep_their_slot(tmp_path: Path) -> None:
    store = SqliteLinkStore(":memory:")
    store.link(A1, B1, "s")
    store.retire(B1)
    assert store.is_retired(B1)
    assert store.cluster_of(A1)[("webcrm", "Products")] == "10"


def test_retries_are_remembered_once(tmp_path: Path) -> None:
    store = SqliteLinkStore(":memory:")
    store.add_retry(A1, "boom")
    store.add_retry(A1, "boom again")
    assert store.retries() == [A1]
    store.remove_retry(A1)
    assert store.retries() == []


def test_an_in_memory_store_is_a_copy_of_an_empty_one(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    """Every checklist scenario opens an in-memory store: it gets the schema a file store
    has without running the schema's statements again."""
    from talk.sync import store as store_module

    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db = connect(*args, **kwargs)
        db.set_trace_callback(statements.append)
        return db

    SqliteLinkStore(":memory:").close()  # the empty store, built once per process
    monkeypatch.setattr(store_module.sqlite3, "connect", traced)
    stores = [SqliteLinkStore(":memory:") for _ in range(3)]
    assert not [s for s in statements if "CREATE" in s.upper() or "PRAGMA" in s.upper()]
    on_file = SqliteLinkStore(tmp_path / "state.db")
    schema = "SELECT type, name, sql FROM sqlite_master WHERE {} ORDER BY name"
    kept = schema.format("name NOT LIKE '%run_marks%'")
    for store in stores:
        assert store._db.execute(kept).fetchall() == on_file._db.execute(kept).fetchall()
        # a run's marks: in the store's own tables, as transient as the store itself
        marks = schema.format("name = 'run_marks'")
        assert store._db.execute(marks).fetchall() == on_file._db.execute(
            marks.replace("sqlite_master", "sqlite_temp_master")).fetchall()
    first, second = stores[0], stores[1]
    with first.transaction():
        first.link(Ref("keap", "Contacts", "1"), Ref("webcrm", "Persons", "7"), "s")
    assert first.counterpart(Ref("keap", "Contacts", "1"), ("webcrm", "Persons")) == "7"
    assert second.counterpart(Ref("keap", "Contacts", "1"), ("webcrm", "Persons")) is None
    assert first.mark("sent", Ref("keap", "Contacts", "1"))
    assert not first.mark("sent", Ref("keap", "Contacts", "1"))
    assert not second.is_marked("sent", Ref("keap", "Contacts", "1"))
    for store in (*stores, on_file):
        store.close()


def test_a_new_in_memory_store_has_nothing_keyed_by_line_to_rewrite() -> None:
    """A store that starts empty holds no state of a version that keyed sections by line
    numbers: the first sync of each checklist scenario skips that rewrite."""
    store = SqliteLinkStore(":memory:")
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    store.rekey_sections({f"doc.rst:{line}": (f"doc.rst#section{line}", {str(line): "name"})
                          for line in range(10, 20)})
    store.close()
    assert len(statements) == 1  # the one look that finds nothing to do
