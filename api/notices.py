"""View-changed notices on the event loop. The bus calls on the projection runner's
thread; this hub hands each notice to the loop, where every listener of that view gets
it in its own bounded queue. A listener that falls MAX_BEHIND notices behind is dropped
with a clear error rather than buffered without bound; a client resubscribes and reads
the view afresh."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress

from projections.bus import Bus, ViewChanged

MAX_BEHIND = 1000


class FellBehind(RuntimeError):
    """The listener did not keep up with the notices of its view."""


class Notices:
    def __init__(self, bus: Bus, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._listeners: dict[str, set[asyncio.Queue[ViewChanged | None]]] = {}
        self._unsubscribe: Callable[[], None] = bus.subscribe(self._from_thread)

    @asynccontextmanager
    async def listening(self, view: str) -> AsyncIterator[AsyncIterator[ViewChanged]]:
        """The notices of `view` from now on, for as long as the block runs."""
        queue: asyncio.Queue[ViewChanged | None] = asyncio.Queue(MAX_BEHIND)
        self._listeners.setdefault(view, set()).add(queue)
        try:
            yield _drain(queue)
        finally:
            self._listeners[view].discard(queue)

    def close(self) -> None:
        self._unsubscribe()

    def _from_thread(self, notice: ViewChanged) -> None:
        with suppress(RuntimeError):  # the loop closed: the server is stopping
            self._loop.call_soon_threadsafe(self._deliver, notice)

    def _deliver(self, notice: ViewChanged) -> None:
        for queue in list(self._listeners.get(notice.view, ())):
            if queue.full():
                self._listeners[notice.view].discard(queue)
                queue.get_nowait()  # make room for the mark that ends it
                queue.put_nowait(None)
            else:
                queue.put_nowait(notice)


async def _drain(queue: asyncio.Queue[ViewChanged | None]) -> AsyncIterator[ViewChanged]:
    while True:
        notice = await queue.get()
        if notice is None:
            raise FellBehind(f"fell {MAX_BEHIND} notices behind: subscribe again")
        yield notice
