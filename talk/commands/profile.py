"""`talk profile import DESCRIPTION --system KEY`: distil a published API description."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from talk.profiles.distilled import dump
from talk.profiles.importer import DescriptionError, import_description

__all__ = ["register", "run"]

DESCRIPTION = """\
Distil an API description (OpenAPI 2/3.0/3.1 JSON or YAML, OData CSDL $metadata, or
Exact Online's JSON REST reference) into a small deterministic profile: per entity its
paths, key, operations, typed properties, what create requires and what is read-only.
Importing the same description again gives identical bytes. The profile is written to
talk/profiles/data/KEY.json (or --out). Exit status: 0 written (or unchanged with
--check), 1 --check found a difference, 2 the description is unreadable."""

_DATA = Path(__file__).resolve().parent.parent / "profiles" / "data"


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "profile", help="distil API descriptions into profiles", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    importing = actions.add_parser("import", help="distil one description",
                                   description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    importing.add_argument("description", type=Path, metavar="DESCRIPTION",
                           help="the description file")
    importing.add_argument("--system", required=True, metavar="KEY",
                           help="the system key the profile is for (e.g. tripletex)")
    importing.add_argument("--out", type=Path, default=None,
                           help="where to write (default: talk/profiles/data/KEY.json; "
                                "- for stdout)")
    importing.add_argument("--check", action="store_true",
                           help="write nothing; exit 1 when the committed profile differs")


def run(args: argparse.Namespace) -> int:
    try:
        text = dump(import_description(args.description, args.system))
    except DescriptionError as exc:
        print(f"talk profile: {exc}", file=sys.stderr)
        return 2
    out: Path = args.out or _DATA / f"{args.system}.json"
    if str(out) == "-":
        sys.stdout.write(text)
        return 0
    if args.check:
        current = out.read_text(encoding="utf-8") if out.is_file() else None
        if current != text:
            print(f"talk profile: {out} differs from a fresh import of {args.description}",
                  file=sys.stderr)
            return 1
        return 0
    out.write_text(text, encoding="utf-8")
    entities = text.count('"collection":')
    print(f"talk profile: wrote {out} ({entities} entities)", file=sys.stderr)
    return 0
