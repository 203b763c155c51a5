"""The `corpus` marker: the acceptance run over ../shared/corpus-sample (minutes long)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "corpus: the whole corpus sample as one checklist run "
                                       "(deselect locally with -m 'not corpus')")
