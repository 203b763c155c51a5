"""`talk steps`: the step vocabulary a tester can use in a feature, one example each."""

from __future__ import annotations

import argparse
import json
import textwrap
from typing import Any

from talk.harness.vocabulary import VOCABULARY

__all__ = ["register", "run"]

DESCRIPTION = """\
Print the steps that `pytest features/` understands, with one example each and what it
means: write a scenario in a .feature file under features/ from these steps (Given what
is seeded, When the dataflows are synchronized, Then what must hold). The project's
repository has a longer guide in docs/writing-scenarios.md."""


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "steps", help="print the step vocabulary for writing scenarios",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text (default) or json: a list of {keywords, step, example, "
                             "meaning, pattern}")


def run(args: argparse.Namespace) -> int:
    if args.format == "json":
        print(json.dumps([{"keywords": list(p.keywords), "step": p.shape,
                           "example": p.example, "meaning": p.meaning, "pattern": p.pattern}
                          for p in VOCABULARY], indent=2, ensure_ascii=False))
        return 0
    for entry in VOCABULARY:
        print(f"{'/'.join(entry.keywords)} {entry.shape}")
        print(textwrap.indent(textwrap.fill(entry.meaning, 88), "    "))
        print(textwrap.indent(entry.example, "    e.g. ", lambda line: True).replace(
            "\n    e.g.   ", "\n           "))
        print()
    return 0
