"""`talk lint` on malformed documents: literal `file:line: level: message` lines, exit codes,
one bad file never stopping the others, and the JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from talk.cli import main

ROOT = Path(__file__).resolve().parents[2]
MALFORMED = ROOT / "tests" / "data" / "malformed"

EXPECTED_LINES = {
    "wrong-column-count.rst": [
        "26: error: table at line 20 has 2 columns in row 2 (line 26), the header has 3"],
    "missing-title.rst": [
        "1: error: the document has no title: expected '<Source system> to <Target system> "
        "Dataflow' between two lines of '='"],
    "unterminated-table.rst": [
        "83: error: table at line 74 is cut off at the end of the file: row 3 (line 83) has 2 "
        "columns, the header has 3"],
    "unknown-shape-sentence.rst": [
        "33: error: unknown sentence in section 'Keap Opportunity to Webcrm Opportunities': "
        "'Every Keap Opportunity will be mirrored into a Webcrm Opportunities.'"],
    "missing-system-name.rst": [
        "2: warning: the title 'Keap to  Dataflow' names no target system",
        "12: warning: the heading 'Keap Products to  Sesamproducts' names no system for the "
        "target 'Sesamproducts'"],
    "no-sections.rst": [
        "2: warning: the document has no sections: it synchronizes nothing"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_LINES))
def test_malformed_document_gives_the_expected_line(name: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = MALFORMED / name
    code = main(["lint", str(path)])
    out = capsys.readouterr().out
    assert out.splitlines() == [f"{path}:{line}" for line in EXPECTED_LINES[name]]
    has_error = any(": error: " in line for line in EXPECTED_LINES[name])
    assert code == (1 if has_error else 0)


def test_a_bad_file_never_stops_the_others(capsys: pytest.CaptureFixture[str]) -> None:
    good = ROOT / "dataflows" / "keap-to-webcrm.rst"
    code = main(["lint", str(MALFORMED), str(good)])
    captured = capsys.readouterr()
    expected = [f"{MALFORMED / name}:{line}" for name in sorted(EXPECTED_LINES)
                for line in EXPECTED_LINES[name]]
    assert captured.out.splitlines() == expected
    assert code == 1
    assert "7 files, 4 errors, 3 warnings" in captured.err


def test_valid_documents_lint_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["lint", str(ROOT / "dataflows"), *map(str, sorted((ROOT / "tests" / "data")
                                                                   .glob("*.rst")))])
    out = capsys.readouterr().out
    assert code == 0
    assert ": error: " not in out


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    good = ROOT / "dataflows" / "keap-to-webcrm.rst"
    code = main(["lint", str(tmp_path / "nope.rst"), str(good)])
    captured = capsys.readouterr()
    assert code == 2
    assert "nope.rst: no such file or folder" in captured.err
    assert captured.out == ""


def test_json_has_one_entry_per_file_and_errors_without_sections(
        capsys: pytest.CaptureFixture[str]) -> None:
    paths = [MALFORMED / "missing-title.rst", MALFORMED / "unknown-shape-sentence.rst"]
    code = main(["lint", "--format", "json", *map(str, paths)])
    captured = capsys.readouterr()
    entries = json.loads(captured.out)
    assert code == 1
    broken, readable = entries
    assert broken == {
        "file": str(paths[0]),
        "error": {"line": 1, "message": "the document has no title: expected '<Source system> "
                                        "to <Target system> Dataflow' between two lines of '='"},
        "findings": [{"line": 1, "level": "error",
                      "message": broken["error"]["message"]}],
    }
    assert set(readable) == {"file", "source_system", "target_system", "generated", "sections",
                             "findings"}
    assert [f["level"] for f in readable["findings"]] == ["error"]
    opportunity = readable["sections"][1]
    assert set(opportunity) == {"title", "line", "shape", "source", "target", "properties",
                                "merge_criteria", "condition", "connected_to", "duplicate_of"}
    assert opportunity["source"] == {"system": "Keap", "entity": "Opportunity",
                                     "qualifier": None}
    assert isinstance(opportunity["shape"], int)


def test_lint_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["lint", "--help"])
    assert raised.value.code == 0
    assert "--format" in capsys.readouterr().out
