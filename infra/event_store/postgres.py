"""The event log in PostgreSQL: several API processes and workers share one log.

A writer takes ``LOCK TABLE events IN EXCLUSIVE MODE`` (readers are not blocked), numbers
its batch from max(position) and commits before the next writer may start, so commit
order is position order and a failed transaction burns no position. All of it goes to the
server in one round trip, so the lock is never held while a writer is slow to answer.
Subscribers hear commits through LISTEN/NOTIFY on one connection per log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from threading import Event, Lock, Thread
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import (
    ApplicationRecorder,
    OperationalError,
    StoredEvent,
    Subscription,
    Tracking,
)
from psycopg_pool import ConnectionPool

from infra.event_store import SCHEMA_VERSION, as_uuid, tracking_of
from infra.event_store.sql import COLUMNS, SQLEventLog, persistence_errors
from infra.event_store.subscriptions import CommitSignal, LogSubscription
from projections.store.postgres import in_one_round_trip

CHANNEL = "gridcenter_events"
CONNECT_TIMEOUT = 10.0
POOL_SIZE = (2, 16)
"""Connections kept open, and at most open, per log (the API calls it from many threads)."""

SCHEMA = f"""
SELECT pg_advisory_xact_lock(hashtext('gridcenter event store schema'));
CREATE TABLE IF NOT EXISTS events (
    position BIGINT PRIMARY KEY,
    originator_id UUID NOT NULL,
    originator_version INTEGER NOT NULL,
    topic TEXT NOT NULL,
    state BYTEA NOT NULL,
    UNIQUE (originator_id, originator_version)
);
CREATE TABLE IF NOT EXISTS snapshots (
    originator_id UUID NOT NULL,
    originator_version INTEGER NOT NULL,
    topic TEXT NOT NULL,
    state BYTEA NOT NULL,
    PRIMARY KEY (originator_id, originator_version)
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS tracking (
    application_name TEXT NOT NULL,
    notification_id BIGINT NOT NULL,
    PRIMARY KEY (application_name, notification_id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}') ON CONFLICT DO NOTHING;
"""

# Run after the table lock, so max(position) is the last committed position; the NOTIFY
# is delivered at commit, and only if the transaction commits, and it carries the head.
APPEND = f"""
WITH written AS (
    INSERT INTO events ({COLUMNS})
    SELECT last.position + batch.n, batch.originator_id, batch.originator_version,
           batch.topic, batch.state
    FROM (SELECT COALESCE(MAX(position), 0) AS position FROM events) AS last,
         unnest(%s::uuid[], %s::int4[], %s::text[], %s::bytea[]) WITH ORDINALITY
             AS batch (originator_id, originator_version, topic, state, n)
    RETURNING position
)
SELECT MIN(position) - 1, pg_notify('{CHANNEL}', MAX(position)::text) FROM written
"""


class PostgresEventLog(SQLEventLog):
    """The log in one PostgreSQL database, through a pool of connections."""

    mark = "%s"
    hex_id = "encode(uuid_send(originator_id), 'hex')"

    def __init__(self, url: str) -> None:
        with (
            persistence_errors(psycopg.Error),
            psycopg.connect(url, connect_timeout=int(CONNECT_TIMEOUT)) as connection,
        ):
            connection.execute(SCHEMA)
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'")
            (version,) = row.fetchone() or (SCHEMA_VERSION,)
        if int(version) > SCHEMA_VERSION:
            msg = f"the database has schema version {version}; this code knows {SCHEMA_VERSION}"
            raise OperationalError(msg)
        self._pool = ConnectionPool(
            url,
            min_size=POOL_SIZE[0],
            max_size=POOL_SIZE[1],
            kwargs={"autocommit": True},
            open=False,
            timeout=CONNECT_TIMEOUT * 3,
            name="gridcenter-event-log",
        )
        try:
            with persistence_errors(psycopg.Error):
                self._pool.open(wait=True, timeout=CONNECT_TIMEOUT)
        except BaseException:
            self._pool.close()
            raise
        self._signal = CommitSignal()
        self._listener = CommitListener(url, self._signal)

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> list[int]:
        tracking = tracking_of(kwargs)
        if not stored_events:
            if tracking is not None:
                self.insert_tracking(tracking)
            return []
        with persistence_errors(psycopg.Error), self._pool.connection() as connection:
            last = _append(connection, stored_events, tracking)
        return list(range(last + 1, last + 1 + len(stored_events)))

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        self._listener.start()
        return LogSubscription(self, self._signal, gt, topics, poll_interval=None)

    def follow_head(self, moved: Callable[[int], None]) -> Callable[[], None]:
        self._listener.start()
        return super().follow_head(moved)

    def insert_tracking(self, tracking: Tracking) -> None:
        with persistence_errors(psycopg.Error), self._pool.connection() as connection:
            _insert_tracking(connection, tracking)

    def next_number(self, counter: str) -> int:
        with persistence_errors(psycopg.Error), self._pool.connection() as connection:
            row = connection.execute(
                "INSERT INTO counters (name, value) VALUES (%s, 1) ON CONFLICT (name)"
                " DO UPDATE SET value = counters.value + 1 RETURNING value",
                (counter,),
            ).fetchone()
        assert row is not None  # RETURNING always yields the row
        return int(row[0])

    def insert_snapshots(self, stored_events: Sequence[StoredEvent]) -> None:
        with persistence_errors(psycopg.Error), self._pool.connection() as connection:
            connection.cursor().executemany(
                "INSERT INTO snapshots VALUES (%s, %s, %s, %s)",
                [
                    (as_uuid(s.originator_id), s.originator_version, s.topic, s.state)
                    for s in stored_events
                ],
            )

    def fetch(self, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows in PostgreSQL's binary format: twice as fast to read as text for bytea."""
        with persistence_errors(psycopg.Error), self._pool.connection() as connection:
            return connection.execute(query, params, binary=True).fetchall()

    def stored_id(self, originator_id: UUID) -> UUID:
        return originator_id

    def close(self) -> None:
        self._listener.stop()
        self._pool.close()


class CommitListener:
    """One LISTEN connection per log, started by the first subscription or follower,
    that wakes every subscription and tells every follower the head when any process
    commits events: the NOTIFY carries it. It reconnects after a lost connection and
    then reads the head and tells everyone, so nothing committed meanwhile is missed."""

    def __init__(self, url: str, signal: CommitSignal) -> None:
        self._url = url
        self._signal = signal
        self._lock = Lock()
        self._listening = Event()
        self._stopped = Event()
        self._thread: Thread | None = None
        self._error = "not started"

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = Thread(target=self._run, name="gridcenter-listen", daemon=True)
                self._thread.start()
        if not self._listening.wait(CONNECT_TIMEOUT):
            msg = f"cannot LISTEN for new events: {self._error}"
            raise OperationalError(msg)

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                with psycopg.connect(
                    self._url, autocommit=True, connect_timeout=int(CONNECT_TIMEOUT)
                ) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self._signal.notify(_head(connection))
                    self._listening.set()
                    while not self._stopped.is_set():
                        heard = [n.payload for n in connection.notifies(timeout=0.5, stop_after=1)]
                        if heard:
                            self._signal.notify(_told(heard) or _head(connection))
            except psycopg.Error as error:
                self._error = str(error)
                self._listening.clear()
                self._stopped.wait(1.0)


def _append(
    connection: psycopg.Connection[Any],
    stored_events: Sequence[StoredEvent],
    tracking: Tracking | None,
) -> int:
    """Numbers, writes and commits a batch in one round trip; returns the position before
    it. Every writer waits for the table lock, so it is held only while the server works:
    the statements go out together (pipeline mode), no answer awaited between them. Sent
    one at a time, they held the lock across four round trips, each answered as late as
    the writer's process got the GIL; in the fan-out benchmark, 1.4 writers on average
    queued for the lock, against 0.1 now."""
    columns = (
        [as_uuid(s.originator_id) for s in stored_events],
        [s.originator_version for s in stored_events],
        [s.topic for s in stored_events],
        [s.state for s in stored_events],
    )

    def send(connection: psycopg.Connection[Any]) -> psycopg.Cursor[Any]:
        connection.execute("BEGIN")
        if tracking is not None:
            _insert_tracking(connection, tracking)
        connection.execute("LOCK TABLE events IN EXCLUSIVE MODE")
        written = connection.execute(APPEND, columns)
        connection.execute("COMMIT")
        return written

    row = in_one_round_trip(connection, send).fetchone()
    assert row is not None  # an aggregate always returns one row
    return int(row[0])


def _head(connection: psycopg.Connection[Any]) -> int:
    row = connection.execute("SELECT COALESCE(MAX(position), 0) FROM events").fetchone()
    assert row is not None  # an aggregate always returns one row
    return int(row[0])


def _told(payloads: list[str]) -> int | None:
    """The head the NOTIFYs carry; None if one carries none (a writer of an older
    version): the head is then read."""
    if all(payload.isdigit() for payload in payloads):
        return max(int(payload) for payload in payloads)
    return None


def _insert_tracking(connection: psycopg.Connection[Any], tracking: Tracking) -> None:
    connection.execute(
        "INSERT INTO tracking (application_name, notification_id) VALUES (%s, %s)",
        (tracking.application_name, tracking.notification_id),
    )
