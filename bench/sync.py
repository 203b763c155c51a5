"""Sync timings: the initial run against its floor, a no-op run and a 1% incremental run.

Per repetition, a floor world and a sync world are built fresh and timed one after the
other (the order alternates), so drift on a noisy machine hits both; the figures are the
medians of the per-repetition ratios.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass, field

from bench.results import Figure
from bench.scenario import edit_one_percent, floor_sync, world
from talk.dataflow.model import Dataflow

__all__ = ["SyncTimings", "measure_sync", "sync_figures"]


@dataclass
class SyncTimings:
    records: int
    floor: list[float] = field(default_factory=list)
    full: list[float] = field(default_factory=list)
    noop: list[float] = field(default_factory=list)
    incremental: list[float] = field(default_factory=list)
    noop_writes: list[int] = field(default_factory=list)
    edits: list[int] = field(default_factory=list)
    incremental_requests: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _time_floor(dataflow: Dataflow, records: int, timings: SyncTimings) -> None:
    with world(dataflow, records) as floor_world:
        started = time.perf_counter()
        created = floor_sync(floor_world)
        timings.floor.append(time.perf_counter() - started)
    if created != records:
        timings.problems.append(f"the floor created {created} of {records} records")


def _time_sync(dataflow: Dataflow, records: int, timings: SyncTimings) -> None:
    with world(dataflow, records) as sync_world:
        started = time.perf_counter()
        first = sync_world.sync()
        timings.full.append(time.perf_counter() - started)
        totals = first.totals()
        if totals["created"] != records or first.failed:
            timings.problems.append(f"the initial sync created {totals['created']} of "
                                    f"{records} records, {first.failed} failed")
        started = time.perf_counter()
        second = sync_world.sync()
        timings.noop.append(time.perf_counter() - started)
        timings.noop_writes.append(second.writes)
        edits = edit_one_percent(sync_world)
        started = time.perf_counter()
        third = sync_world.sync()
        timings.incremental.append(time.perf_counter() - started)
        timings.edits.append(edits)
        timings.incremental_requests.append(third.requests)
        if third.totals()["updated_to_target"] != edits or third.failed:
            timings.problems.append(f"the incremental sync updated "
                                    f"{third.totals()['updated_to_target']} of {edits} edits")


def measure_sync(dataflow: Dataflow, records: int, repetitions: int) -> SyncTimings:
    timings = SyncTimings(records)
    for number in range(repetitions):
        _say(f"sync of {records} records, repetition {number + 1} of {repetitions}")
        steps = [_time_floor, _time_sync]
        for step in steps if number % 2 == 0 else reversed(steps):
            step(dataflow, records, timings)
        _say(f"  floor {timings.floor[-1]:.2f}s, initial {timings.full[-1]:.2f}s, "
             f"no-op {timings.noop[-1]:.3f}s, incremental {timings.incremental[-1]:.3f}s "
             f"({timings.incremental_requests[-1]} requests for {timings.edits[-1]} edits)")
    return timings


def _median_ratio(numerators: list[float], denominators: list[float]) -> float:
    return statistics.median(n / d for n, d in zip(numerators, denominators, strict=True))


def sync_figures(timings: SyncTimings) -> list[Figure]:
    n = timings.records
    problems = "; ".join(timings.problems)
    noop_writes = max(timings.noop_writes)
    noop = Figure("noop_sync_vs_full", _median_ratio(timings.noop, timings.full), 0.10,
                  "ratio", note=f"the no-op run made {noop_writes} writes (must be 0)"
                  if noop_writes else "0 writes", invalid=noop_writes > 0)
    per_change = statistics.median(r / e for r, e in zip(timings.incremental_requests,
                                                         timings.edits, strict=True))
    return [
        Figure("full_sync_vs_floor", _median_ratio(timings.full, timings.floor), 1.5,
               "ratio", note=problems or f"N={n}, median of {len(timings.full)} "
               f"interleaved runs (floor median {statistics.median(timings.floor):.2f}s)"),
        noop,
        Figure("incremental_requests_per_change", per_change, 2.5, "requests/edit",
               note=f"{timings.edits[0]} edits (1% of N)"),
        Figure("incremental_vs_full", _median_ratio(timings.incremental, timings.full),
               0.05, "ratio"),
    ]
