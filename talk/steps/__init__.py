"""Step definitions of the checklist vocabulary (see `talk steps`), one module per concern.

Registered by the talk pytest plugin (`talk.plugin`), so a project needs no conftest.py;
every step works on the scenario's `talk_context` fixture.
"""

MODULES = ("documents", "records", "sync", "links", "values", "manual")
"""The step modules, in the order the plugin registers them."""
