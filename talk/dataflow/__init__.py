"""Dataflow documents: the model, the parser and the lossless renderer.

    dataflow = parse_file("dataflows/keap-to-webcrm.rst")
    assert render(dataflow) == text  # with LF line endings

`parse_*` raise DataflowError for a document that cannot be read; recoverable defects are
in `dataflow.findings`. `talk.dataflow.lint` adds checks that need system profiles.
"""

from talk.dataflow.layout import DocumentLayout, RawBlock, SectionLayout, TableLayout
from talk.dataflow.model import (
    BracketCondition,
    Dataflow,
    DataflowError,
    DataType,
    EntityRef,
    Finding,
    MergeCriterion,
    PropertyPath,
    PropertyRow,
    Section,
    Sentence,
    Shape,
    TypeKind,
)
from talk.dataflow.parser import parse_file, parse_text
from talk.dataflow.render import render

__all__ = [
    "BracketCondition",
    "DataType",
    "Dataflow",
    "DataflowError",
    "DocumentLayout",
    "EntityRef",
    "Finding",
    "MergeCriterion",
    "PropertyPath",
    "PropertyRow",
    "RawBlock",
    "Section",
    "SectionLayout",
    "Sentence",
    "Shape",
    "TableLayout",
    "TypeKind",
    "parse_file",
    "parse_text",
    "render",
]
