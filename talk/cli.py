"""`talk`: the command line. Each subcommand lives in `talk.commands.<name>`.

Exit codes: 0 success, 1 the work found problems (lint errors, failed records, stale
features), 2 wrong usage or unreadable input.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import re
import sys
from collections.abc import Sequence

from talk import __version__

__all__ = ["COMMANDS", "main"]

# The subcommands, in the order `talk --help` lists them.
COMMANDS: tuple[str, ...] = ("init", "lint", "sync", "serve", "report", "generate", "steps",
                             "profile")


_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$")


class _CommandParser(argparse.ArgumentParser):
    """A subcommand's parser: it reports an option it does not know itself, with its own
    usage, before any missing argument (argparse leaves unknown options to `talk`'s parser,
    which shows the top-level usage, and asks for a missing PATH first)."""

    def parse_known_args(  # type: ignore[override]
            self, args: Sequence[str] | None = None,
            namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        given = list(sys.argv[1:] if args is None else args)
        unknown = [] if self._subparsers is not None else self._unknown_options(given)
        if unknown:
            self.error(f"unrecognized arguments: {' '.join(unknown)}")
        parsed, extras = super().parse_known_args(given, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras

    def _unknown_options(self, given: list[str]) -> list[str]:
        known = self._option_string_actions
        unknown = []
        for arg in given:
            if arg == "--":
                break
            name = arg.split("=", 1)[0]
            if not arg.startswith("-") or arg == "-" or _NUMBER.match(arg) or name in known:
                continue
            if name.startswith("--") and any(option.startswith(name) for option in known):
                continue  # an abbreviation argparse accepts (or calls ambiguous)
            if not name.startswith("--") and name[:2] in known:
                continue  # `-n2`: a short option with its value attached
            unknown.append(arg)
        return unknown


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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND",
                                       parser_class=_CommandParser)
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
