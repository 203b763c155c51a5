"""Profiles distilled from published API descriptions (`talk profile import`).

A description (OpenAPI 2/3.0/3.1, OData CSDL, Exact's JSON REST reference) is distilled
once into a small deterministic JSON file under `talk/profiles/data/`, committed and
reviewed like code; the system profiles, emulators and lint read those files, never the
description itself.
"""
