"""A row into a field the target's API never writes (Exact computes CostPriceFC) is a
document defect: `talk lint` warns on its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from small_documents import document, section, write_document

from talk.cli import main

READ_ONLY = document("Alpha", "Exact Online", section(
    "Alpha Order", "Exact Online Salesorderlines",
    [("cost", "CostPriceFC", '"string"'), ("note", "Description", '"string"')],
    type_label="Exact Online"))


def test_a_row_into_a_read_only_field_is_a_lint_warning_on_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_document(tmp_path, "alpha-exact.rst", READ_ONLY)
    main(["lint", str(path)])
    out = capsys.readouterr().out
    line = next(number for number, text in enumerate(READ_ONLY.splitlines(), 1)
                if text.strip() == "- CostPriceFC") - 1
    assert f"alpha-exact.rst:{line}: warning: " in out, out
    assert "CostPriceFC, which the API never writes" in out
    assert "Description, which" not in out
