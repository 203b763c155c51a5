"""The link store: clusters, one record per (system, entity), durability, intents."""

from __future__ import annotations

from pathlib import Path

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
