"""What the plugin keeps on a test item between hooks (pytest's stash)."""

from __future__ import annotations

from typing import Any

import pytest

__all__ = ["CONTEXT", "RECORD_ATTRIBUTE", "STEP", "UNKNOWN_STEP"]

CONTEXT = pytest.StashKey[Any]()
"""The scenario's `talk_context`, for the evidence of its record."""

STEP = pytest.StashKey[str]()
"""The step running now, `Then ... (feature line N)`, for the failure message."""

UNKNOWN_STEP = pytest.StashKey[str]()
"""Why no step definition matched, with the closest steps, when none did."""

RECORD_ATTRIBUTE = "talk_item"
"""The attribute of a test report carrying the item's record (JSON) to the controller."""
