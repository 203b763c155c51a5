"""HTTP clients of the systems' REST APIs, one class per API style."""

from __future__ import annotations

import importlib
from typing import Any

from talk.connectors.base import (
    AmbiguousWrite,
    ApiError,
    AuthError,
    ChangePage,
    Connector,
    RetriesExhausted,
    RetryPolicy,
)
from talk.systems.profile import ApiStyle, SystemProfile

__all__ = [
    "AmbiguousWrite",
    "ApiError",
    "AuthError",
    "ChangePage",
    "Connector",
    "RetriesExhausted",
    "RetryPolicy",
    "connector_for",
]

_CLASSES = {
    ApiStyle.KEAP: ("talk.connectors.keap", "KeapConnector"),
    ApiStyle.WEBCRM: ("talk.connectors.webcrm", "WebcrmConnector"),
    ApiStyle.EXACT: ("talk.connectors.exact", "ExactConnector"),
    ApiStyle.DESCRIBED: ("talk.connectors.described", "DescribedConnector"),
    ApiStyle.GENERIC: ("talk.connectors.generic", "GenericConnector"),
}


def connector_for(profile: SystemProfile, base_url: str, token: str | None,
                  **options: Any) -> Connector:
    """The connector of a system's API style."""
    module, name = _CLASSES[profile.style]
    cls = getattr(importlib.import_module(module), name)
    connector: Connector = cls(profile, base_url, token, **options)
    return connector
