"""Fixtures of the report tests: sample results files and rendered reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_helpers import RESULTS

from talk.report import Results, read_results


@pytest.fixture
def sample() -> Results:
    """Two documents with every status, two failures with evidence."""
    return read_results(RESULTS / "sample.json")


@pytest.fixture
def hostile() -> Results:
    """Every status, and text that would break HTML if it were not escaped."""
    return read_results(RESULTS / "hostile.json")


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "reports"
