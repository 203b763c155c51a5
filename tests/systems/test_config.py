"""talk.toml and TALK_<KEY>_TOKEN: where systems live and how talk authenticates."""

from __future__ import annotations

from pathlib import Path

import pytest

from talk.config import ConfigError, load_config, token_variable

GOOD = """\
[systems.keap]
base_url = "https://api.infusionsoft.com/crm/rest/v1/"

[systems."Exact Online"]
base_url = "https://start.exactonline.nl/api/v1/1234"
timeout = 60

[systems.customerp]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "talk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_parses_systems_by_key(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), env={})
    assert set(config.systems) == {"keap", "exact", "customerp"}
    assert config.system("Keap").base_url == "https://api.infusionsoft.com/crm/rest/v1"
    exact = config.system("exact")
    assert exact.base_url == "https://start.exactonline.nl/api/v1/1234"
    assert exact.options == {"timeout": 60}
    assert config.system("Custom ERP").base_url is None


def test_tokens_come_from_the_environment(tmp_path: Path) -> None:
    env = {"TALK_KEAP_TOKEN": "k-secret", "TALK_WEBCRM_TOKEN": "w-secret",
           "TALK_EXACT_TOKEN": "", "HOME": "/root"}
    config = load_config(write(tmp_path, GOOD), env=env)
    assert config.system("keap").token == "k-secret"
    assert config.system("WebCRM").token == "w-secret"  # not in the file: env still counts
    assert config.system("Exact Online").token is None  # empty means unset
    assert "HOME" not in config.env


def test_tokens_never_appear_in_reprs(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), env={"TALK_KEAP_TOKEN": "k-secret"})
    assert "k-secret" not in repr(config)
    assert "k-secret" not in repr(config.system("keap"))


def test_token_variable_names() -> None:
    assert token_variable("Exact Online") == "TALK_EXACT_TOKEN"
    assert token_variable("Custom ERP") == "TALK_CUSTOMERP_TOKEN"


def test_bad_toml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[systems.keap]\nbase_url = "https://x"\nbroken = \n')
    with pytest.raises(ConfigError) as raised:
        load_config(path, env={})
    assert raised.value.line == 3
    assert str(raised.value).startswith(f"{path}:3: not valid TOML")


def test_token_in_the_file_is_refused_without_echoing_it(tmp_path: Path) -> None:
    path = write(tmp_path, '\n[systems.webcrm]\ntoken = "leaked-value"\n')
    with pytest.raises(ConfigError) as raised:
        load_config(path, env={})
    assert raised.value.line == 2
    assert "TALK_WEBCRM_TOKEN" in str(raised.value)
    assert "leaked-value" not in str(raised.value)


@pytest.mark.parametrize("text, line, words", [
    ('[systems.keap]\nbase_url = "ftp://x"\n', 1, "http(s) URL"),
    ("[systems]\nkeap = 3\n", None, "must be a table"),
    ('systems = "x"\n', None, "must be a table"),
    ('[systems.Exact]\n[systems."Exact Online"]\n', 2, "same system"),
])
def test_semantic_errors(tmp_path: Path, text: str, line: int | None, words: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(write(tmp_path, text), env={})
    assert words in raised.value.message
    assert raised.value.line == line


def test_missing_default_file_is_an_empty_config(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(env={"TALK_KEAP_TOKEN": "t"})
    assert config.path is None and config.systems == {}
    assert config.system("keap").token == "t"


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "absent.toml", env={})


def test_an_unknown_key_is_named_with_its_line_and_the_key_meant(tmp_path: Path) -> None:
    path = write(tmp_path, '[systems.keap]\nbase_urll = "http://127.0.0.1:8080/keap"\n'
                           'timout = 5\n')
    with pytest.raises(ConfigError) as raised:
        load_config(path, env={})
    assert raised.value.line == 2
    message = str(raised.value)
    assert "unknown key base_urll (did you mean base_url?), timout (did you mean timeout?)" \
        in message, message
    assert "no base_url" not in message
