"""The event store: one ordered log of every event, positions 1, 2, 3, … without gaps.

We write our own recorders because the library's PostgreSQL recorder numbers events
with a sequence that a failed transaction leaves gaps in, and because positions must be
handed out in one single place (`EventLog.insert_events`) on every backend. The log
implements the library's recorder interfaces, so an unchanged eventsourcing
`Application` uses it through `Factory` (``PERSISTENCE_MODULE=infra.event_store``).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from threading import Event, Lock, Thread
from typing import Any, ClassVar, Self
from uuid import UUID

from eventsourcing import persistence
from eventsourcing.persistence import (
    AggregateRecorder,
    InfrastructureFactory,
    InfrastructureFactoryError,
    ListenNotifySubscription,
    Notification,
    PersistenceError,
    ProcessRecorder,
    StoredEvent,
    Tracking,
)
from eventsourcing.utils import Environment, EnvType

SCHEMA_VERSION = 1
"""The version of the stored form (README.md) this code reads and writes."""

ACCEPTED_URLS = (
    "memory:, sqlite:///relative/path.db, sqlite:////absolute/path.db, "
    "postgresql://user:pass@host:port/db (or postgres://…)"
)


class EventLog(ProcessRecorder):
    """The ordered log of every event: the one place where events get their positions.

    Besides the library's recorder methods it keeps named counters (human case
    numbers) and answers one aggregate's history with positions, which timelines and
    audits need.
    """

    @abstractmethod
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> list[int]:
        """Appends one all-or-nothing batch, with its `tracking=` record if given,
        and returns the positions it was given, in batch order."""

    @abstractmethod
    def next_number(self, counter: str) -> int:
        """Increments the named counter in its own short transaction; returns 1, 2, …

        Numbers may skip after a failed command; positions never do."""

    @abstractmethod
    def select_history(self, originator_id: UUID, after: int | None = None) -> list[Notification]:
        """One aggregate's events after position `after`, in version order."""

    @abstractmethod
    def snapshots(self) -> AggregateRecorder:
        """The recorder of aggregate snapshots kept beside this log."""

    @abstractmethod
    def close(self) -> None:
        """Releases connections; closing twice is harmless."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


COLUMNS = "position, originator_id, originator_version, topic, state"


class SQLEventLog(EventLog):
    """Reads the tables both SQL backends share (README.md) with the same statements;
    each backend supplies its driver's placeholder, its id form and `fetch`."""

    mark: ClassVar[str]
    """The driver's parameter placeholder: ``?`` or ``%s``."""

    @abstractmethod
    def fetch(self, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Runs one statement on its own and returns its rows."""

    @abstractmethod
    def stored_id(self, originator_id: UUID) -> object:
        """An aggregate id in the form the originator_id column holds."""

    @abstractmethod
    def insert_snapshots(self, stored_events: Sequence[StoredEvent]) -> None:
        """Records snapshots, all or none."""

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        return self.select_versions("events", originator_id, gt, lte, desc, limit)

    def select_versions(
        self,
        table: str,
        originator_id: UUID | str,
        gt: int | None,
        lte: int | None,
        desc: bool,
        limit: int | None,
    ) -> list[StoredEvent]:
        """One aggregate's events or snapshots by version, as the library asks."""
        uuid, mark = as_uuid(originator_id), self.mark
        query = f"SELECT originator_version, topic, state FROM {table} WHERE originator_id = {mark}"
        params: list[Any] = [self.stored_id(uuid)]
        if gt is not None:
            query += f" AND originator_version > {mark}"
            params.append(gt)
        if lte is not None:
            query += f" AND originator_version <= {mark}"
            params.append(lte)
        query += f" ORDER BY originator_version {'DESC' if desc else 'ASC'}"
        if limit is not None:
            query += f" LIMIT {mark}"
            params.append(limit)
        return [
            StoredEvent(uuid, version, topic, state)
            for version, topic, state in self.fetch(query, params)
        ]

    def select_history(self, originator_id: UUID, after: int | None = None) -> list[Notification]:
        mark = self.mark
        return self._notifications(
            f"SELECT {COLUMNS} FROM events WHERE originator_id = {mark} AND position > {mark}"
            " ORDER BY originator_version",
            [self.stored_id(originator_id), after or 0],
        )

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> list[Notification]:
        mark = self.mark
        conditions = [f"position >= {mark}" if inclusive_of_start else f"position > {mark}"]
        params: list[Any] = [start or 0]
        if stop is not None:
            conditions.append(f"position <= {mark}")
            params.append(stop)
        if topics:
            conditions.append(f"topic IN ({', '.join(mark for _ in topics)})")
            params.extend(topics)
        params.append(limit)
        return self._notifications(
            f"SELECT {COLUMNS} FROM events WHERE {' AND '.join(conditions)}"
            f" ORDER BY position LIMIT {mark}",
            params,
        )

    def max_notification_id(self) -> int | None:
        return self._scalar("SELECT MAX(position) FROM events", ())

    def max_tracking_id(self, application_name: str) -> int | None:
        return self._scalar(
            f"SELECT MAX(notification_id) FROM tracking WHERE application_name = {self.mark}",
            [application_name],
        )

    def snapshots(self) -> AggregateRecorder:
        return SQLSnapshots(self)

    def _notifications(self, query: str, params: Sequence[Any]) -> list[Notification]:
        return [
            Notification(
                id=position,
                originator_id=as_uuid(originator_id),
                originator_version=version,
                topic=topic,
                state=state,
            )
            for position, originator_id, version, topic, state in self.fetch(query, params)
        ]

    def _scalar(self, query: str, params: Sequence[Any]) -> int | None:
        rows = self.fetch(query, params)
        return None if not rows or rows[0][0] is None else int(rows[0][0])


class SQLSnapshots(AggregateRecorder):
    """Snapshots in the same database as the log, through the log's connections."""

    def __init__(self, log: SQLEventLog) -> None:
        self._log = log

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        self._log.insert_snapshots(stored_events)

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        return self._log.select_versions("snapshots", originator_id, gt, lte, desc, limit)


def open_event_log(database_url: str) -> EventLog:
    """Opens (creating if missing) the event log a database URL names."""
    # Imported here: the backends import EventLog from this module, and a SQLite-only
    # deployment should not pay for loading the PostgreSQL driver.
    if database_url == "memory:":
        from infra.event_store.memory import MemoryEventLog  # noqa: PLC0415

        return MemoryEventLog()
    if database_url.startswith("sqlite:///") and len(database_url) > len("sqlite:///"):
        from infra.event_store.sqlite import SQLiteEventLog  # noqa: PLC0415

        return SQLiteEventLog(Path(database_url.removeprefix("sqlite:///")))
    if database_url.startswith(("postgresql://", "postgres://")):
        from infra.event_store.postgres import PostgresEventLog  # noqa: PLC0415

        return PostgresEventLog(database_url)
    msg = f"unsupported database URL {database_url!r}; accepted forms: {ACCEPTED_URLS}"
    raise ValueError(msg)


class Factory(InfrastructureFactory[EventLog]):
    """Gives an eventsourcing Application the event log named by
    ``GRIDCENTER_DATABASE_URL``: events, notifications, tracking and snapshots."""

    DATABASE_URL = "GRIDCENTER_DATABASE_URL"

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        database_url = self.env.get(self.DATABASE_URL)
        if not database_url:
            msg = f"{self.DATABASE_URL} is not set; accepted forms: {ACCEPTED_URLS}"
            raise InfrastructureFactoryError(msg)
        self.event_log = open_event_log(database_url)

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        if purpose == "snapshots":
            return self.event_log.snapshots()
        if purpose == "events":
            return self.event_log
        msg = f"no recorder for {purpose!r}: the store keeps only events and snapshots"
        raise InfrastructureFactoryError(msg)

    def application_recorder(self) -> EventLog:
        return self.event_log

    def tracking_recorder(self, tracking_recorder_class: type[EventLog] | None = None) -> EventLog:
        if tracking_recorder_class is not None and not isinstance(
            self.event_log, tracking_recorder_class
        ):
            msg = f"tracking is kept in the event log, not in {tracking_recorder_class.__name__}"
            raise InfrastructureFactoryError(msg)
        return self.event_log

    def process_recorder(self) -> EventLog:
        return self.event_log

    def close(self) -> None:
        self.event_log.close()


def tracking_of(kwargs: dict[str, Any]) -> Tracking | None:
    """The `tracking=` record the library passes to `insert_events`, if any."""
    tracking = kwargs.get("tracking")
    if tracking is not None and not isinstance(tracking, Tracking):
        msg = f"tracking must be a Tracking record, not {type(tracking).__name__}"
        raise TypeError(msg)
    return tracking


def as_uuid(originator_id: UUID | str) -> UUID:
    """Aggregate ids are UUIDs in the store, whichever form the library hands over."""
    return originator_id if isinstance(originator_id, UUID) else UUID(originator_id)


@contextmanager
def persistence_errors(driver_error: type[Exception]) -> Iterator[None]:
    """Re-raises a DB-API driver's errors as the library's persistence errors, so that
    callers handle IntegrityError and OperationalError whichever backend is in use."""
    try:
        yield
    except driver_error as error:
        for cls in type(error).__mro__:
            library_error = getattr(persistence, cls.__name__, None)
            if isinstance(library_error, type) and issubclass(library_error, PersistenceError):
                raise library_error(str(error)) from error
        raise PersistenceError(str(error)) from error


class CommitSignal:
    """Wakes the subscriptions of one log when a commit may have added events."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._waiters: set[Event] = set()

    def listen(self, waiter: Event) -> None:
        with self._lock:
            self._waiters.add(waiter)

    def unlisten(self, waiter: Event) -> None:
        with self._lock:
            self._waiters.discard(waiter)

    def notify(self) -> None:
        with self._lock:
            for waiter in self._waiters:
                waiter.set()


class LogSubscription(ListenNotifySubscription[EventLog]):
    """Yields notifications after `gt`, then blocks for new ones.

    It wakes on the log's commit signal and, when `poll_interval` is given, also on a
    timer: other processes writing to the same SQLite file signal nothing here.
    """

    def __init__(
        self,
        log: EventLog,
        signal: CommitSignal,
        gt: int | None,
        topics: Sequence[str],
        poll_interval: float | None,
    ) -> None:
        # Set before the base class starts its thread, which may call stop() at once.
        self._signal = signal
        self._stopped = Event()
        super().__init__(recorder=log, gt=gt, topics=topics)
        signal.listen(self._has_been_notified)
        # Pull once more now that we listen: a commit since the first pull is not missed.
        self._has_been_notified.set()
        self._poller: Thread | None = None
        if poll_interval is not None:
            self._poller = Thread(target=self._poll, args=(poll_interval,), daemon=True)
            self._poller.start()

    def stop(self) -> None:
        super().stop()
        self._signal.unlisten(self._has_been_notified)
        self._stopped.set()

    def __exit__(self, *args: object, **kwargs: Any) -> None:
        try:
            super().__exit__(*args, **kwargs)
        finally:
            if self._poller is not None:
                self._poller.join()

    def _poll(self, interval: float) -> None:
        while not self._stopped.wait(interval):
            self._has_been_notified.set()
