"""The documented target types the type tests use, parsed once from the document spellings."""

from __future__ import annotations

from talk.dataflow.model import DataType

__all__ = ["BOOLEAN", "DATE", "DECIMAL", "FLOAT", "INTEGER", "LIST", "NA", "OTHER_EXPRESSION",
           "STRING"]

STRING = DataType.parse('"string"')
INTEGER = DataType.parse('"integer"')
FLOAT = DataType.parse('"float"')
DECIMAL = DataType.parse('"decimal"')
BOOLEAN = DataType.parse('"boolean"')
LIST = DataType.parse('"list"')
NA = DataType.parse("N/A")
DATE = DataType.parse('"datetime-format","%Y-%m-%d","_."]')
OTHER_EXPRESSION = DataType.parse('"concat", "a", "b"')
