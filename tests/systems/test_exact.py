"""Exact Online: the emulator's API and the connector, in-process through `responses`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import requests

from talk.connectors import connector_for
from talk.connectors.base import ApiError, AuthError, RetriesExhausted, RetryPolicy
from talk.connectors.exact import ExactConnector
from talk.emulator import emulator_for
from talk.emulator.exact import ExactEmulator
from talk.emulator.mock import serving
from talk.systems.profile import ApiStyle, ChangeRead, EntityProfile
from talk.systems.registry import profile_for, resolve_entity

BASE = "https://exact.emulated/api/v1/1234"
PROFILE = profile_for("Exact Online")
ACCOUNTS = resolve_entity(PROFILE, "Accounts")
CONTACTS = resolve_entity(PROFILE, "Contacts")
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# The emulator clock starts at 2024-01-01T00:00:00Z; its first minute resets at 00:01:00.
FIRST_MINUTE_RESET_S = datetime(2024, 1, 1, 0, 1, tzinfo=UTC).timestamp()


@dataclass
class Setup:
    emulator: ExactEmulator
    connector: ExactConnector
    sleeps: list[float]


def make_setup(token: str | None = "token", *, wall_clock: float = FIRST_MINUTE_RESET_S - 12.5,
               emulator_token: str | None = None) -> Iterator[Setup]:
    emulator = emulator_for(PROFILE, BASE, token=emulator_token)
    assert isinstance(emulator, ExactEmulator)
    sleeps: list[float] = []
    policy = RetryPolicy(sleep=sleeps.append, clock=lambda: 0.0)
    connector = connector_for(PROFILE, BASE, token, retry=policy, wall_clock=lambda: wall_clock)
    assert isinstance(connector, ExactConnector)
    with serving(emulator):
        yield Setup(emulator, connector, sleeps)


@pytest.fixture
def exact() -> Iterator[Setup]:
    yield from make_setup()


def seed_accounts(emulator: ExactEmulator, n: int) -> list[dict[str, object]]:
    return [emulator.seed("Accounts", {"Name": f"Account {i}", "City": "Oslo"}) for i in range(n)]


def raw(method: str, path: str, token: str | None = "token", **kwargs: object) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, f"{BASE}/{path}", headers=headers, timeout=5,
                            **kwargs)  # type: ignore[arg-type]


# -- profile ------------------------------------------------------------------------------


def test_profile_facts() -> None:
    assert PROFILE.key == "exact" and PROFILE.style is ApiStyle.EXACT
    assert profile_for("Exact").key == "exact"
    assert resolve_entity(PROFILE, "Account") == ACCOUNTS
    assert (ACCOUNTS.resource, ACCOUNTS.id_field, ACCOUNTS.modified_field) == (
        "crm/Accounts", "ID", "Modified")
    assert ACCOUNTS.change_read is ChangeRead.MODIFIED_FILTER
    assert ACCOUNTS.required_on_create == (("Name",),)
    assert CONTACTS.resource == "crm/Contacts" and CONTACTS.required_on_create == ()


# -- pages --------------------------------------------------------------------------------


def test_one_page(exact: Setup) -> None:
    seeded = seed_accounts(exact.emulator, 5)
    listed = list(exact.connector.list_all(ACCOUNTS))
    assert sorted(listed, key=lambda r: str(r["ID"])) == sorted(seeded, key=lambda r: str(r["ID"]))
    assert len(exact.emulator.requests) == 1


def test_many_pages_of_sixty(exact: Setup) -> None:
    seeded = seed_accounts(exact.emulator, 130)
    listed = list(exact.connector.list_all(ACCOUNTS))
    assert len(listed) == 130
    assert {r["ID"] for r in listed} == {r["ID"] for r in seeded}
    urls = [r.url for r in exact.emulator.requests]
    assert len(urls) == 3
    assert "$skiptoken=guid'" in urls[1] and "$skiptoken=guid'" in urls[2]


def test_empty_collection(exact: Setup) -> None:
    assert list(exact.connector.list_all(CONTACTS)) == []
    body = raw("GET", "crm/Contacts").json()
    assert body == {"d": {"results": []}}


def test_list_shape_is_odata(exact: Setup) -> None:
    seed_accounts(exact.emulator, 61)
    body = raw("GET", "crm/Accounts").json()
    rows = body["d"]["results"]
    assert len(rows) == 60
    first = rows[0]
    assert first["__metadata"] == {
        "uri": f"{BASE}/crm/Accounts(guid'{first['ID']}')",
        "type": "Exact.Web.Api.Models.Account"}
    assert GUID.match(first["ID"])
    assert re.fullmatch(r"/Date\(\d{13}\)/", first["Modified"])
    assert first["Division"] == 1234
    assert "$skiptoken=" in body["d"]["__next"]
    last_page = requests.get(body["d"]["__next"], headers={"Authorization": "Bearer t"},
                             timeout=5).json()
    assert len(last_page["d"]["results"]) == 1 and "__next" not in last_page["d"]


def test_select_and_top(exact: Setup) -> None:
    seed_accounts(exact.emulator, 70)
    body = raw("GET", "crm/Accounts", params={"$select": "ID,Name", "$top": "65"}).json()
    rows = body["d"]["results"]
    assert len(rows) == 60
    assert set(rows[0]) == {"__metadata", "ID", "Name"}
    rest = requests.get(body["d"]["__next"], headers={"Authorization": "Bearer t"},
                        timeout=5).json()
    assert len(rest["d"]["results"]) == 5 and "__next" not in rest["d"]


def test_filter_by_guid_and_string(exact: Setup) -> None:
    seeded = seed_accounts(exact.emulator, 3)
    wanted = seeded[1]["ID"]
    body = raw("GET", "crm/Accounts", params={"$filter": f"ID eq guid'{wanted}'"}).json()
    assert [r["ID"] for r in body["d"]["results"]] == [wanted]
    body = raw("GET", "crm/Accounts", params={"$filter": "Name eq 'Account 2'"}).json()
    assert [r["ID"] for r in body["d"]["results"]] == [seeded[2]["ID"]]


def test_bad_filter_is_a_400_in_exacts_shape(exact: Setup) -> None:
    answer = raw("GET", "crm/Accounts", params={"$filter": "Name like 'A'"})
    assert answer.status_code == 400
    assert "like" in answer.json()["error"]["message"]["value"]


def test_rate_limit_headers_on_every_answer(exact: Setup) -> None:
    answer = raw("GET", "crm/Accounts")
    for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Minutely-Limit",
                 "X-RateLimit-Minutely-Remaining"):
        assert answer.headers[name].isdigit()
    assert re.fullmatch(r"\d{13}", answer.headers["X-RateLimit-Reset"])
    assert int(answer.headers["X-RateLimit-Minutely-Reset"]) == FIRST_MINUTE_RESET_S * 1000
    assert int(answer.headers["X-RateLimit-Minutely-Remaining"]) == 59
    assert int(raw("GET", "crm/Accounts").headers["X-RateLimit-Minutely-Remaining"]) == 58


# -- changes ------------------------------------------------------------------------------


def test_changed_since_returns_exactly_the_records_modified_after_the_cursor(
        exact: Setup) -> None:
    seeded = seed_accounts(exact.emulator, 5)
    page = exact.connector.read_changes(ACCOUNTS, None)
    assert len(list(page.records)) == 5
    cursor = page.next_cursor()
    assert cursor is not None
    exact.emulator.edit("Accounts", seeded[1]["ID"], {"Name": "edited 1"})
    exact.emulator.edit("Accounts", seeded[3]["ID"], {"Name": "edited 3"})
    page = exact.connector.read_changes(ACCOUNTS, cursor)
    assert sorted(r["Name"] for r in page.records) == ["edited 1", "edited 3"]
    assert "$filter=Modified+ge+datetime" in exact.emulator.requests[-1].url.replace("%24", "$")
    later = page.next_cursor()
    assert later is not None and datetime.fromisoformat(later) > datetime.fromisoformat(cursor)
    unchanged = exact.connector.read_changes(ACCOUNTS, later)
    assert list(unchanged.records) == [] and unchanged.next_cursor() == later


def test_changed_since_an_arbitrary_instant(exact: Setup) -> None:
    seeded = seed_accounts(exact.emulator, 4)  # Modified at 00:00:01 .. 00:00:04
    page = exact.connector.read_changes(ACCOUNTS, "2024-01-01T00:00:02.500+00:00")
    assert {r["ID"] for r in page.records} == {seeded[2]["ID"], seeded[3]["ID"]}


def test_changed_since_across_pages_keeps_the_filter(exact: Setup) -> None:
    seeded = seed_accounts(exact.emulator, 100)
    for record in seeded[:70]:
        exact.emulator.edit("Accounts", record["ID"], {"Phone": "1"})
    page = exact.connector.read_changes(ACCOUNTS, "2024-01-01T00:01:40.500")  # naive: UTC
    assert {r["ID"] for r in page.records} == {r["ID"] for r in seeded[:70]}
    assert len(exact.emulator.requests) == 2
    assert "Modified ge datetime'2024-01-01T00:01:40.500'" in exact.emulator.requests[1].query[
        "$filter"]


def test_modified_at_is_aware(exact: Setup) -> None:
    [record] = seed_accounts(exact.emulator, 1)
    assert exact.connector.modified_at(ACCOUNTS, record) == datetime(2024, 1, 1, 0, 0, 1,
                                                                     tzinfo=UTC)
    assert exact.connector.modified_at(ACCOUNTS, {}) is None


# -- writes -------------------------------------------------------------------------------


def test_create_then_read_in_exacts_shape(exact: Setup) -> None:
    created = exact.connector.create(ACCOUNTS, {"Name": "Acme", "City": "Oslo"})
    assert GUID.match(created["ID"]) and created["Name"] == "Acme"
    assert re.fullmatch(r"/Date\(\d{13}\)/", created["Created"])
    assert exact.connector.get(ACCOUNTS, created["ID"]) == created
    assert exact.emulator.record("Accounts", created["ID"]) == created
    post = exact.emulator.writes()[-1]
    assert post.header("Prefer") == "return=representation"
    single = raw("GET", f"crm/Accounts(guid'{created['ID']}')").json()
    assert single["d"]["__metadata"]["type"] == "Exact.Web.Api.Models.Account"
    assert single["d"]["City"] == "Oslo"


def test_post_without_prefer_answers_a_minimal_record(exact: Setup) -> None:
    answer = raw("POST", "crm/Contacts", json={"FirstName": "Ada", "ID": "ignored"})
    assert answer.status_code == 201
    body = answer.json()["d"]
    assert set(body) == {"__metadata", "ID"} and GUID.match(body["ID"])
    assert exact.emulator.record("Contacts", body["ID"])["FirstName"] == "Ada"


def test_update_is_a_put_answered_204(exact: Setup) -> None:
    [record] = seed_accounts(exact.emulator, 1)
    exact.connector.update(ACCOUNTS, str(record["ID"]), {"City": "Bergen"})
    stored = exact.emulator.record("Accounts", record["ID"])
    assert stored["City"] == "Bergen" and stored["Name"] == "Account 0"
    assert stored["Modified"] != record["Modified"]
    put = exact.emulator.writes()[-1]
    assert put.method == "PUT" and put.path.endswith(f"crm/Accounts(guid'{record['ID']}')")
    answer = raw("PUT", f"crm/Accounts(guid'{record['ID']}')", json={"Phone": "1"})
    assert answer.status_code == 204 and answer.content == b""


def test_delete_and_missing_records(exact: Setup) -> None:
    [record] = seed_accounts(exact.emulator, 1)
    assert raw("DELETE", f"crm/Accounts(guid'{record['ID']}')").status_code == 204
    assert exact.connector.get(ACCOUNTS, str(record["ID"])) is None
    missing = raw("PUT", f"crm/Accounts(guid'{record['ID']}')", json={"Name": "x"})
    assert missing.status_code == 404


def test_ids_are_deterministic_per_seed() -> None:
    def ids(seed: int) -> list[object]:
        emulator = emulator_for(PROFILE, BASE, id_seed=seed)
        return [emulator.seed("Contacts", {"FirstName": str(i)})["ID"] for i in range(3)]

    assert ids(7) == ids(7)
    assert ids(7) != ids(8)
    assert len(set(ids(7))) == 3


# -- errors and retries ---------------------------------------------------------------------


def test_a_400_surfaces_exacts_message(exact: Setup) -> None:
    with pytest.raises(ApiError) as raised:
        exact.connector.create(ACCOUNTS, {"City": "Oslo"})
    assert raised.value.status == 400
    assert raised.value.message == "Mandatory: Name"
    assert exact.emulator.records("Accounts") == []


def test_429_waits_until_the_minutely_reset(exact: Setup) -> None:
    seed_accounts(exact.emulator, 2)
    exact.emulator.fail_next("crm/Accounts", n=2, status=429)
    assert len(list(exact.connector.list_all(ACCOUNTS))) == 2
    # wall clock 12.5 s before the minute's reset at 00:01:00 (X-RateLimit-Minutely-Reset)
    assert exact.sleeps == [12.5, 12.5]
    assert [r.method for r in exact.emulator.requests] == ["GET"] * 3


def test_429_delay_is_bounded_by_the_policy() -> None:
    for setup in make_setup(wall_clock=FIRST_MINUTE_RESET_S - 3600):
        setup.emulator.fail_next("crm/Accounts", n=1, status=429)
        assert list(setup.connector.list_all(ACCOUNTS)) == []
        assert setup.sleeps == [setup.connector.retry.max_delay]


def test_429_answer_carries_exacts_signals(exact: Setup) -> None:
    exact.emulator.fail_next("crm/Accounts", n=1, status=429)
    answer = raw("GET", "crm/Accounts")
    assert answer.status_code == 429
    assert answer.headers["X-RateLimit-Minutely-Remaining"] == "0"
    assert re.fullmatch(r"\d{13}", answer.headers["X-RateLimit-Minutely-Reset"])
    assert "Retry-After" not in answer.headers


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retried(exact: Setup, status: int) -> None:
    exact.emulator.fail_next("crm/Accounts", n=2, status=status)
    created = exact.connector.create(ACCOUNTS, {"Name": "Acme"})
    assert exact.emulator.records("Accounts") == [created]
    assert len(exact.sleeps) == 2 and all(0 < s <= 60 for s in exact.sleeps)


def test_timeouts_are_retried(exact: Setup) -> None:
    seed_accounts(exact.emulator, 3)
    exact.emulator.timeout_next("crm/Accounts", n=2)
    assert len(list(exact.connector.list_all(ACCOUNTS))) == 3
    assert len(exact.sleeps) == 2 and len(exact.emulator.requests) == 3


def test_retries_are_bounded(exact: Setup) -> None:
    exact.emulator.fail_next("crm/Accounts", n=100, status=503)
    with pytest.raises(RetriesExhausted) as raised:
        list(exact.connector.list_all(ACCOUNTS))
    assert raised.value.attempts == exact.connector.retry.max_attempts
    assert "Service unavailable" in raised.value.last


def test_no_token_is_a_401_and_a_clear_auth_error() -> None:
    for setup in make_setup(token=None):
        with pytest.raises(AuthError) as raised:
            list(setup.connector.list_all(ACCOUNTS))
        assert raised.value.status == 401
        assert "TALK_EXACT_TOKEN" in str(raised.value)
        assert setup.sleeps == []


def test_wrong_token_is_refused_when_the_emulator_wants_one() -> None:
    for setup in make_setup(token="wrong", emulator_token="right"):
        with pytest.raises(AuthError):
            setup.connector.get(ACCOUNTS, "3f2504e0-4f89-11d3-9a0c-0305e82c3301")
        assert raw("GET", "crm/Accounts", token="right").status_code == 200
        assert raw("GET", "crm/Accounts", token=None).status_code == 401


def test_drop_after_write_applies_the_write_but_the_client_sees_an_error(
        exact: Setup) -> None:
    exact.emulator.drop_after_write("crm/Accounts", method="POST")
    with pytest.raises(RetriesExhausted) as raised:  # a create is never sent twice
        exact.connector.create(ACCOUNTS, {"Name": "Lost answer"})
    assert "ConnectionError" in raised.value.last
    assert [r["Name"] for r in exact.emulator.records("Accounts")] == ["Lost answer"]
    assert len(exact.emulator.writes()) == 1


def test_a_dropped_put_is_sent_again_and_lands_once(exact: Setup) -> None:
    [record] = seed_accounts(exact.emulator, 1)
    exact.emulator.drop_after_write("crm/Accounts", method="PUT")
    exact.connector.update(ACCOUNTS, str(record["ID"]), {"City": "Tromsø"})
    assert exact.emulator.record("Accounts", record["ID"])["City"] == "Tromsø"
    assert len(exact.emulator.writes()) == 2


def test_entity_profile_type() -> None:
    assert isinstance(ACCOUNTS, EntityProfile) and not ACCOUNTS.generic
