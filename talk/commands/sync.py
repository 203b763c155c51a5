"""`talk sync`: run the two-way sync that the dataflow documents describe."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from talk.config import ConfigError, load_config, token_variable
from talk.connectors import AuthError, Connector, connector_for
from talk.connectors.base import BadToken, RetryPolicy
from talk.dataflow import DataflowError, parse_file
from talk.dataflow.model import Dataflow
from talk.sync.emulated import EmulatedSystems, systems_named
from talk.sync.engine import SyncEngine
from talk.sync.report import RunReport
from talk.sync.seed import seed_samples
from talk.sync.store import RunLock, SqliteLinkStore, StateError

__all__ = ["load_dataflows", "register", "run"]

DESCRIPTION = """\
Run one sync of every section of every dataflow document: link records by merge criteria
or create them, then keep linked records in sync both ways. State (links, last synced
values, cursors) is kept in the --state file, so a run can be stopped at any point and
started again without duplicates or lost edits.

Systems are configured in --config (talk.toml):

    [systems.keap]
    base_url = "https://api.infusionsoft.com/crm/rest/v1"

with each token in the environment as TALK_<SYSTEM>_TOKEN (e.g. TALK_KEAP_TOKEN), where
<SYSTEM> is the name `talk serve` prints. --emulate runs against in-process emulators
seeded with sample records instead, to see a real sync in one command.

Exit status: 0 all records synced, 1 some record failed (see the report), 2 bad usage,
unreadable document or configuration, or a system refused the credentials."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sync", help="run the two-way sync described by the dataflow documents",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataflows", default="dataflows", type=Path, metavar="DIR",
                        help="folder (or file) of dataflow documents (default: dataflows/)")
    parser.add_argument("--config", default=None, type=Path, metavar="FILE",
                        help="system configuration (default: talk.toml if present)")
    parser.add_argument("--state", default=None, type=Path, metavar="FILE",
                        help="link store (default: .talk/state.db; with --emulate a "
                             "temporary one)")
    parser.add_argument("--wait", type=float, default=30.0, metavar="SECONDS",
                        help="how long to wait for another run on the same --state file "
                             "to end before giving up with exit status 2 (default 30)")
    parser.add_argument("--watch", type=float, default=None, metavar="SECONDS",
                        help="repeat the sync every SECONDS until interrupted")
    parser.add_argument("--emulate", action="store_true",
                        help="sync in-process emulators seeded with sample records")
    parser.add_argument("--json", action="store_true",
                        help="print the run report as one JSON document on stdout")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="report format on stdout (--json is --format json)")


class NoDocuments(DataflowError):
    """--dataflows names nothing to read: said with the path alone, as there is no line of
    a file to point to."""

    def __init__(self, path: Path, message: str) -> None:
        Exception.__init__(self, f"{path}: {message}")
        self.file, self.line, self.message = str(path), 0, message


def load_dataflows(path: Path) -> list[Dataflow]:
    """Every document under `path` (a file or folder), sorted by name."""
    if not path.exists():
        raise NoDocuments(path, "no such file or folder (--dataflows)")
    files = sorted(path.rglob("*.rst")) if path.is_dir() else [path]
    if not files:
        raise NoDocuments(path, "no dataflow documents (*.rst) found")
    return [parse_file(file) for file in files]


class _Progress:
    """A one-line progress display on a terminal; plain lines otherwise (stderr)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self._width = 0

    def __call__(self, message: str) -> None:
        if self.tty:
            line = message[:100]
            sys.stderr.write("\r" + line.ljust(self._width))
            self._width = len(line)
        else:
            sys.stderr.write(message + "\n")
        sys.stderr.flush()

    def done(self) -> None:
        if self.tty and self._width:
            sys.stderr.write("\r" + " " * self._width + "\r")
            self._width = 0


class MissingToken(Exception):
    """A system the documents name has no token in the environment: said before any
    request, for every such system at once, instead of after a refused first request."""


def _connectors(args: argparse.Namespace, dataflows: Sequence[Dataflow]) -> dict[str, Connector]:
    config = load_config(args.config)
    connectors: dict[str, Connector] = {}
    missing = []
    tokenless = []
    for profile in systems_named(dataflows):
        system = config.system(profile.key)
        if not system.base_url:
            missing.append(profile.key)
            continue
        if not system.token:
            tokenless.append(profile.key)
            continue
        connectors[profile.key] = connector_for(profile, system.base_url, system.token,
                                                retry=RetryPolicy(**system.network))
    if not missing and tokenless:
        variables = " and ".join(token_variable(key) for key in tokenless)
        tokens = "the token" if len(tokenless) == 1 else "the tokens"
        raise MissingToken(f"set {variables} in the environment ({tokens} of "
                           f"{' and '.join(tokenless)}; nothing was sent)")
    if missing:
        sections = ", ".join(f"[systems.{key}]" for key in missing)
        if config.path is None:  # there is no file to blame: say that
            raise ConfigError(Path.cwd() / "talk.toml", None,
                              f"no such file (and no --config): it names each system's "
                              f"base_url, here {sections}; or use --emulate")
        raise ConfigError(config.path, None, f"no base_url for {sections} (or use --emulate)")
    return connectors


_SHOWN_REASONS = 5  # reasons printed per run; --json has them all
# What the counts alone cannot explain: why records failed, were left alone or skipped.
_REASONED = ("failure", "outcome_unknown", "unsupported", "skipped")


def _emit(report: RunReport, as_json: bool, label: str = "") -> None:
    if as_json:
        print(json.dumps(report.to_json(), indent=2, default=str))
        return
    if label:
        print(label)
    print(report.summary())
    reasons = sorted((d for d in report.details if d.kind in _REASONED),
                     key=lambda d: _REASONED.index(d.kind))  # failures first, stable
    for detail in reasons[:_SHOWN_REASONS]:  # what failed and what to do, not only counts
        record = f" {detail.record_id}" if detail.record_id else ""
        where = (f"{detail.system} {detail.entity}{record}" if detail.system
                 else f"{detail.document}:{detail.line}")
        print(f"  {detail.kind.replace('_', ' ')}: {where}: {detail.message}")
    if len(reasons) > _SHOWN_REASONS:
        print(f"  and {len(reasons) - _SHOWN_REASONS} more (--json lists them all)")


def _runner(engine: SyncEngine, progress: _Progress,
            lock: RunLock | None = None) -> Callable[[], RunReport]:
    def once() -> RunReport:
        if lock is None:
            report = engine.run()
        else:
            with lock:  # one run per state file; a second waits, then exits 2
                report = engine.run()
        progress.done()
        return report

    return once


def _loop(once: Callable[[], RunReport], args: argparse.Namespace, as_json: bool) -> int:
    while True:
        report = once()
        _emit(report, as_json)
        if args.watch is None:
            return 1 if report.failed else 0
        time.sleep(args.watch)


def run(args: argparse.Namespace) -> int:
    as_json = bool(args.json or args.format == "json")
    progress = _Progress()
    try:
        dataflows = load_dataflows(args.dataflows)
        if args.emulate:
            return _run_emulated(args, dataflows, progress, as_json)
        connectors = _connectors(args, dataflows)
        state = args.state or Path(".talk/state.db")
        lock = RunLock(state, wait=max(0.0, args.wait))
        with lock:  # a second run must not even open the store while this one writes it
            store = SqliteLinkStore(state)
        with closing(store):  # closed, its WAL is folded back into the one state file
            engine = SyncEngine(dataflows, connectors, store, progress=progress)
            return _loop(_runner(engine, progress, lock), args, as_json)
    except sqlite3.Error as exc:  # the state file failed mid-run (full disk, read-only)
        progress.done()
        print(f"talk sync: {StateError.of(args.state or '.talk/state.db', exc)}",
              file=sys.stderr)
        return 2
    except (DataflowError, ConfigError, StateError, BadToken, MissingToken) as exc:
        progress.done()
        print(f"talk sync: {exc}", file=sys.stderr)
        return 2
    except AuthError as exc:
        progress.done()
        print(f"talk sync: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        progress.done()
        print("talk sync: interrupted; the next run picks up where this one stopped",
              file=sys.stderr)
        return 130


def _run_emulated(args: argparse.Namespace, dataflows: Sequence[Dataflow],
                  progress: _Progress, as_json: bool) -> int:
    store = SqliteLinkStore(args.state or ":memory:")
    with closing(store), EmulatedSystems(dataflows) as systems:
        seeded = seed_samples(systems, dataflows)
        if not as_json:
            print(f"seeded {seeded} sample record(s) into "
                  f"{', '.join(sorted(systems.emulators))} (in-process emulators)")
        engine = SyncEngine(dataflows, systems.connectors, store, progress=progress)
        if args.watch is not None:
            return _loop(_runner(engine, progress), args, as_json)
        first = engine.run()
        progress.done()
        if as_json:
            print(json.dumps(first.to_json(), indent=2, default=str))
            return 1 if first.failed else 0
        _emit(first, False, "first run:")
        second = engine.run()
        progress.done()
        _emit(second, False, "\nsecond run (no edits in between):")
        return 1 if first.failed or second.failed else 0
