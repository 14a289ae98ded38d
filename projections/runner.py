"""Running views over the log: catch up from each view's position, then follow the log
as it grows; rebuild a view from position 0; fold a view up to a moment (time travel).

Each batch of events and the positions it brings the views to are committed in one
transaction, then a view-changed notice goes to the bus. A runner that crashes leaves
every view at the last committed batch, so a new runner carries on from there."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from threading import Event, Thread
from typing import Any, Protocol

import orjson

from domain.events import topics_of
from projections.bus import Bus, ViewChanged
from projections.records import Record, StoredRow, decode, name_of
from projections.store import StalePosition, ViewStore
from projections.store.memory import MemoryViewStore
from projections.view import Key, Rows, Table, View

BATCH = 2000
CACHE_LIMIT = 200_000
POLL = 0.5
"""Seconds between looks at the log when no wake-up came."""
Progress = Callable[[int, int], None]
"""(position reached, head of the log)"""


class Log(Protocol):
    """What a runner reads: infra.event_store.EventLog has it."""

    def scan(self, after: int, limit: int, topics: Sequence[str] = ()) -> list[StoredRow]: ...

    def max_notification_id(self) -> int | None: ...

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> Any: ...


class ProjectionRunner:
    def __init__(
        self,
        log: Log,
        store: ViewStore,
        views: Sequence[View],
        bus: Bus | None = None,
        batch: int = BATCH,
    ) -> None:
        self.log, self.store, self.views, self.bus, self.batch = log, store, views, bus, batch
        self._readers: dict[str, list[View]] = {}
        for view in views:
            for name in view.events:
                self._readers.setdefault(name, []).append(view)
        self._topics = topics_of(sorted(self._readers))
        self._cache: dict[tuple[str, Key], Any | None] = {}
        self.positions = store.prepare(views)

    @property
    def position(self) -> int:
        """The position every view has reached."""
        return min(self.positions.values(), default=0)

    def catch_up(self, progress: Progress | None = None) -> int:
        """Fold every event recorded so far; returns the position reached."""
        head = self.log.max_notification_id() or 0
        while self.position < head:
            rows = self.log.scan(self.position, self.batch, self._topics)
            rows = [row for row in rows if row[0] <= head]
            reached = rows[-1][0] if len(rows) == self.batch else head
            self._commit(rows, reached)
            if progress is not None:
                progress(reached, head)
        return self.position

    def run(self, stop: Event, poll: float = POLL) -> None:
        """Catch up, then follow the log until `stop` is set. The log's subscription only
        wakes the runner (LISTEN/NOTIFY on PostgreSQL, the commit signal in-process);
        events are read in batches by position, and a poll covers missed wake-ups."""
        wake = Event()
        subscription = self.log.subscribe(gt=self.log.max_notification_id() or 0)
        listener = Thread(target=_wake_on_events, args=(subscription, wake), daemon=True)
        listener.start()
        Thread(target=_wake_on_stop, args=(stop, wake), daemon=True).start()
        try:
            while not stop.is_set():
                self.catch_up()
                wake.wait(poll)
                wake.clear()
        finally:
            subscription.stop()
            listener.join(timeout=5)

    def rebuild(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> int:
        """Fold the named views (all if None) from position 0 and replace what they hold."""
        chosen = [v for v in self.views if names is None or v.name in set(names)]
        rows, head = fold(self.log, chosen, progress=progress)
        for view in chosen:
            self.store.replace(view, rows, head)
            self.positions[view.name] = head
        self._cache.clear()
        return head

    # Batches ---------------------------------------------------------------------------------

    def _commit(self, stored: Sequence[StoredRow], reached: int) -> None:
        changes = Rows(self)
        for record in _records(stored, self._readers):
            for view in self._readers[record.name]:
                if record.position > self.positions[view.name]:
                    view.apply(record, changes)
        moves = {
            view.name: (self.positions[view.name], reached)
            for view in self.views
            if self.positions[view.name] < reached
        }
        try:
            self.store.commit(changes, moves)
        except StalePosition:
            self._cache.clear()
            self.positions = self.store.prepare(self.views)
            raise
        for view_name, (_, new) in moves.items():
            self.positions[view_name] = new
        self._remember(changes)
        if self.bus is not None:
            for view_name, keys in changes.touched.items():
                self.bus.publish(ViewChanged(view_name, frozenset(keys), reached))

    def fetch(self, table: Table, key: Key) -> Any | None:
        """Rows missing from a batch come from the store, through a cache of our own
        writes: this runner is the only writer of its views (positions guard that)."""
        slot = (table.name, key)
        if slot not in self._cache:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[slot] = self.store.fetch(table, key)
        return self._cache[slot]

    def _remember(self, changes: Rows) -> None:
        for table_name, written in changes.changed.items():
            for key, row in written.items():
                self._cache[(table_name, key)] = row


def fold(
    log: Log,
    views: Sequence[View],
    up_to: int | None = None,
    until: datetime | None = None,
    progress: Progress | None = None,
) -> tuple[Rows, int]:
    """Fold views from position 0 in memory: up to a position, and/or over the events
    whose business instant is not after `until`. Returns the rows and the position."""
    readers: dict[str, list[View]] = {}
    for view in views:
        for name in view.events:
            readers.setdefault(name, []).append(view)
    head = log.max_notification_id() or 0
    head = head if up_to is None else min(head, up_to)
    rows = Rows(None, notices=False)
    topics = topics_of(sorted(readers))
    with bulk():
        _fold_pages(log, readers, topics, rows, head, until, progress)
    return rows, head


def _fold_pages(
    log: Log,
    readers: dict[str, list[View]],
    topics: list[str],
    rows: Rows,
    head: int,
    until: datetime | None,
    progress: Progress | None,
) -> None:
    """The hot loop of a rebuild: each topic's name and folds are looked up once, and an
    event is decoded only when some view folds it."""
    folds: dict[str, tuple[str, list[Callable[[Record, Rows], None]]]] = {}
    position = 0
    while position < head:
        stored = log.scan(position, BATCH * 10, topics)
        for at, originator, version, topic, state in stored:
            if at > head:
                break
            found = folds.get(topic)
            if found is None:
                name = name_of(topic)
                found = folds[topic] = (name, [view.apply for view in readers.get(name, ())])
            name, applies = found
            if applies:
                record = Record(at, name, originator, version, orjson.loads(state))
                if until is None or record.at <= until:
                    for apply in applies:
                        apply(record, rows)
        position = stored[-1][0] if len(stored) == BATCH * 10 else head
        if progress is not None:
            progress(position, head)


@contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection while folding a whole log: a fold makes hundreds of
    thousands of short-lived dicts and no cycles, and the collector's passes over the
    growing rows would cost more than the fold itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def as_of(
    log: Log, views: Sequence[View], position: int | None = None, instant: datetime | None = None
) -> MemoryViewStore:
    """Time travel: the views as they were at a position or an instant, in memory."""
    rows, head = fold(log, views, up_to=position, until=instant)
    store = MemoryViewStore()
    store.prepare(views)
    for view in views:
        store.replace(view, rows, head)
    return store


def _records(stored: Iterable[StoredRow], readers: dict[str, list[View]]) -> Iterator[Record]:
    for row in stored:
        if name_of(row[3]) in readers:
            yield decode(row)


def _wake_on_events(subscription: Iterable[Any], wake: Event) -> None:
    for _ in subscription:
        wake.set()


def _wake_on_stop(stop: Event, wake: Event) -> None:
    stop.wait()
    wake.set()
