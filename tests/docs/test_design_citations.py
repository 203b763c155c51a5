"""Every rule the code cites resolves inside the repository, in docs/design.md."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CITATION = re.compile(r"docs/design\.md#([a-z0-9-]+)")
OLD_STYLE = re.compile(r"\bdecisions? \d+", re.IGNORECASE)
SOURCES = ("talk", "tests", "bench", "features")


def _anchors() -> set[str]:
    """GitHub's anchors of docs/design.md's headings: lower case, spaces to hyphens."""
    text = (REPO / "docs" / "design.md").read_text(encoding="utf-8")
    return {re.sub(r"[^a-z0-9 -]", "", heading.lower()).strip().replace(" ", "-")
            for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}


def _files() -> list[Path]:
    return [path for folder in SOURCES for path in sorted((REPO / folder).rglob("*"))
            if path.suffix in {".py", ".feature", ".j2", ".md"} and path.is_file()
            and ".venv" not in path.parts]


def test_every_citation_names_a_heading_of_the_design() -> None:
    anchors = _anchors()
    cited = {(path.relative_to(REPO).as_posix(), anchor) for path in _files()
             for anchor in CITATION.findall(path.read_text(encoding="utf-8"))}
    assert len(cited) > 30
    assert {(file, anchor) for file, anchor in cited if anchor not in anchors} == set()


def test_no_comment_cites_a_numbered_decision_of_an_outside_document() -> None:
    found = [f"{path.relative_to(REPO)}:{number}" for path in _files()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if OLD_STYLE.search(line) and path.name != "test_design_citations.py"]
    assert found == []
