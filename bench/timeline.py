"""A pytest plugin (`-p bench.timeline`) that notes when each phase of a run ends.

The harness figures time whole `python -m pytest` processes; this says where that time
goes (start-up, collection, the items, the report), which is the profile that explains a
missed `parallel_speedup`. Each process appends JSON lines `{"role", "event", "at"}` (wall
clock, comparable across the processes of an xdist run; with the resident set size "rss"
then, and at "finished" the process's peak "peak") to the file named by
$TALK_BENCH_TIMELINE; without it the plugin does nothing.
"""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["ENVIRONMENT", "Phases", "memory", "phases", "read_events"]

ENVIRONMENT = "TALK_BENCH_TIMELINE"
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * _PAGE


def _note(config: pytest.Config, event: str) -> None:
    target = os.environ.get(ENVIRONMENT)
    if not target:
        return
    role = "worker" if hasattr(config, "workerinput") else "main"
    line: dict[str, Any] = {"role": role, "event": event, "at": time.time(), "rss": _rss()}
    if event == "finished":
        line["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with open(target, "a", encoding="utf-8") as file:
        file.write(json.dumps(line) + "\n")


class _Items:
    """First item started and last item finished, as the main process sees them."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.started = False

    def pytest_runtest_logstart(self) -> None:
        if not self.started:
            self.started = True
            _note(self.config, "first_item")

    def pytest_runtest_logfinish(self) -> None:
        _note(self.config, "last_item")


def pytest_configure(config: pytest.Config) -> None:
    _note(config, "configured")
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(_Items(config), "bench-timeline-items")


def pytest_collection_finish(session: pytest.Session) -> None:
    _note(session.config, "collected")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> Generator[None, Any, Any]:
    _note(session.config, "finishing")
    try:
        return (yield)
    finally:
        _note(session.config, "finished")


def read_events(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


class Phases(dict[str, float]):
    """Seconds per phase, in the order they happen."""

    def shown(self) -> str:
        return ", ".join(f"{name} {seconds:.1f}s" for name, seconds in self.items())


def phases(events: list[dict[str, Any]], started: float, ended: float) -> Phases:
    """From the events of one run: start-up, (workers up,) collection, items, report, exit.

    `started` and `ended` are the wall-clock start and end of the pytest process."""
    def last(role: str, event: str) -> float | None:
        times = [e["at"] for e in events if e["role"] == role and e["event"] == event]
        return max(times) if times else None

    marks = [("start-up", last("main", "configured"))]
    if any(e["role"] == "worker" for e in events):
        marks.append(("workers start and collect", last("worker", "collected")))
    else:
        marks.append(("collection", last("main", "collected")))
    marks += [("items", last("main", "last_item")), ("report", last("main", "finished")),
              ("exit", ended)]
    out = Phases()
    previous = started
    for name, at in marks:
        if at is None:
            continue
        out[name] = max(at - previous, 0.0)
        previous = at
    return out


def memory(events: list[dict[str, Any]]) -> tuple[int, int] | None:
    """The main process's RSS once configured and its peak at the end, in bytes."""
    start = [e.get("rss") for e in events if e["role"] == "main" and e["event"] == "configured"]
    end = [e.get("peak") for e in events if e["role"] == "main" and e["event"] == "finished"]
    if not start or not end or start[0] is None or end[-1] is None:
        return None
    return int(start[0]), int(end[-1])
