"""`talk generate`: one deterministic, parseable, marked feature per document."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from gherkin.parser import Parser

from talk.cli import main
from talk.dataflow.parser import parse_file
from talk.gherkin.generate import GENERATED_MARK, render_feature

DATA = Path(__file__).resolve().parents[1] / "data"
REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted((REPO / "dataflows").glob("*.rst")) + sorted(DATA.glob("*.rst"))


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.stem)
def test_every_document_gives_a_parseable_deterministic_feature(document: Path) -> None:
    dataflow = parse_file(document)
    text = render_feature(dataflow, f"dataflows/{document.name}")
    assert text == render_feature(parse_file(document), f"dataflows/{document.name}")
    assert text.startswith(f"{GENERATED_MARK}dataflows/{document.name}: do not edit by hand")
    parsed = Parser().parse(text)
    assert parsed["feature"]["name"] == dataflow.title


def test_hostile_document_text_keeps_its_meaning() -> None:
    dataflow = parse_file(Path(__file__).parent / "data" / "hostile.rst")
    parsed: Any = Parser().parse(render_feature(dataflow, "dataflows/hostile.rst"))
    rule = parsed["feature"]["children"][1]["rule"]
    docstrings = [step["docString"]["content"] for child in rule["children"]
                  for step in child["scenario"]["steps"] if "docString" in step]
    sentence = dataflow.sections[0].sentences[0].text
    assert '"quoted" | piped # hash <b>bold</b> \\back æøå' in sentence
    assert sentence in docstrings  # the condition, word for word, for the tester
    tags = {tag["name"] for child in rule["children"] for tag in child["scenario"]["tags"]}
    assert {"@manual", "@condition"} <= tags


def _generate(*args: str) -> int:
    return main(["generate", *args])


def test_check_names_missing_stale_and_extra_files_and_spares_hand_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(REPO / "dataflows", "dataflows")
    handwritten = tmp_path / "features" / "handwritten" / "mine.feature"
    handwritten.parent.mkdir(parents=True)
    handwritten.write_text("Feature: mine\n", encoding="utf-8")

    assert _generate("--check", "dataflows") == 1
    assert "keap-to-webcrm.feature: missing" in capsys.readouterr().out
    assert _generate("dataflows") == 0
    assert _generate("--check", "dataflows") == 0

    feature = tmp_path / "features" / "keap-to-webcrm.feature"
    feature.write_text(feature.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    extra = tmp_path / "features" / "gone.feature"
    extra.write_text(f"{GENERATED_MARK}dataflows/gone.rst: do not edit by hand.\n",
                     encoding="utf-8")
    capsys.readouterr()
    assert _generate("--check", "dataflows") == 1
    out = capsys.readouterr().out
    assert "keap-to-webcrm.feature: stale" in out and "gone.feature: extra" in out
    assert "mine.feature" not in out
    assert _generate("dataflows") == 0
    assert "# edited" not in feature.read_text(encoding="utf-8")
    assert handwritten.read_text(encoding="utf-8") == "Feature: mine\n"


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    assert _generate("--out", str(tmp_path), str(tmp_path / "nope.rst")) == 2


def test_committed_features_are_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    assert _generate("--check", "--out", "features", "dataflows") == 0
