"""Step definitions of the checklist vocabulary (see `talk steps`), one module per concern.

Wired for `pytest features/` by the root conftest.py; every step works on the scenario's
`talk_context` fixture (from the talk pytest plugin).
"""
