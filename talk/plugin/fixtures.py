"""The scenario fixture the step library works on, registered only when talk is on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from talk.plugin.keys import CONTEXT

__all__ = ["talk_context"]


@pytest.fixture
def talk_context(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The scenario's world: documents, fresh emulators and link store, evidence."""
    from talk.harness.context import ScenarioContext
    from talk.harness.items import describe_item

    node = request.node
    anchors = [request.config.rootpath, node.path.parent]
    context = ScenarioContext(node.nodeid, anchors)
    if isinstance(node, pytest.Item):
        context.item = describe_item(node)
        node.stash[CONTEXT] = context
    try:
        yield context
    finally:
        context.close()
        # its record is made by now: kept on the item, every scenario's evidence and sync
        # reports would stay in memory until the session ends
        if CONTEXT in node.stash:
            del node.stash[CONTEXT]
