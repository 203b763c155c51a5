"""`talk lint PATH...`: check dataflow documents and show what talk reads from them."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from talk.dataflow.lint import collect_files, lint_files, report_json, report_lines

__all__ = ["github_annotation", "register", "run"]

DESCRIPTION = """\
Parse dataflow documents and report their defects as `file:line: level: message`.
Folders are searched for *.rst files. Besides each document's own defects, rows of the
documents given together that write one target field from different sources are reported
on every line involved. Exit status: 0 no errors (warnings allowed),
1 a document has errors, 2 a path does not exist.

The format talk reads: a title "<A> to <B> Dataflow", then one section per heading
"<System Entity> to <System Entity>", whose sentences give its shape:
  1  "Every S will be synchronized with a T."  (creates a T for each S)
  2  "Before any synchronization can take place, a link between a S and a T must be
     established."  (links by the merge table only; creates nothing)
  3  "<condition>, it will be synchronized with a T."  (creates when the condition holds)
  4  "A new T will be created from a S if it is connected to a X that is synchronized
     into ..."  (creates when connected)
  5  "If a matching T already exists, the S will be merged with the existing one." and
     "If no matching T is found, a new T will be created."  (merges, else creates)
"A S will merge with a T if one of the following property combinations match:" precedes
a `.. list-table::` of merge criteria (S property, T property); "The following properties
are synchronized between a S and a T:" precedes the property table: S property, T
property, T data type. Types: "string", "integer", "float", "decimal", "boolean", "list",
N/A (not checked) and "datetime-format","<strftime format>"; any other type is a warning
and not checked. A property may carry a condition in parentheses, "path (Dependant on
having V in P)": the row applies only where P holds V. "Once a link ... regardless of
where it is edited." says edits travel both ways."""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "lint", help="check dataflow documents", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="a dataflow document (.rst) or a folder of them")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text",
                        help="text: one line per finding (default); json: one JSON document "
                             "with the model of every file and its findings; github: GitHub "
                             "Actions annotations (::error file=...,line=...::message)")


def github_annotation(file: str, line: int, level: str, message: str) -> str:
    """A GitHub Actions workflow command: the finding shows on the pull request's diff."""
    def escape(text: str, *, value: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if value else text

    command = "error" if level == "error" else "warning"
    return (f"::{command} file={escape(file, value=True)},line={line},"
            f"title=talk lint::{escape(message)}")


def run(args: argparse.Namespace) -> int:
    files, missing = collect_files(args.paths)
    for path in missing:
        print(f"talk lint: {path}: no such file or folder", file=sys.stderr)
    reports = lint_files(files)
    if args.format == "json":
        print(json.dumps([report_json(report) for report in reports], indent=2))
    elif args.format == "github":
        for report in reports:
            for finding in report.findings:
                print(github_annotation(report.file, finding.line, finding.level,
                                        finding.message))
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
