"""Replaying the log from position 0 in memory: a rebuild's fold, and time travel (a view
as of a position or an instant). A replay also measures what it cost, view by view, so
a rebuild on several processes can share the views out evenly next time."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from time import thread_time
from typing import Protocol

import orjson

from domain.events import topics_of
from projections.records import Record, StoredRow, name_of
from projections.store.memory import MemoryViewStore
from projections.view import Rows, View

PAGE = 20_000
"""Events read at a time."""
SAMPLE = 64
"""One event in SAMPLE has its folds timed, view by view: enough to share views out by
their cost, at no measurable cost to the replay itself. They are timed in CPU time: a
sample counts SAMPLE times, so on a busy machine one fold preempted mid-way would count
another process's time slice sixty-four times over."""
Progress = Callable[[int, int], None]
"""(position reached, head of the log)"""


class Log(Protocol):
    """What a replay reads: infra.event_store.EventLog has it."""

    def scan(self, after: int, limit: int, topics: Sequence[str] = ()) -> list[StoredRow]: ...

    def max_notification_id(self) -> int | None: ...

    def follow_head(self, moved: Callable[[int], None]) -> Callable[[], None]: ...


@dataclass
class Effort:
    """What a replay cost: its seconds, the events it read (and how many of each topic),
    and each view's estimated seconds of folding (from the sampled events) and of storing
    (if a rebuild stored it); the rest of the seconds is reading. Reading and folding are
    counted in CPU seconds of the replaying thread, which another busy process on the
    machine leaves as they are; storing in seconds, as the database does most of it."""

    seconds: float = 0.0
    events: int = 0
    views: dict[str, float] = field(default_factory=dict)
    topics: Counter[str] = field(default_factory=Counter)


def fold(
    log: Log,
    views: Sequence[View],
    up_to: int | None = None,
    until: datetime | None = None,
    progress: Progress | None = None,
    effort: Effort | None = None,
) -> tuple[Rows, int]:
    """Fold views from position 0 in memory: up to a position, and/or over the events
    whose business instant is not after `until`. Returns the rows and the position."""
    started = thread_time()
    head = log.max_notification_id() or 0
    head = head if up_to is None else min(head, up_to)
    rows = Rows(None, notices=False)
    effort = Effort() if effort is None else effort
    with bulk():
        _fold_pages(log, views, rows, head, until, progress, effort)
    effort.seconds += thread_time() - started
    return rows, head


def _fold_pages(
    log: Log,
    views: Sequence[View],
    rows: Rows,
    head: int,
    until: datetime | None,
    progress: Progress | None,
    effort: Effort,
) -> None:
    """The hot loop: each topic's folds are looked up once, and an event is decoded only
    when some view folds it."""
    folds: dict[str, tuple[str, list[View]]] = {}
    topics = topics_of(sorted({name for view in views for name in view.events}))
    position, seen = 0, 0
    while position < head:
        stored = log.scan(position, PAGE, topics)
        for at, originator, version, topic, state in stored:
            if at > head:
                break
            found = folds.get(topic)
            if found is None:
                name = name_of(topic)
                found = folds[topic] = (name, [view for view in views if name in view.events])
            name, readers = found
            record = Record(at, name, originator, version, orjson.loads(state))
            if until is not None and record.at > until:
                continue
            seen += 1
            if seen % SAMPLE:
                for view in readers:
                    view.apply(record, rows)
            else:
                _timed(record, rows, readers, effort.views)
        effort.events += len(stored)
        effort.topics.update(map(_TOPIC, stored))
        position = stored[-1][0] if len(stored) == PAGE else head
        if progress is not None:
            progress(position, head)


_TOPIC = itemgetter(3)


def _timed(record: Record, rows: Rows, readers: list[View], costs: dict[str, float]) -> None:
    """Each view's fold of the event, timed between reads of the clock. A read of a CPU
    clock is a system call that costs about as much as a small fold, and more on a busy
    machine, so its cost, measured afresh, is taken off each view's time."""
    before = thread_time()
    now = thread_time()
    tare = now - before
    for view in readers:
        view.apply(record, rows)
        before, now = now, thread_time()
        costs[view.name] = costs.get(view.name, 0.0) + (now - before - tare) * SAMPLE


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
