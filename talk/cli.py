"""`talk`: the command line. Each subcommand lives in `talk.commands.<name>`.

Exit codes: 0 success, 1 the work found problems (lint errors, failed records, stale
features), 2 wrong usage or unreadable input.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

__all__ = ["COMMANDS", "main"]

# The subcommands, in the order `talk --help` lists them.
COMMANDS: tuple[str, ...] = ("init", "lint", "sync", "serve", "report", "generate", "steps")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="talk",
        description="Executable QA checklists and two-way sync for dataflow documents.",
        epilog="Run `talk COMMAND --help` for the options of each command.",
    )
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
    module = importlib.import_module(f"talk.commands.{args.command.replace('-', '_')}")
    result: int = module.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
