"""A document's sections are bound to their profiles once, not once per engine."""

from __future__ import annotations

from pathlib import Path

from talk.dataflow.parser import parse_file
from talk.sync.flows import bind_flows

DOCUMENT = Path(__file__).resolve().parents[2] / "dataflows" / "keap-to-webcrm.rst"


def test_engines_over_the_same_document_share_its_flows() -> None:
    dataflow = parse_file(DOCUMENT)
    first, second = bind_flows([dataflow]), bind_flows([dataflow])
    assert first and all(a is b for a, b in zip(first, second, strict=True))
    reparsed = bind_flows([parse_file(DOCUMENT)])
    assert [f.key for f in reparsed] == [f.key for f in first]
    assert all(a is not b for a, b in zip(first, reparsed, strict=True))
