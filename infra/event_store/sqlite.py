"""The event log in a SQLite file: the embedded default, no server to install.

Each thread gets its own connection (WAL lets readers run beside the writer); writers
are serialized by a lock in this process and by ``BEGIN IMMEDIATE`` across processes,
and the writer holding it reads max(position) and numbers its batch from there.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from threading import Event, Lock, Thread
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    ApplicationRecorder,
    OperationalError,
    PersistenceError,
    StoredEvent,
    Subscription,
    Tracking,
)

from infra.event_store import SCHEMA_VERSION, as_uuid, tracking_of
from infra.event_store.sql import COLUMNS, SQLEventLog, persistence_errors
from infra.event_store.subscriptions import CommitSignal, LogSubscription

BUSY_TIMEOUT = 10.0
"""Seconds a connection waits for another process's write lock before giving up."""

MAX_IDLE_READERS = 8
"""Read connections kept open between reads; more may be open while reads overlap."""

POLL_INTERVAL = 0.5
"""Seconds between a subscription's or the head's polls: other processes' commits
signal nothing here."""

SCHEMA = f"""
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY,
    originator_id TEXT NOT NULL,
    originator_version INTEGER NOT NULL,
    topic TEXT NOT NULL,
    state BLOB NOT NULL,
    UNIQUE (originator_id, originator_version)
);
CREATE TABLE IF NOT EXISTS snapshots (
    originator_id TEXT NOT NULL,
    originator_version INTEGER NOT NULL,
    topic TEXT NOT NULL,
    state BLOB NOT NULL,
    PRIMARY KEY (originator_id, originator_version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS tracking (
    application_name TEXT NOT NULL,
    notification_id BIGINT NOT NULL,
    PRIMARY KEY (application_name, notification_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');
COMMIT;
"""

CONNECTION_PRAGMAS = (
    "PRAGMA synchronous=NORMAL",  # WAL stays consistent; a power cut may lose the last commits
    "PRAGMA cache_size=-65536",  # 64 MiB: the random UUID index stays in memory while seeding
    "PRAGMA mmap_size=1073741824",  # readers share the OS page cache instead of copying
    "PRAGMA wal_autocheckpoint=10000",  # fewer, larger checkpoints during bulk inserts
)


class SQLiteEventLog(SQLEventLog):
    """The log in one SQLite file, shared safely by threads and processes.

    Writes go through one connection under a lock; reads borrow an idle connection
    (WAL lets them run beside the writer). Borrowing rather than one connection per
    thread keeps the count bounded: every subscription reads from a thread of its own.
    """

    mark = "?"
    hex_id = "originator_id"

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = Lock()
        self._write_lock = Lock()
        self._idle: list[sqlite3.Connection] = []
        self._closed = False
        self._signal = CommitSignal()
        self._head_poller: Thread | None = None
        self._closing = Event()
        path.parent.mkdir(parents=True, exist_ok=True)
        with persistence_errors(sqlite3.Error):
            self._writer = self._connect()
            try:
                self._writer.execute("PRAGMA journal_mode=WAL")
                self._writer.executescript(SCHEMA)
                (version,) = self._writer.execute(
                    "SELECT value FROM meta WHERE key = 'schema_version'"
                ).fetchone()
            except BaseException:
                self._writer.close()
                raise
        if int(version) > SCHEMA_VERSION:
            self.close()
            msg = f"{path} has schema version {version}; this code knows up to {SCHEMA_VERSION}"
            raise OperationalError(msg)

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, serialized against every other writer of the file."""
        with self._write_lock, persistence_errors(sqlite3.Error):
            self._check_open()
            self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
                self._writer.execute("COMMIT")
            except BaseException:
                if self._writer.in_transaction:
                    self._writer.execute("ROLLBACK")
                raise

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A connection for one read, borrowed from the idle ones or newly opened."""
        with self._lock:
            self._check_open()
            connection = self._idle.pop() if self._idle else None
        with persistence_errors(sqlite3.Error):
            connection = connection or self._connect()
            try:
                yield connection
            finally:
                with self._lock:
                    if self._closed or len(self._idle) >= MAX_IDLE_READERS:
                        connection.close()
                    else:
                        self._idle.append(connection)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> list[int]:
        tracking = tracking_of(kwargs)
        if not stored_events and tracking is None:
            return []
        with self.writing() as connection:
            (last,) = connection.execute("SELECT COALESCE(MAX(position), 0) FROM events").fetchone()
            connection.executemany(
                f"INSERT INTO events ({COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        position,
                        as_uuid(s.originator_id).hex,
                        s.originator_version,
                        s.topic,
                        s.state,
                    )
                    for position, s in enumerate(stored_events, start=last + 1)
                ],
            )
            if tracking is not None:
                _insert_tracking(connection, tracking)
        if stored_events:
            self._signal.notify(last + len(stored_events))
        return list(range(last + 1, last + 1 + len(stored_events)))

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return LogSubscription(self, self._signal, gt, topics, POLL_INTERVAL)

    def follow_head(self, moved: Callable[[int], None]) -> Callable[[], None]:
        """Other processes' commits (a CLI issuing a token, say) reach followers within
        POLL_INTERVAL: a thread reads the head that often while the log is open."""
        with self._lock:
            if self._head_poller is None:
                self._head_poller = Thread(target=self._poll_head, name="head poll", daemon=True)
                self._head_poller.start()
        return super().follow_head(moved)

    def _poll_head(self) -> None:
        told = 0
        while not self._closing.wait(POLL_INTERVAL):
            with suppress(PersistenceError):  # closed meanwhile, or the file is busy
                head = self.max_notification_id() or 0
                if head > told:
                    told = head
                    self._signal.notify(head)

    def insert_tracking(self, tracking: Tracking) -> None:
        with self.writing() as connection:
            _insert_tracking(connection, tracking)

    def next_number(self, counter: str) -> int:
        with self.writing() as connection:
            (value,) = connection.execute(
                "INSERT INTO counters (name, value) VALUES (?, 1)"
                " ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
                (counter,),
            ).fetchone()
        return int(value)

    def insert_snapshots(self, stored_events: Sequence[StoredEvent]) -> None:
        with self.writing() as connection:
            connection.executemany(
                "INSERT INTO snapshots VALUES (?, ?, ?, ?)",
                [
                    (as_uuid(s.originator_id).hex, s.originator_version, s.topic, s.state)
                    for s in stored_events
                ],
            )

    def fetch(self, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with self.reading() as connection:
            return connection.execute(query, params).fetchall()

    def stored_id(self, originator_id: UUID) -> str:
        return originator_id.hex

    def close(self) -> None:
        self._closing.set()
        with self._write_lock, self._lock:
            if not self._closed:
                self._closed = True
                for connection in [self._writer, *self._idle]:
                    connection.close()
                self._idle.clear()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self._path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        for pragma in CONNECTION_PRAGMAS:
            connection.execute(pragma)
        return connection

    def _check_open(self) -> None:
        if self._closed:
            msg = f"the event log on {self._path} is closed"
            raise OperationalError(msg)


def _insert_tracking(connection: sqlite3.Connection, tracking: Tracking) -> None:
    connection.execute(
        "INSERT INTO tracking VALUES (?, ?)",
        (tracking.application_name, tracking.notification_id),
    )
