"""An HTTP client written for WooCommerce (the `woocommerce` package on PyPI, unchanged)
lists, creates, reads and updates customers against `talk serve`'s emulation of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from talk.emulator.server import EmulatorServer
from talk.systems.registry import profile_for

woocommerce = pytest.importorskip("woocommerce", reason="the woocommerce client is not installed")


@pytest.fixture
def shop() -> Iterator[str]:
    with EmulatorServer(port=0, timeout_delay=1.0) as server:
        server.start()
        emulator = server.mount_system(profile_for("WooCommerce"), token="ck_test")
        assert emulator.base_url == f"{server.url}/woocommerce/wp-json/wc/v3"
        yield f"{server.url}/woocommerce"


def test_the_woocommerce_client_works_unchanged(shop: str) -> None:
    api = woocommerce.API(url=shop, consumer_key="ck_test", consumer_secret="cs_test",
                          version="wc/v3", timeout=5)
    assert api.get("customers").json() == []
    created = api.post("customers", {"email": "ada@example.com", "first_name": "Ada",
                                     "billing": {"city": "Oslo"}})
    assert created.status_code == 201
    customer = created.json()
    assert customer["id"] == 1 and customer["email"] == "ada@example.com"
    assert api.get(f"customers/{customer['id']}").json()["first_name"] == "Ada"
    updated = api.put(f"customers/{customer['id']}", {"last_name": "Lovelace"})
    assert updated.status_code == 200 and updated.json()["last_name"] == "Lovelace"
    assert [c["last_name"] for c in api.get("customers", params={"per_page": 10}).json()] \
        == ["Lovelace"]
    refused = api.post("customers", {"email": 42})
    assert refused.status_code == 400
    assert refused.json()["message"] == "email: must be string"
    stranger = woocommerce.API(url=shop, consumer_key="ck_wrong", consumer_secret="x",
                               version="wc/v3", timeout=5)
    assert stranger.get("customers").status_code == 401
