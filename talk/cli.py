"""`talk`: the command line. Each subcommand lives in `talk.commands.<name>`.

Exit codes: 0 success, 1 the work found problems (lint errors, failed records, stale
features), 2 wrong usage or unreadable input.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from talk import __version__

__all__ = ["COMMANDS", "main"]

# The subcommands, in the order `talk --help` lists them.
COMMANDS: tuple[str, ...] = ("init", "lint", "sync", "serve", "report", "generate", "steps",
                             "profile")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="talk",
        description="Executable QA checklists and two-way sync for dataflow documents.",
        epilog="Run `talk COMMAND --help` for the options of each command.",
    )
    parser.add_argument("--version", action="version", version=f"talk {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="say more on stderr: -v what talk does (retries, waits), "
                             "-vv every request")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"talk.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    _logging(args.verbose)
    module = importlib.import_module(f"talk.commands.{args.command.replace('-', '_')}")
    try:
        result: int = module.run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        return _closed_pipe()
    return result


def _logging(verbose: int) -> None:
    """-v shows talk's own progress (retry waits), -vv also every request; on stderr."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else \
        logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("talk: %(message)s"))
    logger = logging.getLogger("talk")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


def _closed_pipe() -> int:
    """`talk lint --format json | head`: the reader left; exit quietly, as cat does."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # Python's final flush would fail again
    return 141 if os.name != "nt" else 1  # 128 + SIGPIPE, what a shell reports


if __name__ == "__main__":
    sys.exit(main())
