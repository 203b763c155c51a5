"""`talk profile import DESCRIPTION --system KEY`: distil a published API description;
`talk profile show SYSTEM`: what a system is checked against and what is assumed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from talk.profiles.distilled import dump
from talk.profiles.importer import DescriptionError, import_description
from talk.systems.registry import emulation_kind, profile_for

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
    showing = actions.add_parser(
        "show", help="what a system is checked against: description and assumptions",
        description="Say what talk emulates a system from: the description and version "
                    "its profile was distilled from, and what the emulation assumes where "
                    "that description is silent (per entity where it matters).")
    showing.add_argument("system", metavar="SYSTEM",
                         help="a system name as the documents spell it (Tripletex, difi)")


def _show(name: str) -> int:
    profile = profile_for(name)
    lines = [f"{profile.display_name}: {emulation_kind(name)}"]
    if profile.description:
        lines.append(f"described by {profile.description}")
        if all(entity.source for entity in profile.entities.values()):
            lines.append(f"from the description: {len(profile.entities)} entities with "
                         f"their paths, keys, operations, typed properties, required and "
                         f"read-only fields, and the envelopes and paging it shows")
        else:
            lines.append(f"written by hand: {', '.join(sorted(profile.entities))} (checked "
                         f"against the description by talk's tests)")
    if profile.unserved:
        lines.append(f"in the description but not served: {', '.join(profile.unserved)}")
    if profile.assumed:
        lines.append("assumed where the description is silent:")
        lines += [f"  - {assumption}" for assumption in profile.assumed]
    print("\n".join(lines))
    return 0


def run(args: argparse.Namespace) -> int:
    if args.action == "show":
        return _show(args.system)
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
