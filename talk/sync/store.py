"""The durable link store: identity clusters, last-synced values, cursors, create intents.

One identity graph for all documents: a record (system, entity, id) belongs to at most one
cluster, and a cluster holds at most one record per (system, entity). A section from an
entity to itself links two records of one (system, entity), which no cluster may hold: such
records are twins, a pair outside the clusters, and a record has at most one twin (so no
chain of same-entity sections keeps creating). SQLite by default; the `LinkStore` interface
is what a server database would implement for a shared deployment.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii as _quoted
from pathlib import Path
from typing import Any

__all__ = ["ClusterConflict", "Intent", "LinkStore", "Ref", "RunLock", "SqliteLinkStore",
           "StateError", "StateLocked", "Twin"]


@dataclass(frozen=True, order=True)
class Ref:
    """One record: (system key, entity name, id as text)."""

    system: str
    entity: str
    id: str

    @property
    def slot(self) -> tuple[str, str]:
        return (self.system, self.entity)

    def __str__(self) -> str:
        return f"{self.system}/{self.entity}/{self.id}"


@dataclass(frozen=True)
class Intent:
    """A create about to be sent: kept until its answer is linked or known lost.

    `evidence` names the ids the target held before the create (see `add_evidence`): only a
    record that is not among them can be the one created."""

    id: int
    section: str
    source: Ref
    target_system: str
    target_entity: str
    payload: dict[str, Any]
    evidence: int | None = None


@dataclass(frozen=True)
class Twin:
    """The record paired with another of its own (system, entity) by a same-entity section."""

    other: Ref
    is_source: bool  # whether the record asked about is the source side of the pair
    section: str  # the section that made the pair


class ClusterConflict(Exception):
    """Linking would put two records of one (system, entity) into one cluster."""


class StateError(Exception):
    """The state file cannot be used: one line saying which file and what to do."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        super().__init__(f"{path}: {problem}")

    @classmethod
    def of(cls, path: str | Path, exc: BaseException) -> StateError:
        """The reader's words for what SQLite (or the file system) reported."""
        name = getattr(exc, "sqlite_errorname", "")
        if name.startswith("SQLITE_FULL"):
            problem = ("the disk is full (or the state file reached its size limit); free "
                       "space and run again: the run resumes where it stopped")
        elif name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
            problem = ("not a talk state file, or a corrupt one; restore it from a backup "
                       "(moving it away starts over and forgets every link)")
        elif name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM",
                              "SQLITE_AUTH")) or isinstance(exc, OSError):
            problem = ("cannot be opened for reading and writing; check the permissions of "
                       "the file and its folder")
        elif name.startswith("SQLITE_BUSY"):
            problem = "locked by another program for too long; try again"
        else:
            problem = f"cannot be used ({name or type(exc).__name__})"
        return cls(path, problem)


class StateLocked(StateError):
    """Another run holds the state file's lock."""


class RunLock:
    """One run per state file: an OS lock on `<state>.lock`, held for the run.

    The operating system releases it when the holding process ends in any way, `kill -9`
    included, so a lock left by a killed run never blocks. The file holds the holder's
    process id, for the message a waiting run gives up with."""

    def __init__(self, state: str | Path, wait: float = 30.0, poll: float = 0.1) -> None:
        self.path = Path(f"{state}.lock")
        self.state = str(state)
        self.wait = wait
        self.poll = poll
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StateError.of(self.state, exc) from None
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                    os.close(fd)
                    who = f"process {holder}" if holder.isdigit() else "another process"
                    raise StateLocked(self.state, f"in use by another run ({who}); waited "
                                      f"{self.wait:g} s; try again when it ends") from None
                time.sleep(self.poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing releases the lock
            self._fd = None


class LinkStore(ABC):
    """What the engine needs from durable state. All writes happen inside `transaction()`."""

    @abstractmethod
    def transaction(self) -> Any:
        """A context manager: everything inside commits together or not at all."""

    @abstractmethod
    def cluster_of(self, ref: Ref) -> dict[tuple[str, str], str]:
        """Every record linked to `ref`, by (system, entity), itself included ({} if none)."""

    @abstractmethod
    def is_member(self, ref: Ref) -> bool: ...

    @abstractmethod
    def members_with_id(self, system: str, record_id: str) -> list[Ref]:
        """The linked records of a system with this id, in any entity (to translate a
        reference, which names an id but not always its entity)."""

    @abstractmethod
    def is_retired(self, ref: Ref) -> bool: ...

    @abstractmethod
    def link(self, a: Ref, b: Ref, section: str) -> None:
        """Put a and b in one cluster (merging clusters); raises ClusterConflict."""

    @abstractmethod
    def twin_of(self, ref: Ref) -> Twin | None:
        """The record a same-entity section paired with `ref`, if any."""

    @abstractmethod
    def link_twins(self, source: Ref, target: Ref, section: str) -> None:
        """Pair two records of one (system, entity); raises ClusterConflict when either is
        already paired or they are one record."""

    def counterpart(self, ref: Ref, slot: tuple[str, str]) -> str | None:
        """The id of the record in `slot` linked to `ref`: its twin for its own slot, else
        the cluster's record of that slot."""
        if slot == ref.slot:
            twin = self.twin_of(ref)
            return None if twin is None else twin.other.id
        return self.cluster_of(ref).get(slot)

    @abstractmethod
    def retire(self, ref: Ref) -> None:
        """Mark a deleted record's links retired; its slot stays taken (nothing is recreated)."""

    @abstractmethod
    def pair_origin(self, a: Ref, b: Ref) -> str | None:
        """The section that first linked this pair (ties go to its source side)."""

    @abstractmethod
    def set_pair_origin(self, a: Ref, b: Ref, section: str) -> None: ...

    @abstractmethod
    def synced_values(self, section: str, source: Ref, target: Ref) -> dict[str, Any] | None:
        """Per property row, the values last synced on each side, or None for a new link."""

    @abstractmethod
    def set_synced_values(self, section: str, source: Ref, target: Ref,
                          values: dict[str, Any]) -> None: ...

    @abstractmethod
    def cursor(self, system: str, entity: str) -> str | None: ...

    @abstractmethod
    def set_cursor(self, system: str, entity: str, cursor: str | None) -> None: ...

    @abstractmethod
    def add_intent(self, section: str, source: Ref, target_system: str, target_entity: str,
                   payload: dict[str, Any], evidence: int | None = None) -> int: ...

    @abstractmethod
    def add_evidence(self, system: str, entity: str, ids: list[str]) -> int:
        """Remember the ids an entity held before creates into it; returns its number."""

    @abstractmethod
    def evidence(self, number: int) -> frozenset[str]:
        """The ids remembered under `number` (empty if pruned)."""

    @abstractmethod
    def prune_evidence(self) -> None:
        """Forget evidence that no pending intent refers to."""

    @abstractmethod
    def remove_intent(self, intent_id: int) -> None: ...

    @abstractmethod
    def intents(self) -> list[Intent]:
        """Pending create intents, oldest first."""

    @abstractmethod
    def refusal(self, key: str) -> tuple[str, str] | None:
        """The (payload digest, answer) of the last write an API refused under `key`."""

    @abstractmethod
    def set_refusal(self, key: str, digest: str, message: str) -> None:
        """Remember a refused write, so the same write is not sent again on every run."""

    def rekey_sections(self, renames: dict[str, tuple[str, dict[str, str]]]) -> None:
        """Once per store: move state kept under a section's old key (`<document>:<line>`,
        rows by line) to its mapping key (`renames[old] = (new, {old row: new row})`), so
        an upgrade keeps what was last synced. A store with no old keys only marks itself."""
        return None

    @abstractmethod
    def add_retry(self, ref: Ref, message: str) -> None:
        """Remember a record that failed, to process it again next run."""

    @abstractmethod
    def remove_retry(self, ref: Ref) -> None: ...

    @abstractmethod
    def retries(self) -> list[Ref]: ...

    _marks: set[tuple[str, str]] | None = None

    def clear_marks(self) -> None:
        """Forget every mark: the engine starts each run with none."""
        self._marks = set()

    def mark(self, kind: str, *refs: Ref) -> bool:
        """Remember these records under `kind` for this run; True if not marked yet.

        What a run has handled grows with the records; an implementation may keep it out
        of memory (SQLite keeps it in a temporary table). Marks are not durable."""
        if self._marks is None:
            self._marks = set()
        key = (kind, _marks_key(refs))
        if key in self._marks:
            return False
        self._marks.add(key)
        return True

    def is_marked(self, kind: str, *refs: Ref) -> bool:
        return self._marks is not None and (kind, _marks_key(refs)) in self._marks

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Row counts (members, clusters, pairs, twins, intents, retries), for reports and
        tests."""

    def flush(self) -> None:
        """Make every write so far durable (a store may group writes into batches)."""
        return None  # a store that commits every transaction has nothing to do

    @abstractmethod
    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS members (
    system TEXT NOT NULL, entity TEXT NOT NULL, record_id TEXT NOT NULL,
    cluster INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (system, entity, record_id),
    UNIQUE (cluster, system, entity)  -- also the index of lookups by cluster
);
CREATE INDEX IF NOT EXISTS members_by_id ON members (system, record_id);
CREATE TABLE IF NOT EXISTS twins (
    ref TEXT PRIMARY KEY, other TEXT NOT NULL, is_source INTEGER NOT NULL, section TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pairs (
    a TEXT NOT NULL, b TEXT NOT NULL, origin TEXT NOT NULL, PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS synced (
    section TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, "values" TEXT NOT NULL,
    PRIMARY KEY (section, source, target)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cursors (
    system TEXT NOT NULL, entity TEXT NOT NULL, cursor TEXT, PRIMARY KEY (system, entity)
);
CREATE TABLE IF NOT EXISTS intents (
    id INTEGER PRIMARY KEY AUTOINCREMENT, section TEXT NOT NULL, source TEXT NOT NULL,
    target_system TEXT NOT NULL, target_entity TEXT NOT NULL, payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT, system TEXT NOT NULL, entity TEXT NOT NULL,
    ids TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS refusals (
    key TEXT PRIMARY KEY, digest TEXT NOT NULL, message TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS retries (
    ref TEXT PRIMARY KEY, message TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _key(ref: Ref) -> str:
    """`json.dumps([system, entity, id])`, built directly (it is made several times per
    record synced); the text is the same, so existing stores keep working."""
    if type(ref.system) is str and type(ref.entity) is str and type(ref.id) is str:
        return f"[{_quoted(ref.system)}, {_quoted(ref.entity)}, {_quoted(ref.id)}]"
    return json.dumps([ref.system, ref.entity, ref.id])


def _marks_key(refs: tuple[Ref, ...]) -> str:
    return " ".join(_key(ref) for ref in refs)


def _ref(key: str) -> Ref:
    system, entity, record_id = json.loads(key)
    return Ref(system, entity, record_id)


_EMPTY = ("empty (0 bytes): the state file was truncated; restore it from a backup "
          "(deleting it starts over from nothing and creates again, as duplicates, every "
          "record the targets already hold)")


def _prepare(path: Path) -> None:
    """Create a missing state file whole, with its schema, or refuse an empty one.

    A new file is built under another name and renamed into place, so a run killed at any
    point leaves either no state file or a complete one: an empty file at `path` can only
    be a truncated store, and opening it as new would create every linked record again."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        if path.is_file() and path.stat().st_size == 0:
            raise StateError(path, _EMPTY)
        return
    building = path.with_name(path.name + ".new")
    building.unlink(missing_ok=True)  # left by a run killed while building it
    db = sqlite3.connect(building, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(_SCHEMA)
    finally:
        db.close()  # checkpoints the WAL into the file and removes it
    fd = os.open(building, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(building, path)


def _build_schema(db: sqlite3.Connection) -> None:
    """The tables, in a new store or added to an older one."""
    db.executescript(_SCHEMA)
    columns = {row[1] for row in db.execute("PRAGMA table_info(intents)")}
    if "evidence" not in columns:  # a store written before intents carried evidence
        db.execute("ALTER TABLE intents ADD COLUMN evidence INTEGER")


# What one run has done already (`mark`), never kept past the connection: a temporary table
# of a file store; in an in-memory store, which lives no longer, a table of its own copied
# with the schema (creating the temporary database cost each scenario's store 0.2 ms).
_RUN_MARKS = ("run_marks (kind TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, key)) "
              "WITHOUT ROWID")
_EMPTY_STORE: list[sqlite3.Connection] = []  # built on first use
_EMPTY_STORE_LOCK = threading.Lock()


def _copy_empty_store(target: sqlite3.Connection) -> None:
    """Fill a new in-memory database with the schema, copied from one built once: every
    checklist scenario opens a store of its own, and building the schema was most of that."""
    with _EMPTY_STORE_LOCK:
        if not _EMPTY_STORE:
            empty = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            _build_schema(empty)
            # a store that starts empty holds nothing keyed by line numbers: without this
            # mark every scenario's first sync rewrote each section's (empty) rows
            empty.execute("INSERT INTO meta (key, value) VALUES ('section_keys', 'mapping')")
            empty.execute(f"CREATE TABLE {_RUN_MARKS}")
            _EMPTY_STORE.append(empty)
        _EMPTY_STORE[0].backup(target)


class SqliteLinkStore(LinkStore):
    """The link store in one SQLite file (WAL), `.talk/state.db` by default."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self._open()
        except (sqlite3.Error, OSError) as exc:
            raise StateError.of(self.path, exc) from None

    def _open(self) -> None:
        in_memory = self.path == ":memory:"
        if not in_memory:
            _prepare(Path(self.path))
        self._db = sqlite3.connect(self.path, isolation_level=None)
        if in_memory:  # a copy of an empty store: a fraction of building the schema again
            _copy_empty_store(self._db)
        else:  # nothing to sync to a disk in memory
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            _build_schema(self._db)
            self._db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_RUN_MARKS}")
        self._depth = 0
        self._batch_started: float | None = None  # monotonic time the open batch began
        self._batch_size = 0

    # Transactions are grouped into one SQLite commit (a commit costs more than the rest of
    # a record's bookkeeping): each is a savepoint inside the open batch, and the batch
    # commits every BATCH_TRANSACTIONS transactions or BATCH_SECONDS, when an intent is
    # added (it must be durable before its create is sent), on flush and on
    # close. A crash loses at most the open batch: the same state as a crash before those
    # writes, which the run after it repairs (intents resolve, unsaved syncs recompare).
    BATCH_TRANSACTIONS = 500
    BATCH_SECONDS = 0.5

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        if self._batch_started is None:
            self._db.execute("BEGIN IMMEDIATE")
            self._batch_started = time.monotonic()
            self._batch_size = 0
        self._db.execute("SAVEPOINT talk_transaction")
        self._depth = 1
        try:
            yield
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK TO talk_transaction")
                self._db.execute("RELEASE talk_transaction")
            else:  # SQLite ended it (a full disk does): the batch is gone, report the cause
                self._batch_started = None
            raise
        else:
            self._db.execute("RELEASE talk_transaction")
            self._batch_size += 1
        finally:
            self._depth = 0
        if (self._batch_size >= self.BATCH_TRANSACTIONS
                or time.monotonic() - self._batch_started >= self.BATCH_SECONDS):
            self.flush()

    def flush(self) -> None:
        if self._batch_started is not None and not self._depth:
            self._batch_started = None
            if self._db.in_transaction:  # else SQLite rolled it back after an error
                self._db.execute("COMMIT")

    def _cluster_id(self, ref: Ref) -> int | None:
        row = self._db.execute(
            "SELECT cluster FROM members WHERE system=? AND entity=? AND record_id=?",
            (ref.system, ref.entity, ref.id)).fetchone()
        return None if row is None else int(row[0])

    def cluster_of(self, ref: Ref) -> dict[tuple[str, str], str]:
        rows = self._db.execute(
            "SELECT system, entity, record_id FROM members WHERE cluster = (SELECT cluster "
            "FROM members WHERE system=? AND entity=? AND record_id=?)",
            (ref.system, ref.entity, ref.id))
        return {(s, e): i for s, e, i in rows}

    def is_member(self, ref: Ref) -> bool:
        return self._cluster_id(ref) is not None

    def members_with_id(self, system: str, record_id: str) -> list[Ref]:
        rows = self._db.execute("SELECT entity FROM members WHERE system=? AND record_id=? "
                                "ORDER BY entity", (system, record_id))
        return [Ref(system, entity, record_id) for (entity,) in rows]

    def is_retired(self, ref: Ref) -> bool:
        row = self._db.execute(
            "SELECT retired FROM members WHERE system=? AND entity=? AND record_id=?",
            (ref.system, ref.entity, ref.id)).fetchone()
        return bool(row and row[0])

    def _new_cluster(self) -> int:
        row = self._db.execute("SELECT COALESCE(MAX(cluster), 0) + 1 FROM members").fetchone()
        return int(row[0])

    def link(self, a: Ref, b: Ref, section: str) -> None:
        with self.transaction():
            ca, cb = self._cluster_id(a), self._cluster_id(b)
            if ca is not None and ca == cb:
                return
            members_a = self.cluster_of(a) if ca is not None else {a.slot: a.id}
            members_b = self.cluster_of(b) if cb is not None else {b.slot: b.id}
            clash = set(members_a) & set(members_b)
            if clash:
                slots = ", ".join(f"{s} {e}" for s, e in sorted(clash))
                raise ClusterConflict(
                    f"linking {a} and {b} would put two records of {slots} in one cluster")
            if ca is None and cb is None:
                cluster = self._new_cluster()
            else:
                cluster = ca if ca is not None else cb  # type: ignore[assignment]
            for ref, current in ((a, ca), (b, cb)):
                if current is None:
                    self._db.execute(
                        "INSERT INTO members (system, entity, record_id, cluster) "
                        "VALUES (?, ?, ?, ?)", (ref.system, ref.entity, ref.id, cluster))
                elif current != cluster:
                    self._db.execute("UPDATE members SET cluster=? WHERE cluster=?",
                                     (cluster, current))
            self.set_pair_origin(a, b, section)

    def twin_of(self, ref: Ref) -> Twin | None:
        row = self._db.execute("SELECT other, is_source, section FROM twins WHERE ref=?",
                               (_key(ref),)).fetchone()
        return None if row is None else Twin(_ref(row[0]), bool(row[1]), str(row[2]))

    def link_twins(self, source: Ref, target: Ref, section: str) -> None:
        if source == target or source.slot != target.slot:
            raise ClusterConflict(f"{source} and {target} cannot be twins")
        with self.transaction():
            for ref in (source, target):
                twin = self.twin_of(ref)
                if twin is not None:
                    raise ClusterConflict(f"{ref} is already paired with {twin.other}")
            self._db.executemany(
                "INSERT INTO twins (ref, other, is_source, section) VALUES (?, ?, ?, ?)",
                [(_key(source), _key(target), 1, section),
                 (_key(target), _key(source), 0, section)])
            self.set_pair_origin(source, target, section)

    def retire(self, ref: Ref) -> None:
        with self.transaction():
            # a record in no cluster (a twin) becomes a retired cluster of its own
            self._db.execute(
                "INSERT OR IGNORE INTO members (system, entity, record_id, cluster) "
                "SELECT ?, ?, ?, COALESCE(MAX(cluster), 0) + 1 FROM members",
                (ref.system, ref.entity, ref.id))
            self._db.execute(
                "UPDATE members SET retired=1 WHERE system=? AND entity=? AND record_id=?",
                (ref.system, ref.entity, ref.id))

    def _pair(self, a: Ref, b: Ref) -> tuple[str, str]:
        ka, kb = _key(a), _key(b)
        return (ka, kb) if ka <= kb else (kb, ka)

    def pair_origin(self, a: Ref, b: Ref) -> str | None:
        row = self._db.execute("SELECT origin FROM pairs WHERE a=? AND b=?",
                               self._pair(a, b)).fetchone()
        return None if row is None else str(row[0])

    def set_pair_origin(self, a: Ref, b: Ref, section: str) -> None:
        with self.transaction():
            self._db.execute("INSERT OR IGNORE INTO pairs (a, b, origin) VALUES (?, ?, ?)",
                             (*self._pair(a, b), section))

    def synced_values(self, section: str, source: Ref, target: Ref) -> dict[str, Any] | None:
        row = self._db.execute(
            'SELECT "values" FROM synced WHERE section=? AND source=? AND target=?',
            (section, _key(source), _key(target))).fetchone()
        if row is None:
            return None
        values: dict[str, Any] = json.loads(row[0])
        return values

    def set_synced_values(self, section: str, source: Ref, target: Ref,
                          values: dict[str, Any]) -> None:
        with self.transaction():
            self._db.execute(
                'INSERT OR REPLACE INTO synced (section, source, target, "values") '
                "VALUES (?, ?, ?, ?)",
                (section, _key(source), _key(target), json.dumps(values, sort_keys=True)))

    def cursor(self, system: str, entity: str) -> str | None:
        row = self._db.execute("SELECT cursor FROM cursors WHERE system=? AND entity=?",
                               (system, entity)).fetchone()
        return None if row is None else row[0]

    def set_cursor(self, system: str, entity: str, cursor: str | None) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO cursors (system, entity, cursor) VALUES (?, ?, ?)",
                (system, entity, cursor))

    def add_intent(self, section: str, source: Ref, target_system: str, target_entity: str,
                   payload: dict[str, Any], evidence: int | None = None) -> int:
        with self.transaction():
            cur = self._db.execute(
                "INSERT INTO intents (section, source, target_system, target_entity, payload, "
                "evidence) VALUES (?, ?, ?, ?, ?, ?)",
                (section, _key(source), target_system, target_entity,
                 json.dumps(payload, sort_keys=True), evidence))
        self.flush()  # durable before the create is sent
        return int(cur.lastrowid or 0)

    def remove_intent(self, intent_id: int) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM intents WHERE id=?", (intent_id,))

    def intents(self) -> list[Intent]:
        rows = self._db.execute(
            "SELECT id, section, source, target_system, target_entity, payload, evidence "
            "FROM intents ORDER BY id")
        return [Intent(int(i), s, _ref(src), ts, te, json.loads(p), ev)
                for i, s, src, ts, te, p, ev in rows]

    def add_evidence(self, system: str, entity: str, ids: list[str]) -> int:
        with self.transaction():
            cur = self._db.execute(
                "INSERT INTO evidence (system, entity, ids) VALUES (?, ?, ?)",
                (system, entity, json.dumps(sorted(ids))))
        return int(cur.lastrowid or 0)

    def evidence(self, number: int) -> frozenset[str]:
        row = self._db.execute("SELECT ids FROM evidence WHERE id=?", (number,)).fetchone()
        return frozenset(json.loads(row[0])) if row else frozenset()

    def prune_evidence(self) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM evidence WHERE id NOT IN (SELECT evidence FROM "
                             "intents WHERE evidence IS NOT NULL)")

    def refusal(self, key: str) -> tuple[str, str] | None:
        row = self._db.execute("SELECT digest, message FROM refusals WHERE key=?",
                               (key,)).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def set_refusal(self, key: str, digest: str, message: str) -> None:
        with self.transaction():
            self._db.execute("INSERT OR REPLACE INTO refusals (key, digest, message) "
                             "VALUES (?, ?, ?)", (key, digest, message))

    def rekey_sections(self, renames: dict[str, tuple[str, dict[str, str]]]) -> None:
        if self._db.execute("SELECT 1 FROM meta WHERE key='section_keys'").fetchone():
            return
        with self.transaction():
            for old, (new, rows) in renames.items():
                found = self._db.execute('SELECT source, target, "values" FROM synced '
                                         "WHERE section=?", (old,)).fetchall()
                for source, target, text in found:
                    values = {rows.get(k, k): v for k, v in json.loads(text).items()}
                    self._db.execute('INSERT OR REPLACE INTO synced (section, source, target, '
                                     '"values") VALUES (?, ?, ?, ?)',
                                     (new, source, target, json.dumps(values, sort_keys=True)))
                self._db.execute("DELETE FROM synced WHERE section=?", (old,))
                self._db.execute("UPDATE pairs SET origin=? WHERE origin=?", (new, old))
                self._db.execute("UPDATE intents SET section=? WHERE section=?", (new, old))
            self._db.execute("INSERT INTO meta (key, value) VALUES ('section_keys', 'mapping')")

    def add_retry(self, ref: Ref, message: str) -> None:
        with self.transaction():
            self._db.execute("INSERT OR REPLACE INTO retries (ref, message) VALUES (?, ?)",
                             (_key(ref), message))

    def remove_retry(self, ref: Ref) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM retries WHERE ref=?", (_key(ref),))

    def retries(self) -> list[Ref]:
        return [_ref(k) for (k,) in self._db.execute("SELECT ref FROM retries ORDER BY ref")]

    def clear_marks(self) -> None:
        self._db.execute("DELETE FROM run_marks")

    def mark(self, kind: str, *refs: Ref) -> bool:
        cursor = self._db.execute("INSERT OR IGNORE INTO run_marks (kind, key) "
                                  "VALUES (?, ?)", (kind, _marks_key(refs)))
        return cursor.rowcount == 1

    def is_marked(self, kind: str, *refs: Ref) -> bool:
        return self._db.execute("SELECT 1 FROM run_marks WHERE kind=? AND key=?",
                                (kind, _marks_key(refs))).fetchone() is not None

    def counts(self) -> dict[str, int]:
        def one(sql: str) -> int:
            return int(self._db.execute(sql).fetchone()[0])

        return {
            "members": one("SELECT COUNT(*) FROM members"),
            "clusters": one("SELECT COUNT(DISTINCT cluster) FROM members"),
            "pairs": one("SELECT COUNT(*) FROM pairs"),
            "twins": one("SELECT COUNT(*) FROM twins WHERE is_source = 1"),
            "intents": one("SELECT COUNT(*) FROM intents"),
            "retries": one("SELECT COUNT(*) FROM retries"),
        }

    def close(self) -> None:
        self.flush()
        self._db.close()
