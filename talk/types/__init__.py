"""Documented target types: coercion both ways, type checks, value comparison, sample values.

The pure-function layer under the sync engine and the harness; see each module's docstring
for its rules.
"""

from talk.types.check import check_type, describe
from talk.types.coerce import CoercionError, field_type_of, to_field, to_source, to_target
from talk.types.compare import normalize, same_value, value_key
from talk.types.samples import HARD_FRAGMENTS, edited_value, sample_value
from talk.types.values import MISSING, Missing, is_blank, json_kind, show

__all__ = [
    "HARD_FRAGMENTS",
    "MISSING",
    "CoercionError",
    "Missing",
    "check_type",
    "describe",
    "edited_value",
    "field_type_of",
    "is_blank",
    "json_kind",
    "normalize",
    "same_value",
    "sample_value",
    "show",
    "to_field",
    "to_source",
    "to_target",
    "value_key",
]
