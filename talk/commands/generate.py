"""`talk generate DOCS... --out features/`: write one feature file per dataflow document."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import Any

from talk.dataflow.lint import collect_files, lint_files
from talk.dataflow.model import Dataflow, DataflowError
from talk.gherkin.generate import check, plan_each, write

__all__ = ["register", "run"]

DESCRIPTION = """\
Generate one Gherkin feature per dataflow document (named after it, e.g.
keap-to-webcrm.feature), marked as generated. Folders are searched for *.rst files.
Hand-written features (features/handwritten/) are never touched.

A document that cannot be generated (one `talk lint` rejects, or a section talk cannot
turn into scenarios) is named as `file:line: reason`; every other document is still
written. Features name their document relative to the repository (the folder above --out
holding pytest.ini, pyproject.toml or .git), wherever the command runs.

With --check nothing is written: the command lists generated files that are stale (with a
unified diff), missing or have no document, and exits 1 if there are any (for CI).
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
    parser.add_argument("--allow-lint-errors", action="store_true",
                        help="also generate documents `talk lint` rejects (each is named on "
                             "stderr); for surveying a corpus, not for a QA repository")


def _parse_all(files: list[Path], allow_lint_errors: bool = False
               ) -> tuple[list[Dataflow], list[DataflowError]]:
    """The documents `talk lint` accepts; each one it rejects is a problem naming its first
    error (a checklist of a document lint rejects would check the wrong thing). With
    `allow_lint_errors` a rejected document that parses is generated too, and named."""
    dataflows, problems = [], []
    for report in lint_files(files):
        errors = [f for f in report.findings if f.level == "error"]
        if report.dataflow is not None and (not errors or allow_lint_errors):
            dataflows.append(report.dataflow)
            if errors:
                print(f"talk generate: {report.file}:{errors[0].line}: warning: generated "
                      f"although `talk lint` rejects it: {errors[0].message}", file=sys.stderr)
            continue
        first = errors[0] if errors else None
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        problems.append(DataflowError(report.file, first.line if first else 0,
                                      f"`talk lint` rejects it: "
                                      f"{first.message if first else 'unreadable'}{more}"))
    return dataflows, problems


def _unified_diff(path: Path, wanted: str) -> str:
    """What `talk generate` would change in `path`, as `diff -u` shows it."""
    current = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(difflib.unified_diff(current, wanted.splitlines(keepends=True),
                                        f"{path} (on disk)", f"{path} (generated)"))


def run(args: argparse.Namespace) -> int:
    files, missing = collect_files(args.paths)
    for path in missing:
        print(f"talk generate: {path}: no such file or folder", file=sys.stderr)
    if missing:
        return 2
    dataflows, problems = _parse_all(files, args.allow_lint_errors)
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
            if difference.problem == "stale":
                print(_unified_diff(difference.path, planned[difference.path]), end="")
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
