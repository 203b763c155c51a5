"""Where each system lives and how talk authenticates: `talk.toml` plus the environment.

    [systems.keap]
    base_url = "https://api.infusionsoft.com/crm/rest/v1"

    [systems.exact]
    base_url = "https://start.exactonline.nl/api/v1/1234"
    timeout = 30              # seconds for one attempt's whole answer
    max_total = 180           # seconds for one request with all its retries
    max_retry_after = 120     # longest Retry-After waited; beyond it the entity stops
    max_pages = 100000        # pages of one read (a paging loop stops sooner)

Any other key is refused, named with its line (a typo such as `base_urll` would otherwise
leave the system unconfigured with no word about why).
Section names are system names in any spelling (`[systems."Exact Online"]` is `exact`).
Tokens never come from a file (it may be committed): `TALK_<KEY>_TOKEN` in the environment,
e.g. `TALK_KEAP_TOKEN`. Nothing here prints or logs a token.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from talk.systems.keys import system_key

__all__ = ["DEFAULT_PATH", "NETWORK_OPTIONS", "Config", "ConfigError", "SystemConfig",
           "load_config", "token_variable"]

DEFAULT_PATH = Path("talk.toml")
_LINE = re.compile(r"at line (\d+)")
# The network bounds a system may set, with the type each takes (see the module docstring).
NETWORK_OPTIONS: Mapping[str, type] = {"timeout": float, "max_total": float,
                                       "max_retry_after": float, "max_pages": int}


class ConfigError(Exception):
    """A configuration file that cannot be used; carries file and line for the reader."""

    def __init__(self, file: str | Path, line: int | None, message: str) -> None:
        self.file = str(file)
        self.line = line
        self.message = message
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {message}")


def token_variable(system: str) -> str:
    """`Exact Online` -> `TALK_EXACT_TOKEN`."""
    return f"TALK_{system_key(system).upper()}_TOKEN"


@dataclass(frozen=True)
class SystemConfig:
    key: str
    base_url: str | None = None
    token: str | None = field(default=None, repr=False)  # from the environment only
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def network(self) -> dict[str, Any]:
        """The network bounds this system sets (`NETWORK_OPTIONS`), checked on load."""
        return {k: NETWORK_OPTIONS[k](v) for k, v in self.options.items()
                if k in NETWORK_OPTIONS}


@dataclass(frozen=True)
class Config:
    path: Path | None
    systems: Mapping[str, SystemConfig]
    env: Mapping[str, str] = field(default_factory=dict, repr=False)  # TALK_*_TOKEN

    def system(self, name: str) -> SystemConfig:
        """A system by any spelling; one the file does not name still gets its env token."""
        key = system_key(name)
        known = self.systems.get(key)
        if known is not None:
            return known
        return SystemConfig(key=key, token=_token(self.env, key))


def _token(env: Mapping[str, str], key: str) -> str | None:
    return env.get(token_variable(key)) or None


def _line_of(text: str, name: str) -> int | None:
    """The line of the `[systems.<name>]` header, for errors tomllib cannot place."""
    pattern = re.compile(r"^\s*\[\s*systems\s*\.\s*[\"']?" + re.escape(name) + r"[\"']?\s*\]")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


_KNOWN_KEYS = ("base_url", *NETWORK_OPTIONS)


def _unknown_words(keys: list[str]) -> str:
    """`base_urll (did you mean base_url?)`, for each unknown key."""
    words = []
    for key in keys:
        close = difflib.get_close_matches(key, _KNOWN_KEYS, n=1)
        words.append(f"{key} (did you mean {close[0]}?)" if close else key)
    return ", ".join(words)


def _key_line(text: str, header: int | None, key: str) -> int | None:
    """The line of `key = ...` in the table whose header is on line `header`."""
    if header is None:
        return None
    pattern = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
    for number, line in enumerate(text.splitlines()[header:], start=header + 1):
        if line.lstrip().startswith("["):
            break
        if pattern.match(line):
            return number
    return None


def _system(path: Path, text: str, name: str, table: object,
            env: Mapping[str, str]) -> SystemConfig:
    line = _line_of(text, name)
    if not isinstance(table, dict):
        raise ConfigError(path, line, f"systems.{name} must be a table ([systems.{name}])")
    key = system_key(name)
    if not key:
        raise ConfigError(path, line, f"systems.{name!r} does not name a system")
    if any(k.lower() in {"token", "api_key", "password", "secret"} for k in table):
        raise ConfigError(path, line, f"systems.{name}: credentials do not belong in a file; "
                                      f"set {token_variable(key)} in the environment")
    base_url = table.get("base_url")
    if base_url is not None and (not isinstance(base_url, str)
                                 or not base_url.startswith(("http://", "https://"))):
        raise ConfigError(path, line, f"systems.{name}.base_url must be an http(s) URL")
    if base_url is not None:
        parts = urlsplit(base_url)
        if parts.username is not None or parts.password is not None:
            raise ConfigError(path, line, f"systems.{name}.base_url must not hold a user name "
                                          "or password (`user:password@`): it would be sent "
                                          f"and printed; set {token_variable(key)} instead")
    unknown = [k for k in table if k not in _KNOWN_KEYS]
    if unknown:
        raise ConfigError(path, _key_line(text, line, unknown[0]) or line,
                          f"systems.{name}: unknown key {_unknown_words(unknown)}; a "
                          f"system takes {', '.join(_KNOWN_KEYS)}")
    options = {k: v for k, v in table.items() if k != "base_url"}
    for option, kind in NETWORK_OPTIONS.items():
        value = options.get(option)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or value <= 0 or (kind is int and not isinstance(value, int))):
            raise ConfigError(path, line, f"systems.{name}.{option} must be a positive "
                                          f"{'whole ' if kind is int else ''}number")
    return SystemConfig(key=key, base_url=base_url.rstrip("/") if base_url else None,
                        token=_token(env, key), options=options)


def load_config(path: str | Path | None = None,
                env: Mapping[str, str] | None = None) -> Config:
    """Read `path` (default ./talk.toml, optional when not given explicitly)."""
    source = os.environ if env is None else env
    environment = {k: v for k, v in source.items()
                   if k.startswith("TALK_") and k.endswith("_TOKEN")}
    file = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        if path is not None:
            raise ConfigError(file, None, "no such file") from None
        return Config(None, {}, environment)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(file, None, f"cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _LINE.search(str(exc))
        raise ConfigError(file, int(found.group(1)) if found else None,
                          f"not valid TOML: {exc}") from None
    systems_table = data.get("systems", {})
    if not isinstance(systems_table, dict):
        raise ConfigError(file, None, "`systems` must be a table of [systems.<name>] tables")
    systems: dict[str, SystemConfig] = {}
    for name, table in systems_table.items():
        system = _system(file, text, name, table, environment)
        if system.key in systems:
            raise ConfigError(file, _line_of(text, name),
                              f"systems.{name} is the same system as another section "
                              f"({system.key})")
        systems[system.key] = system
    return Config(file, systems, environment)
