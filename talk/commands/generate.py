"""`talk generate DOCS... --out features/`: write one feature file per dataflow document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from talk.dataflow.lint import collect_files
from talk.dataflow.model import DataflowError
from talk.dataflow.parser import parse_file
from talk.gherkin.generate import check, plan, write

__all__ = ["register", "run"]

DESCRIPTION = """\
Generate one Gherkin feature per dataflow document (named after it, e.g.
keap-to-webcrm.feature), marked as generated. Folders are searched for *.rst files.
Hand-written features (features/handwritten/) are never touched.

With --check nothing is written: the command lists generated files that are stale,
missing or have no document, and exits 1 if there are any (for CI).
Exit status: 0 up to date / written, 1 --check found differences, 2 unreadable input."""


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


def run(args: argparse.Namespace) -> int:
    files, missing = collect_files(args.paths)
    for path in missing:
        print(f"talk generate: {path}: no such file or folder", file=sys.stderr)
    if missing:
        return 2
    try:
        dataflows = [parse_file(path) for path in files]
        planned = plan(dataflows, args.out)
    except (DataflowError, ValueError) as error:
        print(f"talk generate: {error}", file=sys.stderr)
        return 2
    if args.check:
        differences = check(planned, args.out)
        for difference in differences:
            print(difference)
        state = f"{len(differences)} differ" if differences else "up to date"
        print(f"talk generate --check: {len(planned)} features, {state}", file=sys.stderr)
        if differences:
            print("run `talk generate` with the same documents to update them", file=sys.stderr)
        return 1 if differences else 0
    try:
        written = write(planned)
    except (OSError, FileExistsError) as error:
        print(f"talk generate: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"talk generate: wrote {path}", file=sys.stderr)
    print(f"talk generate: {len(planned)} features, {len(written)} changed", file=sys.stderr)
    return 0
