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
