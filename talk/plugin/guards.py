"""Mistakes a tester makes in a feature file that would otherwise pass silently or fail
with pytest internals: a scenario without a Then step, a step written with a lower-case
keyword (Gherkin reads `given ...` as description text), and a step no definition matches.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from talk.harness.vocabulary import VOCABULARY

__all__ = ["feature_problems", "step_suggestions"]

_KEYWORDS = ("Given", "When", "Then", "And", "But")
_LOWER = re.compile(r"^\s*(given|when|then|and|but)\s+(?P<text>\S.*)$")


@lru_cache(maxsize=256)
def feature_problems(feature: Any, shown: str) -> dict[int, str]:
    """Per scenario line, what is wrong with that scenario ({} when nothing), from the
    feature pytest-bdd parsed (`pytest_bdd.parser.Feature`): parsing each feature file a
    second time here cost as much as collecting it."""
    from talk.harness.compat import written_scenarios

    try:
        lines = Path(feature.filename).read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    backgrounds: dict[int, list[str]] = {}
    problems: dict[int, str] = {}
    for scenario in written_scenarios(feature):
        found = []
        for line in scenario.background_lines:
            if line not in backgrounds:
                backgrounds[line] = _lower_case_steps(line, lines, shown)
            found += backgrounds[line]
        found += _lower_case_steps(scenario.line, lines, shown)
        if not scenario.has_then and "manual" not in scenario.tags:
            found.append(f"{shown} line {scenario.line}: the scenario has no Then step, so "
                         "it would pass without checking anything")
        if found:
            problems[scenario.line] = "; ".join(found)
    return problems


def _lower_case_steps(start: int, lines: list[str], shown: str) -> list[str]:
    """Description lines after the keyword on line `start` that are steps but for their
    lower-case keyword."""
    found = []
    for offset, line in enumerate(lines[start:start + 200], start + 1):
        if line.strip() and line.strip().split()[0] in _KEYWORDS:
            break  # the first real step: descriptions come before it
        match = _LOWER.match(line)
        if match and _is_step(match.group("text")):
            keyword = match.group(1)
            found.append(f"{shown} line {offset}: `{line.strip()}` is read as description "
                         f"text, not as a step: write `{keyword.capitalize()}`")
    return found


def _is_step(text: str) -> bool:
    return any(re.fullmatch(entry.pattern, text.strip()) for entry in VOCABULARY)


def step_suggestions(keyword: str, text: str) -> str:
    """The closest steps of the vocabulary to a step no definition matched."""
    for entry in VOCABULARY:
        if re.fullmatch(entry.pattern, text):
            return (f"the step exists for {'/'.join(entry.keywords)} (and And/But after "
                    f"them), not after {keyword}")
    scored = sorted(((difflib.SequenceMatcher(None, text.lower(), _example_text(e).lower())
                      .ratio(), e.key) for e in VOCABULARY), reverse=True)
    close = [key for score, key in scored[:3] if score >= 0.4]
    shapes = [f"{'/'.join(e.keywords)} {e.shape}" for key in close for e in VOCABULARY
              if e.key == key]
    return "closest steps: " + "; ".join(shapes) if shapes else "no step is close"


def _example_text(entry: Any) -> str:
    first: str = entry.example.splitlines()[0]
    return first.split(" ", 1)[1] if " " in first else first
