"""harness_overhead and parallel_speedup: the checklist harness against bare pytest-bdd.

`pytest features/` runs the five documents' checklists (every item builds emulators, seeds,
syncs and checks); the bare run is a generated pytest-bdd feature with the same number of
scenarios and about the same number of steps per scenario, every step a no-op, and neither
the talk plugin nor the step library loaded. Both are timed as whole `python -m pytest`
processes (start-up and collection included), since that is what a tester waits for.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.results import Figure

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

    @property
    def usable(self) -> bool:
        return self.returncode in (0, 1) and self.items > 0


def run_pytest(args: list[str], cwd: Path) -> HarnessRun:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           *args], cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    tail = done.stdout.strip().splitlines()[-1:] or [""]
    counts: dict[str, int] = {}
    for number, kind in _SUMMARY.findall(tail[0]):
        counts[kind.rstrip("s") if kind.startswith("error") else kind] = int(number)
    failed = counts.get("failed", 0) + counts.get("error", 0)
    return HarnessRun(seconds, sum(counts.values()), failed, done.returncode,
                      (done.stdout + done.stderr)[-2000:])


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


def harness_figures(root: Path, say: object = None) -> list[Figure]:
    """Both harness figures (value None, with the reason, when `pytest features/` fails)."""
    with tempfile.TemporaryDirectory(prefix="talk-bench-harness-") as folder:
        reports = Path(folder) / "reports"
        serial = run_pytest(["features/", "-p", "no:xdist", "--talk-report", str(reports)],
                            root)
        if not serial.usable:
            why = (f"`pytest features/` did not run (exit {serial.returncode}): "
                   f"{serial.output.strip().splitlines()[-1:] or ['no output']}")
            return [_not_run("harness_overhead", 3.0, "ratio", why),
                    _not_run("parallel_speedup", 1.4, "ratio", why, higher=True)]
        parallel = run_pytest(["features/", "-n", "2", "--talk-report", str(reports)], root)
        bare_folder = Path(folder) / "bare"
        bare_folder.mkdir()
        steps = steps_per_scenario(root / "features")
        bare_feature(bare_folder, serial.items, steps)
        bare = run_pytest(["-p", "no:talk", "-p", "no:xdist", "--rootdir", str(bare_folder),
                           "-c", str(bare_folder / "pytest.ini"), str(bare_folder)],
                          bare_folder)
    failures = f"; {serial.failed} checklist items failed" if serial.failed else ""
    # Both runs include pytest's start-up; where bytecode is forbidden pytest re-does its
    # assert rewriting on every start, which weighs more on the (short) bare run.
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        failures += "; PYTHONDONTWRITEBYTECODE is set (no assert-rewrite cache)"
    figures = []
    if bare.usable:
        figures.append(Figure(
            "harness_overhead", (serial.seconds / serial.items) / (bare.seconds / bare.items),
            3.0, "ratio",
            note=f"{serial.items} items in {serial.seconds:.1f}s vs {bare.items} bare "
                 f"scenarios of {steps} steps in {bare.seconds:.1f}s{failures}",
            invalid=serial.failed > 0))
    else:
        figures.append(_not_run("harness_overhead", 3.0, "ratio",
                                f"the bare pytest-bdd run failed: {bare.output[-300:]}"))
    if parallel.usable:
        figures.append(Figure(
            "parallel_speedup", serial.seconds / parallel.seconds, 1.4, "ratio",
            higher_is_better=True,
            note=f"serial {serial.seconds:.1f}s, -n 2 {parallel.seconds:.1f}s{failures}",
            invalid=serial.failed > 0 or parallel.failed > 0))
    else:
        figures.append(_not_run("parallel_speedup", 1.4, "ratio",
                                f"`pytest features/ -n 2` failed: {parallel.output[-300:]}",
                                higher=True))
    return figures
