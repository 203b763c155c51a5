"""`talk report RESULTS --out DIR [--baseline FILE] [--dataflows DIR]`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from report_helpers import DATA, RESULTS, read_page, words

from talk.cli import main


def test_writes_the_pages_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "html"
    assert main(["report", str(RESULTS / "sample.json"), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "index.html", "keap-to-webcrm.html", "superoffice-to-tripletex.html"]
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing on stdout but machine output, and there is none
    assert "wrote 3 files" in captured.err


def test_out_defaults_to_the_results_folder(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    shutil.copy(RESULTS / "sample.json", results)
    assert main(["report", str(results)]) == 0
    assert (tmp_path / "index.html").is_file()


def test_dataflows_folder_lets_pages_mirror_documents(tmp_path: Path) -> None:
    out = tmp_path / "html"
    assert main(["report", str(RESULTS / "sample.json"), "--out", str(out),
                 "--dataflows", str(DATA)]) == 0
    page = read_page(out / "superoffice-to-tripletex.html")
    text = words(next(e for e in page.elements if e.tag == "main"))
    assert "line 14 Before any synchronization can take place" in text
    assert "The document itself was not available" not in text


def test_missing_document_falls_back_to_items(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "html"
    assert main(["report", str(RESULTS / "sample.json"), "--out", str(out),
                 "--dataflows", str(tmp_path)]) == 0
    assert "document not found" in capsys.readouterr().err


def test_baseline_marks_changes(tmp_path: Path) -> None:
    out = tmp_path / "html"
    assert main(["report", str(RESULTS / "sample.json"), "--out", str(out),
                 "--baseline", str(RESULTS / "baseline.json")]) == 0
    page = read_page(out / "superoffice-to-tripletex.html")
    assert "new failure, was passed" in [words(e) for e in page.by_class("change")]


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such results file"),
    ("{not json", "not valid JSON"),
    ("[]", "the top level must be an object"),
    ('{"documents": [{"title": "x"}]}', "documents[0]: 'file' is missing"),
    ('{"documents": [{"file": "a.rst", "sections": [{"title": "s", "items": [{"kind": "k", '
     '"text": "t", "line": 1, "status": "ok"}]}]}]}',
     "documents[0].sections[0].items[0].status: 'ok' is not one of passed, failed"),
    ('{"documents": [{"file": "a.rst", "sections": [{"title": "s", "items": [{"kind": "k", '
     '"text": "t", "line": "1", "status": "passed"}]}]}]}',
     "documents[0].sections[0].items[0].line: wrong type str"),
])
def test_unreadable_results_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   content: str | None, message: str) -> None:
    results = tmp_path / "results.json"
    if content is not None:
        results.write_text(content, encoding="utf-8")
    for argv in (["report", str(results), "--out", str(tmp_path / "a")],
                 ["report", str(RESULTS / "sample.json"), "--baseline", str(results),
                  "--out", str(tmp_path / "b")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"talk report: {results}") and message in err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_help_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--help"])
    assert exit_info.value.code == 0
    assert "--baseline FILE" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["report"])
    assert exit_info.value.code == 2
