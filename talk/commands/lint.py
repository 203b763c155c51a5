"""`talk lint PATH...`: check dataflow documents and show what talk reads from them."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from talk.dataflow.lint import collect_files, lint_files, report_json, report_lines

__all__ = ["register", "run"]

DESCRIPTION = """\
Parse dataflow documents and report their defects as `file:line: level: message`.
Folders are searched for *.rst files. Besides each document's own defects, rows of the
documents given together that write one target field from different sources are reported
on every line involved. Exit status: 0 no errors (warnings allowed),
1 a document has errors, 2 a path does not exist."""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "lint", help="check dataflow documents", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="a dataflow document (.rst) or a folder of them")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: one line per finding (default); json: one JSON document "
                             "with the model of every file and its findings")


def run(args: argparse.Namespace) -> int:
    files, missing = collect_files(args.paths)
    for path in missing:
        print(f"talk lint: {path}: no such file or folder", file=sys.stderr)
    reports = lint_files(files)
    if args.format == "json":
        print(json.dumps([report_json(report) for report in reports], indent=2))
    else:
        for report in reports:
            for line in report_lines(report):
                print(line)
    errors = sum(f.level == "error" for r in reports for f in r.findings)
    warnings = sum(f.level == "warning" for r in reports for f in r.findings)
    print(f"talk lint: {len(reports)} files, {errors} errors, {warnings} warnings",
          file=sys.stderr)
    if missing:
        return 2
    return 1 if any(report.failed for report in reports) else 0
