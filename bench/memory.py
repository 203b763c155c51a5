"""memory_growth: how the sync's peak memory grows from N/10 to N records.

What is measured: each size runs in a fresh Python process (`python -m bench.memory
--records N`) whose emulated servers live in a child process (bench.remote), so the
measured process holds only the engine, the real connectors and the SQLite link store.
Baseline: resident set size (RSS, /proc/self/statm) after the emulators are seeded and the
engine is built. Peak: the highest RSS seen by a thread sampling every 2 ms during the
initial sync, and at its end. Growth = peak - baseline. The figure is
(growth at N / growth at N/10) / 10: 1.0 means memory grows linearly with the records,
about 0.1 means it does not grow with them at all.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from bench.remote import EmulatorProcess, PipeAdapter
from bench.results import Figure
from bench.scenario import bench_document
from talk.sync.emulated import EmulatedSystems
from talk.sync.engine import SyncEngine
from talk.sync.store import SqliteLinkStore

__all__ = ["memory_figure", "probe"]

_PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024


def rss() -> int:
    """This process's resident set size in bytes."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * _PAGE


class _Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = rss()
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.002):
            self.peak = max(self.peak, rss())

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return max(self.peak, rss())


def probe(records: int) -> dict[str, Any]:
    """One initial sync of `records` records; RSS baseline and peak, in bytes."""
    with tempfile.TemporaryDirectory(prefix="talk-bench-memory-") as folder:
        dataflow = bench_document(Path(folder))
        emulators = EmulatorProcess(dataflow.path, records)
        try:
            systems = EmulatedSystems([dataflow])  # its connectors; its emulators stay idle
            for key, connector in systems.connectors.items():
                connector.session.mount("https://", PipeAdapter(emulators, key))
            store = SqliteLinkStore(Path(folder) / "state.db")
            engine = SyncEngine([dataflow], systems.connectors, store)
            gc.collect()
            baseline = rss()
            sampler = _Sampler()
            sampler.start()
            report = engine.run()
            peak = sampler.stop()
            store.close()
        finally:
            emulators.close()
    return {"records": records, "baseline": baseline, "peak": peak,
            "growth": peak - baseline, "created": report.totals()["created"],
            "failed": report.failed}


def _run_probe(records: int) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "bench.memory", "--records", str(records)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the memory probe for {records} records failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def memory_figure(records: int) -> Figure:
    small, large = (_run_probe(n) for n in (records // 10, records))
    for result in (small, large):
        if result["created"] != result["records"] or result["failed"]:
            raise RuntimeError(f"the memory probe's sync created {result['created']} of "
                               f"{result['records']} records")
    note = (f"RSS growth {small['growth'] / MIB:.1f} MiB at N={small['records']}, "
            f"{large['growth'] / MIB:.1f} MiB at N={large['records']} "
            "(emulators in a child process)")
    value = (large["growth"] / max(small["growth"], 1)) / 10
    return Figure("memory_growth", value, 0.5, "ratio (1.0 = linear)", note=note)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory",
                                     description="One memory probe (used by python -m bench).")
    parser.add_argument("--records", type=int, required=True)
    args = parser.parse_args()
    print(json.dumps(probe(args.records)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
