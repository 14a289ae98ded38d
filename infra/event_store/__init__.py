"""The event store: one ordered log of every event, positions 1, 2, 3, … without gaps.

We write our own recorders because the library's PostgreSQL recorder numbers events
with a sequence that a failed transaction leaves gaps in, and because positions must be
handed out in one single place (`EventLog.insert_events`) on every backend. The log
implements the library's recorder interfaces, so an unchanged eventsourcing
`Application` uses it through `Factory` (``PERSISTENCE_MODULE=infra.event_store``).

The backends are `memory`, `sqlite` and `postgres`; the last two read through `sql`, and
all three wake their subscribers through `subscriptions`.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self
from uuid import UUID

from eventsourcing.persistence import (
    AggregateRecorder,
    InfrastructureFactory,
    InfrastructureFactoryError,
    Notification,
    ProcessRecorder,
    StoredEvent,
    Tracking,
)
from eventsourcing.utils import Environment, EnvType

if TYPE_CHECKING:  # the backends import this module, and subscriptions.py does too
    from infra.event_store.subscriptions import CommitSignal

StoredRow = tuple[int, str, int, str, bytes]

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
    audits need. Snapshots are kept beside the events, in the same store.
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
    def scan(self, after: int, limit: int, topics: Sequence[str] = ()) -> list[StoredRow]:
        """Events after a position as plain rows, for readers that fold the whole log:
        (position, originator id as 32 hex digits, version, topic, state)."""

    @abstractmethod
    def count_topics(self) -> dict[str, int]:
        """How many events of each topic the log holds (for planning whole-log work)."""

    @abstractmethod
    def select_history(self, originator_id: UUID, after: int | None = None) -> list[Notification]:
        """One aggregate's events after position `after`, in version order."""

    @abstractmethod
    def select_versions(
        self,
        table: str,
        originator_id: UUID | str,
        gt: int | None,
        lte: int | None,
        desc: bool,
        limit: int | None,
    ) -> list[StoredEvent]:
        """One aggregate's ``events`` or ``snapshots`` by version, as the library asks."""

    @abstractmethod
    def insert_snapshots(self, stored_events: Sequence[StoredEvent]) -> None:
        """Records snapshots, all or none."""

    @abstractmethod
    def close(self) -> None:
        """Releases connections; closing twice is harmless."""

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

    def snapshots(self) -> AggregateRecorder:
        """The recorder of aggregate snapshots kept beside this log."""
        return Snapshots(self)

    _signal: CommitSignal

    def follow_head(self, moved: Callable[[int], None]) -> Callable[[], None]:
        """Call `moved` with the position of the last event whenever a commit moves it
        (any process's on PostgreSQL, where the commit's NOTIFY says where to; this
        process's otherwise, and on SQLite other processes' within a poll), on the thread
        that heard it; returns what stops it. For readers of the log by position and
        for the log's head on the event loop: unlike a subscription, it reads nothing."""
        return self._signal.follow(moved)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class Snapshots(AggregateRecorder):
    """Snapshots in the same store as the log, through the log."""

    def __init__(self, log: EventLog) -> None:
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
