"""The recorder holds each item's record as compact JSON text while the items run."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any, cast

import pytest

from talk.plugin.keys import RECORD_ATTRIBUTE
from talk.plugin.recorder import Recorder


def _record(n: int) -> dict[str, Any]:
    return {"document": {"file": "a.rst", "title": "A", "source_system": "Keap",
                         "target_system": "WebCRM", "generated": None},
            "section": {"title": "S", "line": 3},
            "item": {"kind": "property", "text": f"row {n}", "line": 10 + n,
                     "status": "passed", "message": "", "duration": 0.1,
                     "evidence": {"sent": [{"body": {"name": "Ærø"}}]},
                     "nodeid": f"f.feature::t[{n}]"}}


def test_records_are_kept_as_text_not_parsed() -> None:
    recorder = Recorder(cast(pytest.Config, SimpleNamespace()))
    for n in range(3):
        report = SimpleNamespace(nodeid=f"f.feature::t[{n}]")
        setattr(report, RECORD_ATTRIBUTE, json.dumps(_record(n), ensure_ascii=False))
        recorder.pytest_runtest_logreport(cast(pytest.TestReport, report))
        assert not hasattr(report, RECORD_ATTRIBUTE)  # the terminal keeps the report
    assert len(recorder.records) == 3
    for n, (nodeid, data) in enumerate(recorder.records.items()):
        assert isinstance(data, bytes), nodeid
        assert json.loads(data) == _record(n)


def test_a_worker_keeps_no_records_and_sends_them_on() -> None:
    recorder = Recorder(cast(pytest.Config, SimpleNamespace(workerinput={})))
    report = SimpleNamespace(nodeid="f.feature::t[0]")
    setattr(report, RECORD_ATTRIBUTE, json.dumps(_record(0)))
    recorder.pytest_runtest_logreport(cast(pytest.TestReport, report))
    assert recorder.records == {}
    assert getattr(report, RECORD_ATTRIBUTE) == json.dumps(_record(0))


def test_at_the_end_a_record_is_parsed_but_for_its_evidence() -> None:
    from talk.plugin.recorder import _parsed_head
    from talk.report.evidence import RawEvidence

    record = _record(1)
    head = _parsed_head(json.dumps(record, ensure_ascii=False).encode("utf-8"))
    evidence = head["item"].pop("evidence")
    assert isinstance(evidence, RawEvidence)
    assert evidence == record["item"].pop("evidence")
    assert head == record
