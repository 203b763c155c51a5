"""`talk sync --emulate` over every sample document of the real family, together: the second
run (no edits in between) writes nothing and nothing escapes as an exception.

The documents are read in place from ../shared/corpus-sample (not redistributable, so not
copied into the project); the test skips, saying so, where that folder is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from talk.cli import main

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus-sample"


def _writes(total_line: str) -> int:
    """The writes of a run summary's total line (the summary leaves out a zero count)."""
    found = re.search(r"\bwrites (\d+)", total_line)
    return int(found.group(1)) if found else 0


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"{CORPUS} is absent: the sample documents "
                    "of the real family are read in place, never copied into the project")
def test_a_second_run_over_the_whole_sample_writes_nothing(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["sync", "--emulate", "--dataflows", str(CORPUS)])
    out, err = capsys.readouterr()
    assert code in (0, 1), err[-2000:]  # 1: some record failed, each with its reason
    assert "Traceback" not in err
    first, second = out.split("second run (no edits in between):")
    first_total = [line for line in first.splitlines() if line.startswith("total:")]
    second_total = [line for line in second.splitlines() if line.startswith("total:")]
    assert _writes(first_total[0]) > 1000  # the first run did sync the documents
    assert _writes(second_total[0]) == 0, second_total[0]
