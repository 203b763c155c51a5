"""The vocabulary `talk steps` prints is the one the step library binds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from talk.cli import main
from talk.harness.vocabulary import VOCABULARY

STEPS = Path(__file__).resolve().parents[2] / "talk" / "steps"


@pytest.mark.parametrize("entry", VOCABULARY, ids=lambda p: p.key)
def test_every_phrase_is_bound_and_its_example_matches(entry: object) -> None:
    from talk.harness.vocabulary import Phrase

    assert isinstance(entry, Phrase)
    source = "\n".join(p.read_text(encoding="utf-8") for p in STEPS.glob("*.py"))
    assert f'@bind("{entry.key}")' in source
    first_line = entry.example.splitlines()[0]
    keyword, _, text = first_line.partition(" ")
    assert keyword in entry.keywords
    assert re.fullmatch(entry.pattern, text), (entry.pattern, text)
    others = [p.key for p in VOCABULARY if p.key != entry.key
              and set(p.keywords) & set(entry.keywords) and re.fullmatch(p.pattern, text)]
    assert others == [], f"{text!r} is ambiguous with {others}"


def test_talk_steps_prints_every_phrase_with_its_example(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["steps"]) == 0
    out = capsys.readouterr().out
    for entry in VOCABULARY:
        assert entry.shape in out
        assert entry.example.splitlines()[0] in out
