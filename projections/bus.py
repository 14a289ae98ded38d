"""Notices, after each commit: a view moved (from which position to which, and the keys
whose rows changed), or the log grew (to which position). Every move of a view has its
notice, keys or none, so a listener that sees a notice start after the position it last
heard of knows it missed some, and reads the view afresh. In-process here;
infra/redis_bus.py carries them between processes. Notices only wake readers: what is
true is in the database, by position."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock
from typing import Any


@dataclass(frozen=True)
class ViewChanged:
    view: str
    keys: frozenset[Any] | None
    """The keys whose rows changed; None: unknown (notices were missed), read it all."""
    position: int
    after: int = 0
    """The position the view was at before: the last notice's position."""
    rows: tuple[Any, ...] | None = None
    """The rows written to the view's `noticed` table (projections.view.noticed), in the
    order written, a later row of a key after an earlier one: listeners need no read.
    None: not brought (the view names no such table, the batch wrote too many or deleted
    one, or notices were missed); a key named without a row among them kept its row."""


@dataclass(frozen=True)
class EventsRecorded:
    """The log holds events up to `position` (a command was recorded)."""

    position: int


Notice = ViewChanged | EventsRecorded
Listener = Callable[[Notice], None]


class Bus:
    """Calls every listener with every notice, in order, on the publisher's thread;
    listeners hand work to their own loop rather than block it."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                self._listeners.remove(listener)

        return unsubscribe

    def publish(self, *notices: Notice) -> None:
        """The notices of one commit, together: between processes they go as one
        message (a worker's commit moves a dozen views; one message each woke every
        node a dozen times a command)."""
        for notice in notices:
            self.deliver(notice)

    def deliver(self, notice: Notice) -> None:
        """To this process's listeners."""
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(notice)

    def close(self) -> None:
        """Nothing to release in-process."""
