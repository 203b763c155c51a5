"""Wires the step library for `pytest features/` (the talk plugin does the collecting)."""

pytest_plugins = [
    "steps.documents",
    "steps.records",
    "steps.sync",
    "steps.links",
    "steps.values",
    "steps.manual",
]
