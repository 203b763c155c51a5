"""results.json as written: every item on a line of its own, and read back as it was."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from talk.report.results import DocumentResult, Item, Results, SectionResult, load_results


def _results() -> Results:
    evidence = {"sent": [{"method": "POST", "body": {"name": "Ærø \"quoted\"\nline"}}],
                "note": "checked"}
    items = [Item("property", f"row {n}", 10 + n, "failed" if n else "passed",
                  message=f"message {n}", evidence=evidence, nodeid=f"f.feature::t[{n}]")
             for n in range(3)]
    document = DocumentResult("dataflows/a.rst", "A", "Keap", "WebCRM", generated="2024-01-01",
                              sections=[SectionResult("Section", 8, items)],
                              emulation={"Keap": "Keap REST v1 emulator"})
    return Results("2026-12-07T00:00:00+00:00", [document]).finish()


def test_each_item_is_one_line_and_the_file_reads_back_unchanged(tmp_path: Path) -> None:
    results = _results()
    path = tmp_path / "results.json"
    results.write(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    for item in results.documents[0].sections[0].items:
        as_line = json.dumps(asdict(item), ensure_ascii=False)
        assert sum(line.strip().rstrip(",") == as_line for line in lines) == 1, item.nodeid
    assert json.loads(path.read_text(encoding="utf-8"))["totals"] == results.totals
    again = load_results(path)
    assert again == results


def test_the_file_is_written_as_it_is_encoded_not_built_whole(tmp_path: Path) -> None:
    """At corpus scale the whole text, built level by level, took several times its size."""
    import tracemalloc

    evidence = {"sent": [{"method": "POST", "body": {"note": "x" * 2000}}]}
    items = [Item("property", f"row {n}", n, "passed", evidence=evidence,
                  nodeid=f"f.feature::t[{n}]") for n in range(1000)]
    results = Results("2026-12-07T00:00:00+00:00", [DocumentResult(
        "a.rst", "A", "Keap", "WebCRM", sections=[SectionResult("S", 1, items)])]).finish()
    path = tmp_path / "results.json"
    tracemalloc.start()
    try:
        results.write(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = path.stat().st_size
    assert size > 2_000_000
    assert peak < size / 4, (peak, size)
