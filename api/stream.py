"""The head of the log as the event loop sees it. One thread follows the log's own
subscription (LISTEN/NOTIFY on PostgreSQL, commit signals and a poll on SQLite) and wakes
every stream waiting for events beyond a position."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from threading import Thread

from infra.event_store import EventLog

WAIT = 5.0
"""Seconds a stream waits for a wake-up before it looks at the log anyway."""


class LogHead:
    def __init__(self, log: EventLog, loop: asyncio.AbstractEventLoop) -> None:
        self.position = log.max_notification_id() or 0
        self._loop = loop
        self._moved = asyncio.Event()
        self._subscription = log.subscribe(gt=self.position)
        self._thread = Thread(target=self._follow, name="log head", daemon=True)
        self._thread.start()

    async def beyond(self, position: int, wait: float = WAIT) -> None:
        """Return once the log is past `position`, or after `wait` seconds at most."""
        if self.position > position:
            return
        with suppress(TimeoutError):
            await asyncio.wait_for(self._moved.wait(), wait)

    def close(self) -> None:
        self._subscription.stop()
        self._thread.join(timeout=10)

    def _follow(self) -> None:
        for notification in self._subscription:
            with suppress(RuntimeError):  # the loop closed: the server is stopping
                self._loop.call_soon_threadsafe(self._advance, notification.id)

    def _advance(self, position: int) -> None:
        if position > self.position:
            self.position = position
            moved, self._moved = self._moved, asyncio.Event()
            moved.set()
