"""Under `-n 2` a checklist with failing items gives the serial run's results.json items."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from project import REPO

from talk.dataflow.parser import parse_file
from talk.gherkin.generate import render_feature

pytest_plugins = ["pytester"]

SAMPLE = REPO.parent / "shared" / "corpus-sample" / "zohocrm-exact.rst"


def _items(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for document in data["documents"]:
        for section in document["sections"]:
            for item in section["items"]:
                item.pop("duration")
                found.append(dict(item, section=section["title"], file=document["file"]))
    return found


@pytest.mark.skipif(not SAMPLE.is_file(), reason="the corpus sample (../shared) is absent")
def test_failing_items_are_reported_alike_serial_and_with_two_workers(
        pytester: pytest.Pytester) -> None:
    features = pytester.path / "features"
    features.mkdir()
    (features / "zohocrm-exact.feature").write_text(
        render_feature(parse_file(SAMPLE), str(SAMPLE)), encoding="utf-8")
    serial = pytester.runpytest_subprocess("features", "--talk", "-p", "no:xdist",
                                           "--talk-report", "serial")
    parallel = pytester.runpytest_subprocess("features", "--talk", "-n", "2", "--talk-report",
                                             "parallel")
    assert serial.ret == parallel.ret == 1
    one, two = _items(pytester.path / "serial" / "results.json"), _items(
        pytester.path / "parallel" / "results.json")
    assert any(item["status"] == "failed" for item in one)
    assert one == two
