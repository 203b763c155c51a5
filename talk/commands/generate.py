"""`talk generate DOCS... --out features/`: write one feature file per dataflow document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from talk.dataflow.lint import collect_files
from talk.dataflow.model import Dataflow, DataflowError
from talk.dataflow.parser import parse_file
from talk.gherkin.generate import check, plan_each, write

__all__ = ["register", "run"]

DESCRIPTION = """\
Generate one Gherkin feature per dataflow document (named after it, e.g.
keap-to-webcrm.feature), marked as generated. Folders are searched for *.rst files.
Hand-written features (features/handwritten/) are never touched.

A document that cannot be generated (unreadable, or a section talk cannot turn into
scenarios) is named as `file:line: reason`; every other document is still written.

With --check nothing is written: the command lists generated files that are stale,
missing or have no document, and exits 1 if there are any (for CI).
Exit status: 0 up to date / written, 1 a document could not be generated or --check found
differences, 2 a path does not exist or a feature could not be written."""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "generate", help="generate Gherkin features from dataflow documents",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="DOC",
                        help="a dataflow document (.rst) or a folder of them")
    parser.add_argument("--out", type=Path, default=Path("features"), metavar="DIR",
                        help="where the features go (default: features/)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the features differ from the documents")


def _parse_all(files: list[Path]) -> tuple[list[Dataflow], list[DataflowError]]:
    dataflows, problems = [], []
    for path in files:
        try:
            dataflows.append(parse_file(path))
        except DataflowError as error:
            problems.append(error)
    return dataflows, problems


def run(args: argparse.Namespace) -> int:
    files, missing = collect_files(args.paths)
    for path in missing:
        print(f"talk generate: {path}: no such file or folder", file=sys.stderr)
    if missing:
        return 2
    dataflows, problems = _parse_all(files)
    planned, not_planned = plan_each(dataflows, args.out)
    problems += not_planned
    for problem in problems:
        print(f"talk generate: {problem.file}:{problem.line}: cannot generate: "
              f"{problem.message}", file=sys.stderr)
    failed = f", {len(problems)} documents not generated" if problems else ""
    if args.check:
        differences = check(planned, args.out)
        for difference in differences:
            print(difference)
        state = f"{len(differences)} differ" if differences else "up to date"
        print(f"talk generate --check: {len(planned)} features, {state}{failed}",
              file=sys.stderr)
        if differences:
            print("run `talk generate` with the same documents to update them", file=sys.stderr)
        return 1 if differences or problems else 0
    try:
        written = write(planned)
    except (OSError, FileExistsError) as error:
        print(f"talk generate: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"talk generate: wrote {path}", file=sys.stderr)
    print(f"talk generate: {len(planned)} features, {len(written)} changed{failed}",
          file=sys.stderr)
    return 1 if problems else 0
