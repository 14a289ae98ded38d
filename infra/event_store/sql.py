"""The event log's reads in SQL: SQLite and PostgreSQL write each in their own way
(README.md, *How positions are assigned*) but read with the same statements."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing import persistence
from eventsourcing.persistence import Notification, PersistenceError, StoredEvent

from infra.event_store import EventLog, StoredRow, as_uuid

COLUMNS = "position, originator_id, originator_version, topic, state"


class SQLEventLog(EventLog):
    """Reads the tables both SQL backends share (README.md) with the same statements;
    each backend supplies its driver's placeholder, its id form and `fetch`."""

    mark: ClassVar[str]
    """The driver's parameter placeholder: ``?`` or ``%s``."""
    hex_id: ClassVar[str]
    """An SQL expression for originator_id as 32 hex digits."""

    @abstractmethod
    def fetch(self, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Runs one statement on its own and returns its rows."""

    @abstractmethod
    def stored_id(self, originator_id: UUID) -> object:
        """An aggregate id in the form the originator_id column holds."""

    def select_versions(
        self,
        table: str,
        originator_id: UUID | str,
        gt: int | None,
        lte: int | None,
        desc: bool,
        limit: int | None,
    ) -> list[StoredEvent]:
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

    def scan(self, after: int, limit: int, topics: Sequence[str] = ()) -> list[StoredRow]:
        mark = self.mark
        query = f"SELECT position, {self.hex_id}, originator_version, topic, state FROM events"
        query += f" WHERE position > {mark}"
        params: list[Any] = [after]
        if topics:
            query += f" AND topic IN ({', '.join(mark for _ in topics)})"
            params.extend(topics)
        params.append(limit)
        return [
            (position, originator, version, topic, bytes(state))
            for position, originator, version, topic, state in self.fetch(
                query + f" ORDER BY position LIMIT {mark}", params
            )
        ]

    def count_topics(self) -> dict[str, int]:
        return {
            topic: int(count)
            for topic, count in self.fetch("SELECT topic, COUNT(*) FROM events GROUP BY topic", ())
        }

    def max_notification_id(self) -> int | None:
        return self._scalar("SELECT MAX(position) FROM events", ())

    def max_tracking_id(self, application_name: str) -> int | None:
        return self._scalar(
            f"SELECT MAX(notification_id) FROM tracking WHERE application_name = {self.mark}",
            [application_name],
        )

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
