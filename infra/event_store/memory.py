"""The event log kept in this process's memory: unit tests, time travel, throwaway runs.

It follows the same rules as the SQL backends (gap-free positions handed out under one
lock, all-or-nothing batches, IntegrityError on conflicts) so that code tested against
it behaves the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from threading import Lock
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    ApplicationRecorder,
    IntegrityError,
    Notification,
    StoredEvent,
    Subscription,
    Tracking,
)

from infra.event_store import EventLog, StoredRow, as_uuid, tracking_of
from infra.event_store.subscriptions import CommitSignal, LogSubscription

POLL_INTERVAL = 0.5
"""Seconds between a subscription's polls, in case a wake-up was missed."""


class MemoryEventLog(EventLog):
    """Events in a list whose index + 1 is the position, and by aggregate and version
    beside the snapshots."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._events: list[Notification] = []
        self._histories: dict[UUID, dict[int, Notification]] = {}
        self._snapshots: dict[UUID, dict[int, StoredEvent]] = {}
        self._tracking: dict[str, set[int]] = {}
        self._counters: dict[str, int] = {}
        self._signal = CommitSignal()

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> list[int]:
        tracking = tracking_of(kwargs)
        with self._lock:
            _check_unique(self._histories, stored_events)
            if tracking is not None:
                self._check_tracking(tracking)
            first = len(self._events) + 1
            for position, stored in enumerate(stored_events, start=first):
                originator_id = as_uuid(stored.originator_id)
                notification = Notification(
                    id=position,
                    originator_id=originator_id,
                    originator_version=stored.originator_version,
                    topic=stored.topic,
                    state=stored.state,
                )
                self._events.append(notification)
                self._histories.setdefault(originator_id, {})[stored.originator_version] = (
                    notification
                )
            if tracking is not None:
                self._keep_tracking(tracking)
        if stored_events:
            self._signal.notify(first + len(stored_events) - 1)
        return list(range(first, first + len(stored_events)))

    def select_versions(
        self,
        table: str,
        originator_id: UUID | str,
        gt: int | None,
        lte: int | None,
        desc: bool,
        limit: int | None,
    ) -> list[StoredEvent]:
        tables: dict[str, Mapping[UUID, Mapping[int, StoredEvent]]] = {
            "events": self._histories,
            "snapshots": self._snapshots,
        }
        with self._lock:
            history = tables[table].get(as_uuid(originator_id), {})
            versions = [
                v
                for v in sorted(history, reverse=desc)
                if (gt is None or v > gt) and (lte is None or v <= lte)
            ]
            return [history[v] for v in versions[:limit]]

    def select_history(self, originator_id: UUID, after: int | None = None) -> list[Notification]:
        with self._lock:
            history = self._histories.get(as_uuid(originator_id), {})
            return [history[v] for v in sorted(history) if after is None or history[v].id > after]

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> list[Notification]:
        first = 1 if start is None else start if inclusive_of_start else start + 1
        found: list[Notification] = []
        with self._lock:
            last = len(self._events) if stop is None else min(stop, len(self._events))
            for index in range(max(first, 1) - 1, last):
                notification = self._events[index]
                if topics and notification.topic not in topics:
                    continue
                found.append(notification)
                if len(found) == limit:
                    break
        return found

    def scan(self, after: int, limit: int, topics: Sequence[str] = ()) -> list[StoredRow]:
        return [
            (n.id, as_uuid(n.originator_id).hex, n.originator_version, n.topic, n.state)
            for n in self.select_notifications(
                after, limit, topics=topics, inclusive_of_start=False
            )
        ]

    def count_topics(self) -> dict[str, int]:
        with self._lock:
            return dict(Counter(n.topic for n in self._events))

    def max_notification_id(self) -> int | None:
        with self._lock:
            return len(self._events) or None

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return LogSubscription(self, self._signal, gt, topics, POLL_INTERVAL)

    def insert_tracking(self, tracking: Tracking) -> None:
        with self._lock:
            self._check_tracking(tracking)
            self._keep_tracking(tracking)

    def max_tracking_id(self, application_name: str) -> int | None:
        with self._lock:
            return max(self._tracking.get(application_name, ()), default=None)

    def next_number(self, counter: str) -> int:
        with self._lock:
            self._counters[counter] = self._counters.get(counter, 0) + 1
            return self._counters[counter]

    def insert_snapshots(self, stored_events: Sequence[StoredEvent]) -> None:
        with self._lock:
            _check_unique(self._snapshots, stored_events)
            for stored in stored_events:
                history = self._snapshots.setdefault(as_uuid(stored.originator_id), {})
                history[stored.originator_version] = stored

    def close(self) -> None:
        """Nothing to release: the events live as long as this object."""

    def _check_tracking(self, tracking: Tracking) -> None:
        if tracking.notification_id in self._tracking.get(tracking.application_name, ()):
            msg = f"tracking already recorded: {tracking}"
            raise IntegrityError(msg)

    def _keep_tracking(self, tracking: Tracking) -> None:
        self._tracking.setdefault(tracking.application_name, set()).add(tracking.notification_id)


def _check_unique(
    histories: Mapping[UUID, Mapping[int, object]], stored_events: Sequence[StoredEvent]
) -> None:
    """Refuses a batch that repeats an (aggregate, version), before anything is kept."""
    keys = {(as_uuid(s.originator_id), s.originator_version) for s in stored_events}
    clash = len(keys) < len(stored_events) or any(
        version in histories.get(originator_id, {}) for originator_id, version in keys
    )
    if clash:
        msg = "an event with the same aggregate id and version is already recorded"
        raise IntegrityError(msg)
