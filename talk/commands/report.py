"""`talk report RESULTS --out DIR`: render the HTML checklist from a results.json."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from talk.dataflow import parse_file
from talk.dataflow.model import Dataflow, DataflowError
from talk.report import ResultsFileError, compare, read_results, render
from talk.report.results import Results

__all__ = ["register", "run"]

DESCRIPTION = """\
Render the HTML checklist (index.html and one page per document) from a results.json
written by `pytest features/`. Each page mirrors its dataflow document when the document
can be found (in --dataflows DIR, or else at the path results.json names, taken from the
current folder or the folder of RESULTS or its parent); otherwise it lists
the checklist items alone. With --baseline, items whose status changed since that earlier
results.json are marked new failure / fixed / changed.

Exit status: 0 the report was written, 2 a results file is missing or not a results.json."""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report", help="render the HTML checklist from a results.json",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", type=Path, metavar="RESULTS",
                        help="the results.json to render, e.g. reports/results.json")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="folder to write the HTML into (default: the folder of RESULTS)")
    parser.add_argument("--baseline", type=Path, metavar="FILE",
                        help="an earlier results.json: mark the items that changed since")
    parser.add_argument("--dataflows", type=Path, metavar="DIR",
                        help="folder holding the dataflow documents, found there by file "
                             "name (default: the paths that results.json names)")


def run(args: argparse.Namespace) -> int:
    try:
        results = read_results(args.results)
        baseline = read_results(args.baseline) if args.baseline else None
    except ResultsFileError as error:
        print(f"talk report: {error}", file=sys.stderr)
        return 2
    comparison = compare(results, baseline) if baseline else None
    out_dir: Path = args.out or args.results.parent
    dataflows = _dataflows(results, args.dataflows, args.results.parent)
    try:
        written = render(results, out_dir, dataflows=dataflows, comparison=comparison)
    except OSError as error:
        print(f"talk report: cannot write the report into {out_dir}: {error}", file=sys.stderr)
        return 2
    print(f"talk report: wrote {len(written)} files; open {written[0]}", file=sys.stderr)
    return 0


def _dataflows(results: Results, folder: Path | None, results_dir: Path) -> dict[str, Dataflow]:
    """Parse each document that can be found, so its page can mirror it line by line."""
    found: dict[str, Dataflow] = {}
    for document in results.documents:
        path = _locate(document.file, folder, results_dir)
        if path is None:
            print(f"talk report: {document.file}: document not found; its page lists the "
                  "checklist items alone", file=sys.stderr)
            continue
        try:
            found[document.file] = parse_file(path)
        except (DataflowError, OSError, UnicodeDecodeError) as error:
            print(f"talk report: {path}: cannot read the document ({error}); its page lists "
                  "the checklist items alone", file=sys.stderr)
    return found


def _locate(file: str, folder: Path | None, results_dir: Path) -> Path | None:
    written = Path(file)
    if folder:
        candidates = [folder / written.name]
    else:
        candidates = [written, results_dir / written, results_dir.parent / written]
    return next((path for path in candidates if path.is_file()), None)
