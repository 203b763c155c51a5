"""Mistakes a tester makes in a feature file that would otherwise pass silently or fail
with pytest internals: a scenario without a Then step, a step written with a lower-case
keyword (Gherkin reads `given ...` as description text), and a step no definition matches.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from talk.harness.vocabulary import VOCABULARY

__all__ = ["feature_problems", "step_suggestions"]

_KEYWORDS = ("Given", "When", "Then", "And", "But")
_LOWER = re.compile(r"^\s*(given|when|then|and|but)\s+(?P<text>\S.*)$")


@lru_cache(maxsize=256)
def feature_problems(path: Path, shown: str) -> dict[int, str]:
    """Per scenario line, what is wrong with that scenario ({} when nothing or unparsable:
    pytest-bdd reports a feature it cannot parse itself)."""
    from gherkin.parser import Parser
    from gherkin.token_scanner import TokenScanner

    try:
        text = path.read_text(encoding="utf-8")
        document = cast(dict[str, Any], Parser().parse(TokenScanner(text)))
    except Exception:  # a parse error: pytest-bdd reports it with its own message
        return {}
    lines = text.splitlines()
    feature = document.get("feature") or {}
    problems: dict[int, str] = {}
    _walk(feature.get("children", []), set(_tags(feature)), [], lines, shown, problems)
    return problems


def _tags(node: dict[str, Any]) -> list[str]:
    return [tag["name"].lstrip("@") for tag in node.get("tags", [])]


def _walk(children: list[dict[str, Any]], tags: set[str], inherited: list[str],
          lines: list[str], shown: str, problems: dict[int, str]) -> None:
    background = list(inherited)
    for child in children:
        if "background" in child:
            background += _lower_case_steps(child["background"], lines, shown)
        elif "rule" in child:
            rule = child["rule"]
            _walk(rule.get("children", []), tags | set(_tags(rule)), background, lines,
                  shown, problems)
        elif "scenario" in child:
            scenario = child["scenario"]
            line = scenario["location"]["line"]
            found = background + _lower_case_steps(scenario, lines, shown)
            outcome = any(step.get("keywordType") == "Outcome" for step in scenario["steps"])
            if not outcome and "manual" not in tags | set(_tags(scenario)):
                found.append(f"{shown} line {line}: the scenario has no Then step, so it "
                             "would pass without checking anything")
            if found:
                problems[line] = "; ".join(found)


def _lower_case_steps(node: dict[str, Any], lines: list[str], shown: str) -> list[str]:
    """Description lines that are steps but for their lower-case keyword."""
    found = []
    start = node["location"]["line"]
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
