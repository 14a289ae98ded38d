"""The head of the log as the event loop sees it. The log tells its head at each commit
(the NOTIFY's payload on PostgreSQL, the commit signal in-process, a poll of the file on
SQLite), and the bus brings other processes' EventsRecorded notices (over Redis); either
wakes every stream waiting for events beyond a position. Nothing is read for a commit:
a subscription of the log read each new event on every node, a query a commit each."""

from __future__ import annotations

import asyncio
from contextlib import suppress

from infra.event_store import EventLog
from projections.bus import Bus, EventsRecorded, Notice

WAIT = 5.0
"""Seconds a stream waits for a wake-up before it looks at the log anyway."""


class LogHead:
    """Made on a worker thread: following the log may wait for its listener."""

    def __init__(self, log: EventLog, loop: asyncio.AbstractEventLoop, bus: Bus) -> None:
        self.position = 0
        self._loop = loop
        self._moved = asyncio.Event()
        self._stop_following = log.follow_head(self._wake)  # first: no commit falls between
        self._wake(log.max_notification_id() or 0)
        self._unsubscribe = bus.subscribe(self._heard)

    async def beyond(self, position: int, wait: float = WAIT) -> None:
        """Return once the log is past `position`, or after `wait` seconds at most."""
        if self.position > position:
            return
        with suppress(TimeoutError):
            await asyncio.wait_for(self._moved.wait(), wait)

    def close(self) -> None:
        self._unsubscribe()
        self._stop_following()

    def _heard(self, notice: Notice) -> None:
        if isinstance(notice, EventsRecorded):
            self._wake(notice.position)

    def _wake(self, position: int) -> None:
        with suppress(RuntimeError):  # the loop closed: the server is stopping
            self._loop.call_soon_threadsafe(self._advance, position)

    def _advance(self, position: int) -> None:
        if position > self.position:
            self.position = position
            moved, self._moved = self._moved, asyncio.Event()
            moved.set()
