"""A step function's signature is inspected once per session, not at every step, and
pytest-bdd's own inspection is back after the session."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from talk.harness import compat


class _Config:
    def __init__(self) -> None:
        self.cleanups: list[Callable[[], None]] = []

    def add_cleanup(self, cleanup: Callable[[], None]) -> None:
        self.cleanups.append(cleanup)


def _step(talk_context: object, name: str, flag: bool = False) -> None:
    """A step with two fixtures it needs and one it does not."""


def test_step_signatures_are_inspected_once_and_restored_after() -> None:
    config: Any = _Config()
    compat.remember_step_lookups(config)
    try:
        first = compat.bdd_scenario.signature(_step)
        assert first == inspect.signature(_step)
        assert compat.bdd_scenario.signature(_step) is first
        required = compat.bdd_scenario.get_required_args(_step)
        assert required == ["talk_context", "name"]
        required.append("changed by the caller")
        assert compat.bdd_scenario.get_required_args(_step) == ["talk_context", "name"]
    finally:
        for cleanup in config.cleanups:
            cleanup()
    assert compat.bdd_scenario.signature is inspect.signature
