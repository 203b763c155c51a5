"""`talk serve`: every system's emulated API over real HTTP on 127.0.0.1, until stopped.

Systems served: the dedicated profiles, every system named in the dataflow documents
(`--dataflows DIR`) and any `--system NAME`. Each starts empty, or with `--seed N` sample
records per source entity of the documents; each request is logged on stderr. The first
lines on stdout are `<key> <base URL>`, one per system, so a script can read where each one
lives.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import re
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from talk.emulator.server import LOOPBACK, EmulatorServer
from talk.systems.profile import SystemProfile
from talk.systems.registry import known_profiles, profile_for

__all__ = ["register", "run", "served_profiles"]

_log = logging.getLogger(__name__)
_TITLE = re.compile(r"^\s*(?P<source>.+?)\s+to\s+(?P<target>.+?)\s+Dataflow\s*$")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve", help="serve emulated system APIs on 127.0.0.1",
        description="Serve every system's emulated REST API over HTTP on 127.0.0.1, each "
                    "under /<system>. Prints `<system> <base URL>` per system, then serves "
                    "until stopped (Ctrl-C).")
    parser.add_argument("--port", type=int, default=8080,
                        help="port to listen on; 0 picks a free one (default 8080)")
    parser.add_argument("--host", default=LOOPBACK, choices=[LOOPBACK],
                        help="interface to listen on (loopback only)")
    parser.add_argument("--token", default=None,
                        help="the one bearer token accepted (default: any non-empty token)")
    parser.add_argument("--dataflows", type=Path, default=Path("dataflows"),
                        help="directory of dataflow documents naming the systems "
                             "(default dataflows/)")
    parser.add_argument("--system", action="append", default=[], metavar="NAME",
                        help="also serve this system (repeatable)")
    parser.add_argument("--seed", type=int, default=0, metavar="N",
                        help="start with N sample records in each source entity of the "
                             "documents (default 0: every system starts empty)")
    parser.add_argument("--quiet", action="store_true",
                        help="no request log on stderr (by default one line per request)")
    parser.add_argument("--timeout-delay", type=float, default=60.0, metavar="SECONDS",
                        help="how long an injected timeout holds the connection (default 60)")


def _document_systems(path: Path) -> list[str]:
    """The two systems a document's title names (its parser when present, else the title)."""
    parse_file: Callable[[Path], Any] | None = getattr(
        importlib.import_module("talk.dataflow"), "parse_file", None)
    if parse_file is not None:
        try:
            flow = parse_file(path)
            return [str(flow.source_system), str(flow.target_system)]
        except Exception as exc:  # a document the parser refuses still names its systems
            _log.debug("%s: parser failed (%s); reading the title", path, exc)
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines()[:10]:
        match = _TITLE.match(line)
        if match:
            return [match.group("source"), match.group("target")]
    return []


def served_profiles(dataflows: Path | None, extra: list[str]) -> list[SystemProfile]:
    """Dedicated profiles first (by key), then the documents' and named systems, one per key."""
    profiles = {p.key: p for p in sorted(known_profiles(), key=lambda p: p.key)}
    names: list[str] = []
    if dataflows is not None and dataflows.is_dir():
        for document in sorted(dataflows.glob("*.rst")):
            names += _document_systems(document)
    for name in [*names, *extra]:
        profile = profile_for(name)
        if profile.key and profile.key not in profiles:
            profiles[profile.key] = profile
    return list(profiles.values())


def _stop_on_signals() -> None:
    """Ctrl-C and SIGTERM stop serving (even where SIGINT was inherited as ignored)."""
    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set handlers; a caller's thread stops via close
    signal.signal(signal.SIGINT, stop)
    if sys.platform != "win32":
        signal.signal(signal.SIGTERM, stop)


def _seed(server: EmulatorServer, dataflows: Path, per_entity: int) -> int | None:
    """Sample records in every source entity of the documents; None when one is unreadable."""
    from talk.commands.sync import load_dataflows
    from talk.dataflow import DataflowError
    from talk.sync.seed import seed_samples

    try:
        documents = load_dataflows(dataflows)
    except DataflowError as exc:
        print(f"talk serve: --seed: {exc}", file=sys.stderr)
        return None
    return seed_samples({e.key: e for e in server.emulators}, documents, per_entity)


def run(args: argparse.Namespace) -> int:
    if args.seed < 0:
        print("talk serve: --seed must be 0 or more", file=sys.stderr)
        return 2
    if args.token is not None and not args.token.strip():
        print("talk serve: --token must not be empty", file=sys.stderr)
        return 2
    if not 0 <= args.port <= 65535:
        print(f"talk serve: --port {args.port}: a port is a number from 0 to 65535 "
              "(0 picks a free one)", file=sys.stderr)
        return 2
    if args.dataflows != Path("dataflows") and not args.dataflows.is_dir():
        print(f"talk serve: {args.dataflows}: no such directory", file=sys.stderr)
        return 2
    try:
        server = EmulatorServer(args.host, args.port, timeout_delay=args.timeout_delay)
    except (OSError, ValueError, OverflowError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "refused"
        print(f"talk serve: cannot listen on {args.host}:{args.port}: {reason}",
              file=sys.stderr)
        return 2
    with server:
        for profile in served_profiles(args.dataflows, args.system):
            try:
                emulator = server.mount_system(profile, token=args.token)
            except ImportError as exc:  # a style whose emulator is not there (yet)
                print(f"talk serve: {profile.key}: no emulator ({exc}); not served",
                      file=sys.stderr)
                continue
            print(f"{profile.key} {emulator.base_url}", flush=True)
        if args.seed:
            seeded = _seed(server, args.dataflows, args.seed)
            if seeded is None:
                return 2
            print(f"talk serve: seeded {seeded} sample records", file=sys.stderr)
        if not args.quiet:  # the server logs each request (method, path, status) at debug
            logging.getLogger("talk.emulator.server").setLevel(logging.DEBUG)
        print(f"talk serve: serving {len(server.emulators)} systems on {server.url}; "
              f"Ctrl-C stops", file=sys.stderr, flush=True)
        _stop_on_signals()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("talk serve: stopped", file=sys.stderr)
    return 0
