"""The benchmark's own parts: figures and their verdicts, the scenario's world, the bare
feature, the memory probe. (The figures themselves come from `python -m bench`.)"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from bench.harness import bare_feature, run_pytest, steps_per_scenario
from bench.memory import probe
from bench.results import Figure, render_table, write_results
from bench.scenario import DOCUMENT, bench_document, edit_one_percent, floor_sync, world
from bench.sync import SyncTimings, sync_figures
from bench.timeline import phases


def test_a_figure_is_ok_only_when_measured_valid_and_on_target() -> None:
    assert Figure("a", 1.2, 1.5, "ratio").ok
    assert not Figure("a", 1.6, 1.5, "ratio").ok
    assert Figure("b", 1.6, 1.4, "ratio", higher_is_better=True).ok
    assert not Figure("b", 1.2, 1.4, "ratio", higher_is_better=True).ok
    assert not Figure("c", None, 3.0, "ratio").ok
    assert not Figure("c", math.nan, 3.0, "ratio").ok
    assert not Figure("d", 0.01, 0.1, "ratio", invalid=True).ok


def test_table_and_results_show_every_figure_with_its_target(tmp_path: Path) -> None:
    figures = [Figure("fast", 1.2, 1.5, "ratio"),
               Figure("broken", None, 3.0, "ratio", note="pytest features/ did not run")]
    table = render_table(figures)
    assert "fast" in table and "MISSED" in table and "n/a" in table
    assert "pytest features/ did not run" in table
    write_results(figures, tmp_path / "results.json")
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["fast"] == {"value": 1.2, "target": 1.5, "unit": "ratio", "ok": True,
                            "note": ""}
    assert data["broken"]["value"] is None and data["broken"]["ok"] is False


def test_a_noop_run_that_writes_fails_its_figure() -> None:
    timings = SyncTimings(100, floor=[1.0], full=[1.2], noop=[0.01], incremental=[0.02],
                          noop_writes=[3], edits=[1], incremental_requests=[2])
    figures = {f.name: f for f in sync_figures(timings)}
    assert not figures["noop_sync_vs_full"].ok
    assert "3 writes" in figures["noop_sync_vs_full"].note
    assert figures["full_sync_vs_floor"].value == 1.2
    assert figures["incremental_requests_per_change"].value == 2.0


def test_the_world_syncs_what_the_floor_creates(tmp_path: Path) -> None:
    dataflow = bench_document(tmp_path)
    with world(dataflow, 120) as floor_world:
        assert floor_sync(floor_world) == 120
    with world(dataflow, 120) as sync_world:
        first = sync_world.sync()
        assert first.totals()["created"] == 120 and first.failed == 0
        assert sync_world.sync().writes == 0
        edits = edit_one_percent(sync_world)
        assert edits == 2
        third = sync_world.sync()
        assert third.totals()["updated_to_target"] == edits
        assert third.requests <= 3 * edits + 4


def test_steps_per_scenario_counts_backgrounds_and_example_rows(tmp_path: Path) -> None:
    (tmp_path / "one.feature").write_text(
        "Feature: One\n"
        "  Background:\n    Given a document\n\n"
        "  Rule: A\n"
        "    Scenario: Plain\n      Given a record\n      When synced\n      Then linked\n\n"
        "    Scenario Outline: Rows\n      Given a record\n      Then <x>\n\n"
        "      Examples:\n        | x |\n        | 1 |\n        | 2 |\n        | 3 |\n",
        encoding="utf-8")
    # one item of 1 + 3 steps, three items of 1 + 2 steps: 13 steps / 4 items
    assert steps_per_scenario(tmp_path) == 3


def test_the_bare_feature_runs_its_scenarios(tmp_path: Path) -> None:
    bare_feature(tmp_path, scenarios=4, steps=3)
    run = run_pytest(["-p", "no:talk", "-p", "no:xdist", "--rootdir", str(tmp_path),
                      "-c", str(tmp_path / "pytest.ini"), str(tmp_path)], tmp_path)
    assert run.usable and run.items == 4 and run.failed == 0, run.output
    # the CPU the process used, and how loaded the machine was, go with its wall time
    assert run.cpu > 0 and run.load >= 0
    assert f"CPU {run.cpu:.1f}s" in run.cost() and f"load {run.load:.1f}" in run.cost()


def test_the_memory_probe_syncs_with_emulators_in_a_child_process() -> None:
    result = probe(60)
    assert result["created"] == 60 and result["failed"] == 0
    assert result["peak"] >= result["baseline"] > 0


def _events(*marks: tuple[str, str, float]) -> list[dict[str, Any]]:
    return [{"role": role, "event": event, "at": at} for role, event, at in marks]


def test_phases_split_a_serial_run_and_an_xdist_run_at_their_events() -> None:
    serial = _events(("main", "configured", 100.5), ("main", "collected", 100.7),
                     ("main", "first_item", 100.7), ("main", "last_item", 102.0),
                     ("main", "finished", 102.4))
    shown = phases(serial, 100.0, 102.6)
    assert list(shown) == ["start-up", "collection", "items", "report", "exit"]
    assert [round(v, 2) for v in shown.values()] == [0.5, 0.2, 1.3, 0.4, 0.2]
    workers = _events(("main", "configured", 100.5), ("worker", "collected", 101.4),
                      ("worker", "collected", 101.6), ("main", "last_item", 102.0),
                      ("main", "finished", 103.0))
    shown = phases(workers, 100.0, 103.1)
    assert round(shown["workers start and collect"], 2) == 1.1  # the later worker counts
    assert "collection" not in shown
    assert round(shown["report"], 2) == 1.0


def test_the_timeline_plugin_records_the_phases_of_a_real_run(tmp_path: Path) -> None:
    bare_feature(tmp_path, scenarios=3, steps=3)
    run = run_pytest(["-p", "no:talk", "-p", "no:xdist", "--rootdir", str(tmp_path),
                      "-c", str(tmp_path / "pytest.ini"), str(tmp_path)], tmp_path,
                     timeline=True)
    assert run.usable and run.items == 3, run.output
    assert list(run.phases) == ["start-up", "collection", "items", "report", "exit"]
    assert 0 < sum(run.phases.values()) <= run.seconds + 0.01
    assert run.memory is not None and run.memory[1] >= run.memory[0] > 0


def test_the_corpus_repeats_the_sample_under_other_names_and_names_what_it_left_out(
        tmp_path: Path) -> None:
    from bench.corpus import build_corpus

    root = Path(__file__).resolve().parents[2]
    sample = tmp_path / "sample"
    sample.mkdir()
    (sample / "a.rst").write_text(DOCUMENT, encoding="utf-8")
    (sample / "broken.rst").write_text("not a dataflow document\n", encoding="utf-8")
    sets = build_corpus(root, sample, tmp_path / "corpus", copies=3, sizes=[1, 3])
    assert [s.documents for s in sets] == [1, 3]
    assert [p.name for p in sorted(sets[1].features.glob("*.feature"))] == [
        "a-copy2.feature", "a-copy3.feature", "a.feature"]
    assert f'"{sample / "a.rst"}"' in (sets[1].features / "a.feature").read_text()
    assert '"dataflows/a-copy3.rst"' in (sets[1].features / "a-copy3.feature").read_text()
    assert (sets[1].folder / "dataflows" / "a-copy3.rst").is_file()
    assert len(sets[1].skipped) == 3 and sets[1].skipped[0].startswith("broken.rst: ")
    assert "testpaths" not in (sets[0].folder / "pytest.ini").read_text()
