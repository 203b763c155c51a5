"""Benchmarks of talk: `python -m bench --quick` (under a minute) or `--full`.

Every figure is a ratio measured within one run (machines here are noisy, so absolute times
mean little): the sync against a bare loop doing the same requests, a second run against the
first, memory at N against N/10, the checklist harness against bare pytest-bdd. The table
goes to stdout, progress to stderr, and the figures to `bench/results.json`.
"""
