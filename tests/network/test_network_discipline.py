"""Network discipline over real HTTP: a deadline per request that a dripping server cannot
stretch, bounded paging with loop detection, Retry-After honoured as given (up to a bound),
credentials sent only to the configured host and never shown."""

from __future__ import annotations

import email.utils
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from talk.cli import main
from talk.config import ConfigError, load_config
from talk.connectors import connector_for
from talk.connectors.base import (
    BadToken,
    Connector,
    RateLimited,
    RetriesExhausted,
    RetryPolicy,
    UnsafeRequest,
)
from talk.systems.registry import profile_for, resolve_entity

from .fake_server import Answer, FakeServer, HeaderDrip, Seen, json_answer

PROFILE = profile_for("Fakecrm")
ITEMS = resolve_entity(PROFILE, "Item")
TOKEN = "s3cret-token"


def _connector(url: str, **policy: float) -> Connector:
    return connector_for(PROFILE, url, TOKEN, retry=RetryPolicy(base_delay=0.01, **policy))


def _read_for_at_most(connector: Connector, seconds: float
                      ) -> tuple[BaseException | None, float]:
    """List ITEMS in a thread: what it raised and how long it took; fails if it is still
    reading after `seconds` (a thread cannot be stopped, so it is left as a daemon)."""
    outcome: list[BaseException | None] = []

    def read() -> None:
        try:
            list(connector.list_all(ITEMS))
            outcome.append(None)
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    started = time.monotonic()
    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(timeout=seconds)
    assert not worker.is_alive(), "the read outlived its deadline"
    return outcome[0], time.monotonic() - started


def test_a_dripping_server_is_given_up_within_the_total_deadline() -> None:
    body = json.dumps({"items": [{"id": 1, "name": "x" * 200}], "next": None})
    with FakeServer(lambda seen: json_answer(body, pause=0.1, chunk=1)) as server:
        outcome, seconds = _read_for_at_most(_connector(server.url, timeout=0.6,
                                                        max_total=1.5), 6)
        # one byte per 0.1 s: the answer alone takes 20 s
        assert isinstance(outcome, RetriesExhausted)
        assert seconds < 4
        assert TOKEN not in str(outcome)


def test_a_server_dripping_its_headers_is_given_up_within_the_deadline() -> None:
    with HeaderDrip(pause=0.1) as server:
        outcome, seconds = _read_for_at_most(_connector(server.url, timeout=0.6,
                                                        max_total=1.5), 8)
        # the headers alone would take hours
        assert isinstance(outcome, RetriesExhausted), outcome
        assert "deadline" in str(outcome)
        assert seconds < 4
        assert server.connections >= 2  # retried, each attempt within its own deadline


def test_the_default_deadline_gives_up_on_a_stalled_server_within_3_minutes() -> None:
    policy = RetryPolicy()
    assert policy.max_total <= 180 and policy.timeout <= policy.max_total


def test_a_paging_link_to_another_host_is_not_followed() -> None:
    with FakeServer(lambda seen: json_answer('{"items": []}')) as elsewhere:
        other = elsewhere.url.replace("127.0.0.1", "localhost") + "/steal"
        answer = json_answer(json.dumps({"items": [{"id": 1}], "next": other}))
        with FakeServer(lambda seen: answer) as server, \
                pytest.raises(UnsafeRequest) as caught:
            list(_connector(server.url).list_all(ITEMS))
        assert elsewhere.seen == []  # no request, so no token, went there
        assert "localhost" in str(caught.value) and TOKEN not in str(caught.value)


def test_a_next_link_to_itself_is_a_loop_not_a_hang() -> None:
    def answer(seen: Seen) -> Answer:
        return json_answer(json.dumps({"items": [{"id": 1}], "next": server.url + seen.path}))

    with FakeServer(answer) as server:
        with pytest.raises(UnsafeRequest, match="loop"):
            list(_connector(server.url).list_all(ITEMS))
        assert len(server.seen) == 2


def test_pages_are_bounded() -> None:
    def answer(seen: Seen) -> Answer:
        n = len(server.seen)
        return json_answer(json.dumps({"items": [{"id": n}],
                                       "next": f"{server.url}/items?page={n + 1}"}))

    with FakeServer(answer) as server:
        with pytest.raises(UnsafeRequest, match="more than 5 pages"):
            list(connector_for(PROFILE, server.url, TOKEN,
                               retry=RetryPolicy(max_pages=5)).list_all(ITEMS))
        assert len(server.seen) == 6


def _limited(after: str) -> FakeServer:
    def answer(seen: Seen) -> Answer:
        if len(server.seen) == 1:
            return json_answer('{"message": "slow down"}', 429, {"Retry-After": after})
        return json_answer('{"items": [], "next": null}')

    server = FakeServer(answer)
    return server


def test_retry_after_is_honoured_as_given() -> None:
    sleeps: list[float] = []
    with _limited("120") as server:
        connector = connector_for(PROFILE, server.url, TOKEN,
                                  retry=RetryPolicy(sleep=sleeps.append))
        assert list(connector.list_all(ITEMS)) == []
    assert sleeps == [120.0]


def test_a_retry_after_date_is_honoured() -> None:
    sleeps: list[float] = []
    when = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=100),
                                       usegmt=True)
    with _limited(when) as server:
        connector = connector_for(PROFILE, server.url, TOKEN,
                                  retry=RetryPolicy(sleep=sleeps.append))
        assert list(connector.list_all(ITEMS)) == []
    assert len(sleeps) == 1 and 95 <= sleeps[0] <= 100


def test_a_retry_after_beyond_the_bound_stops_with_when_to_retry() -> None:
    sleeps: list[float] = []
    with _limited("900") as server:
        connector = connector_for(PROFILE, server.url, TOKEN,
                                  retry=RetryPolicy(sleep=sleeps.append, max_retry_after=300))
        with pytest.raises(RateLimited, match=r"retry after \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"):
            list(connector.list_all(ITEMS))
    assert sleeps == []


@pytest.mark.parametrize("token", ["abc\r", "abc\n", "a\x00b", " abc"])
def test_a_token_with_a_control_character_is_refused_unseen(token: str) -> None:
    with pytest.raises(BadToken) as caught:
        connector_for(PROFILE, "http://127.0.0.1:9", token)
    assert token.strip() not in str(caught.value)


def _config(tmp_path: Path, url: str) -> Path:
    config = tmp_path / "talk.toml"
    config.write_text(f'[systems.keap]\nbase_url = "{url}/keap"\n'
                      f'[systems.webcrm]\nbase_url = "{url}/webcrm"\n', encoding="utf-8")
    return config


def test_talk_sync_with_a_crlf_token_exits_2_without_showing_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    with FakeServer(lambda seen: json_answer("[]")) as server:
        monkeypatch.setenv("TALK_KEAP_TOKEN", "token-from-a-crlf-file\r")
        monkeypatch.setenv("TALK_WEBCRM_TOKEN", "fine")
        code = main(["sync", "--dataflows", str(Path(__file__).parents[2] / "dataflows" /
                                                "keap-to-webcrm.rst"),
                     "--config", str(_config(tmp_path, server.url)),
                     "--state", str(tmp_path / "state.db")])
        assert server.seen == []
    err = capsys.readouterr().err
    assert code == 2
    assert "token-from-a-crlf-file" not in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "control character" in err


def test_a_base_url_with_user_and_password_is_refused_unprinted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, "https://ada:pa55word@api.example.com")
    code = main(["sync", "--dataflows", str(Path(__file__).parents[2] / "dataflows" /
                                            "keap-to-webcrm.rst"),
                 "--config", str(config), "--state", str(tmp_path / "state.db")])
    err = capsys.readouterr().err
    assert code == 2
    assert "pa55word" not in err and "user:password@" in err
    assert f"{config}:1" in err


def test_network_bounds_come_from_talk_toml(tmp_path: Path) -> None:
    config = tmp_path / "talk.toml"
    config.write_text('[systems.keap]\nbase_url = "https://k.example"\ntimeout = 5\n'
                      "max_total = 20\nmax_retry_after = 30\nmax_pages = 50\n",
                      encoding="utf-8")
    policy = RetryPolicy(**load_config(config, env={}).system("keap").network)
    assert (policy.timeout, policy.max_total, policy.max_retry_after, policy.max_pages) == (
        5, 20, 30, 50)
    config.write_text('[systems.keap]\nbase_url = "https://k.example"\nmax_pages = 0\n',
                      encoding="utf-8")
    with pytest.raises(ConfigError, match="max_pages must be a positive whole number"):
        load_config(config, env={})
