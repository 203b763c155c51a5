"""harness_overhead and parallel_speedup: the checklist harness against bare pytest-bdd.

`pytest features/` runs the five documents' checklists (every item builds emulators, seeds,
syncs and checks); the bare run is a generated pytest-bdd feature with the same number of
scenarios and about the same number of steps per scenario, every step a no-op, and neither
the talk plugin nor the step library loaded. Both are timed as whole `python -m pytest`
processes (start-up and collection included), since that is what a tester waits for, the
way `python3 tasks.py checklist` runs them: with Python's bytecode cache allowed even where
PYTHONDONTWRITEBYTECODE is set (without it every run compiles talk's modules again, a cost
of the machine's setting that the bare run, a single module, barely pays).

Each repetition times the serial run, the bare run and the `-n 2` run, in alternating order;
the figures are medians of the per-repetition ratios. The talk runs carry `bench.timeline`,
whose phases (start-up, collection or workers, items, report, exit) go into the notes.
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.results import Figure
from bench.timeline import ENVIRONMENT, Phases, memory, phases, read_events

__all__ = ["HarnessRun", "bare_feature", "harness_figures", "run_pytest"]

_SUMMARY = re.compile(r"(\d+) (passed|failed|skipped|xfailed|xpassed|errors?)\b")
_STEP = re.compile(r"^\s*(Given|When|Then|And|But|\*)\s")
_SCENARIO = re.compile(r"^\s*(Scenario|Scenario Outline|Scenario Template|Example):")
_ROW = re.compile(r"^\s*\|")


@dataclass
class HarnessRun:
    seconds: float
    items: int
    failed: int
    returncode: int
    output: str
    phases: Phases = field(default_factory=Phases)
    memory: tuple[int, int] | None = None  # with a timeline: RSS configured, peak (bytes)
    cpu: float = 0.0  # CPU seconds of the process and its xdist workers (user + system)
    load: float = 0.0  # the machine's 1-minute load average when the run started

    @property
    def usable(self) -> bool:
        return self.returncode in (0, 1) and self.items > 0

    def cost(self) -> str:
        """Wall and CPU seconds with the load average: on a shared machine a run with
        two workers gains only what CPU the others leave, which the CPU seconds show."""
        return f"{self.seconds:.1f}s, CPU {self.cpu:.1f}s, load {self.load:.1f}"


def run_pytest(args: list[str], cwd: Path, *, timeline: bool = False) -> HarnessRun:
    """One `python -m pytest -q` process, timed whole; with `timeline`, its phases too."""
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="talk-bench-timeline-") as folder:
        events = Path(folder) / "events.jsonl"
        if timeline:
            env[ENVIRONMENT] = str(events)
            env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(Path(__file__).resolve().parents[1]),
                              env.get("PYTHONPATH")]))
            args = ["-p", "bench.timeline", *args]
        load = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started_at = time.time()
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p",
                               "no:cacheprovider", *args], cwd=cwd, capture_output=True,
                              text=True, check=False, env=env)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        recorded = read_events(events)
        run_phases = phases(recorded, started_at, started_at + seconds)
    # pytest's summary line; the talk plugin's lines (`talk: open ...`) may follow it
    tail = [line for line in done.stdout.strip().splitlines()
            if not line.startswith("talk: ")][-1:] or [""]
    counts: dict[str, int] = {}
    for number, kind in _SUMMARY.findall(tail[0]):
        counts[kind.rstrip("s") if kind.startswith("error") else kind] = int(number)
    failed = counts.get("failed", 0) + counts.get("error", 0)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return HarnessRun(seconds, sum(counts.values()), failed, done.returncode,
                      (done.stdout + done.stderr)[-2000:], run_phases, memory(recorded), cpu,
                      load)


def steps_per_scenario(features: Path) -> int:
    """About how many steps a checklist item runs, backgrounds included (rounded)."""
    items = steps = 0
    for path in sorted(features.glob("*.feature")):
        background = 0
        scenarios: list[list[int]] = []  # per scenario: [own steps, example rows]
        where = ""  # "background" | "scenario" | "examples"
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if text.startswith("Background:"):
                where = "background"
            elif _SCENARIO.match(line):
                where = "scenario"
                scenarios.append([0, 0])
            elif text.startswith(("Rule:", "Feature:")):
                where = ""
            elif text.startswith("Examples:") and where == "scenario":
                where = "examples"
            elif _STEP.match(line) and where == "background":
                background += 1
            elif _STEP.match(line) and where == "scenario":
                scenarios[-1][0] += 1
            elif _ROW.match(line) and where == "examples":
                scenarios[-1][1] += 1
        for own, rows in scenarios:
            count = max(rows - 1, 1)  # an outline's header row is not an item
            items += count
            steps += count * (own + background)
    return max(1, round(steps / items)) if items else 3


def bare_feature(folder: Path, scenarios: int, steps: int) -> None:
    """A pytest-bdd feature of `scenarios` scenarios of `steps` no-op steps, and its tests."""
    lines = ["Feature: Bare", ""]
    for number in range(scenarios):
        lines.append(f"  Scenario: Bare scenario {number}")
        lines.append("    Given a bare precondition")
        lines += ["    When a bare action"] * max(steps - 2, 0)
        lines.append("    Then a bare outcome")
        lines.append("")
    (folder / "bare.feature").write_text("\n".join(lines), encoding="utf-8")
    (folder / "test_bare.py").write_text(
        "from pytest_bdd import given, scenarios, then, when\n\n"
        "scenarios('bare.feature')\n\n\n"
        "@given('a bare precondition')\ndef bare_precondition() -> None:\n    pass\n\n\n"
        "@when('a bare action')\ndef bare_action() -> None:\n    pass\n\n\n"
        "@then('a bare outcome')\ndef bare_outcome() -> None:\n    pass\n",
        encoding="utf-8")
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")


def _not_run(name: str, target: float, unit: str, why: str, higher: bool = False) -> Figure:
    return Figure(name, None, target, unit, higher_is_better=higher, note=why)


def _median_phases(runs: list[HarnessRun]) -> str:
    names = list(runs[0].phases) if runs else []
    return ", ".join(f"{name} {statistics.median(r.phases.get(name, 0.0) for r in runs):.1f}s"
                     for name in names)


def _failed(run: HarnessRun) -> str:
    return (f"exit {run.returncode}: "
            f"{run.output.strip().splitlines()[-1:] or ['no output']}")


def harness_figures(root: Path, repetitions: int = 2,
                    say: Callable[[str], None] = lambda message: None) -> list[Figure]:
    """Both harness figures (value None, with the reason, when a run fails)."""
    serial: list[HarnessRun] = []
    parallel: list[HarnessRun] = []
    bare: list[HarnessRun] = []
    steps = steps_per_scenario(root / "features")
    with tempfile.TemporaryDirectory(prefix="talk-bench-harness-") as folder:
        reports = Path(folder) / "reports"
        bare_folder = Path(folder) / "bare"
        bare_folder.mkdir()

        def run_serial() -> None:
            serial.append(run_pytest(["features/", "-p", "no:xdist", "--talk-report",
                                      str(reports)], root, timeline=True))

        def run_parallel() -> None:
            parallel.append(run_pytest(["features/", "-n", "2", "--talk-report",
                                        str(reports)], root, timeline=True))

        def run_bare() -> None:
            if not (bare_folder / "bare.feature").exists():
                bare_feature(bare_folder, serial[0].items, steps)
            bare.append(run_pytest(["-p", "no:talk", "-p", "no:xdist", "--rootdir",
                                    str(bare_folder), "-c", str(bare_folder / "pytest.ini"),
                                    str(bare_folder)], bare_folder))

        for number in range(repetitions):
            order = [run_serial, run_bare, run_parallel]
            for run in order if number % 2 == 0 else reversed(order):
                run()
                if not serial[0].usable:
                    why = f"`pytest features/` did not run ({_failed(serial[0])})"
                    return [_not_run("harness_overhead", 3.0, "ratio", why),
                            _not_run("parallel_speedup", 1.4, "ratio", why, higher=True)]
            say(f"  repetition {number + 1} of {repetitions}: serial {serial[-1].cost()}, "
                f"bare {bare[-1].cost()}, -n 2 {parallel[-1].cost()}")
    failed = max(run.failed for run in serial)
    failures = f"; {failed} checklist items failed" if failed else ""
    items = serial[0].items
    figures = []
    if all(run.usable for run in bare):
        overhead = statistics.median((s.seconds / s.items) / (b.seconds / b.items)
                                     for s, b in zip(serial, bare, strict=True))
        figures.append(Figure(
            "harness_overhead", overhead, 3.0, "ratio",
            note=f"median of {repetitions}: {items} items in "
                 f"{statistics.median(r.seconds for r in serial):.1f}s ("
                 f"{_median_phases(serial)}) vs {bare[0].items} bare scenarios of {steps} "
                 f"steps in {statistics.median(r.seconds for r in bare):.1f}s{failures}",
            invalid=failed > 0))
    else:
        broken = next(run for run in bare if not run.usable)
        figures.append(_not_run("harness_overhead", 3.0, "ratio",
                                f"the bare pytest-bdd run failed: {broken.output[-300:]}"))
    if all(run.usable for run in parallel):
        speedup = statistics.median(s.seconds / p.seconds
                                    for s, p in zip(serial, parallel, strict=True))
        figures.append(Figure(
            "parallel_speedup", speedup, 1.4, "ratio", higher_is_better=True,
            note=f"median of {repetitions}: serial "
                 f"{statistics.median(r.seconds for r in serial):.1f}s, -n 2 "
                 f"{statistics.median(r.seconds for r in parallel):.1f}s ("
                 f"{_median_phases(parallel)}); CPU serial "
                 f"{statistics.median(r.cpu for r in serial):.1f}s, -n 2 "
                 f"{statistics.median(r.cpu for r in parallel):.1f}s; load average "
                 f"{min(r.load for r in serial + parallel):.1f}-"
                 f"{max(r.load for r in serial + parallel):.1f}{failures}",
            invalid=failed > 0 or any(run.failed for run in parallel)))
    else:
        broken = next(run for run in parallel if not run.usable)
        figures.append(_not_run("parallel_speedup", 1.4, "ratio",
                                f"`pytest features/ -n 2` failed: {broken.output[-300:]}",
                                higher=True))
    return figures
