"""View-changed notices on the event loop. The bus calls on its own threads (the
projection runner's, the Redis listener's); this hub hands each notice to the loop,
where every listener of that view gets it in its own bounded queue. A listener that
falls MAX_BEHIND notices behind is dropped with a clear error rather than buffered
without bound; a client resubscribes and reads the view afresh. A listener that finds
several notices waiting takes them as one (their keys together): under load, a live view
is read once for all the changes that queued up while it was busy, not once for each.

The hub follows each view's position. A notice that starts after the position the last
one ended at means some were missed (Redis restarted, a worker took over); and a view
whose position moved in the database while no notice came for GAP_CHECK seconds has
had its notices lost. Either way listeners get a notice for the gap: its keys read from
the log for the case board (the cases whose events lie in it), None for the other
views, whose listeners then read all they follow."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from threading import Lock

from anyio import to_thread

from domain.events import CASE_EVENTS, topics_of
from infra.event_store import EventLog
from infra.metrics import NOTICES_DROPPED
from projections import case_board
from projections.bus import Bus, Notice, ViewChanged
from projections.store import ViewStore

MAX_BEHIND = 1000
GAP_CHECK = 3.0
"""Seconds of silence from a view after which its position is read from the database."""


class FellBehind(RuntimeError):
    """The listener did not keep up with the notices of its view."""


class Notices:
    def __init__(
        self, bus: Bus, loop: asyncio.AbstractEventLoop, views: ViewStore, log: EventLog
    ) -> None:
        self._loop, self._views, self._log = loop, views, log
        self._listeners: dict[str, set[asyncio.Queue[ViewChanged | None]]] = {}
        self._last: dict[str, int] = views.positions()
        self._heard: dict[str, float] = {}
        self._handing, self._handed = Lock(), list[ViewChanged]()
        self._unsubscribe: Callable[[], None] = bus.subscribe(self._from_thread)
        self._checking = loop.create_task(self._check_gaps())

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
        self._checking.cancel()

    def _from_thread(self, notice: Notice) -> None:
        """Notices go to the loop in bunches: what came while a hand-over waited for the
        loop goes with it, in order, so a busy loop is woken once, not once a notice."""
        if not isinstance(notice, ViewChanged):
            return
        with self._handing:
            self._handed.append(notice)
            if len(self._handed) > 1:
                return  # a hand-over is on its way: it takes this one too
        with suppress(RuntimeError):  # the loop closed: the server is stopping
            self._loop.call_soon_threadsafe(self._arrived_together)

    def _arrived_together(self) -> None:
        with self._handing:
            handed, self._handed = self._handed, []
        for notice in handed:
            self._arrived(notice)

    def _arrived(self, notice: ViewChanged) -> None:
        last = self._last.get(notice.view, 0)
        if notice.position <= last:
            return  # heard already (a gap notice covered it)
        if notice.after > last:
            self._loop.create_task(self._gap(notice.view, last, notice.after))
        self._last[notice.view] = notice.position
        self._heard[notice.view] = time.monotonic()
        self._deliver(notice)

    async def _check_gaps(self) -> None:
        while True:
            await asyncio.sleep(GAP_CHECK)
            with suppress(Exception):  # the database is away: look again later
                positions = await to_thread.run_sync(self._views.positions)
                quiet = time.monotonic() - GAP_CHECK
                for view, position in positions.items():
                    last = self._last.get(view, 0)
                    if position > last and self._heard.get(view, 0) < quiet:
                        self._last[view] = position
                        await self._gap(view, last, position)

    async def _gap(self, view: str, after: int, position: int) -> None:
        keys = None
        if view == case_board.name:
            keys = await to_thread.run_sync(_cases_between, self._log, after, position)
        self._deliver(ViewChanged(view, keys, position, after))

    def _deliver(self, notice: ViewChanged) -> None:
        for queue in list(self._listeners.get(notice.view, ())):
            if queue.full():
                NOTICES_DROPPED.labels("fell behind").inc()
                self._listeners[notice.view].discard(queue)
                queue.get_nowait()  # make room for the mark that ends it
                queue.put_nowait(None)
            else:
                queue.put_nowait(notice)


def _cases_between(log: EventLog, after: int, position: int) -> frozenset[str]:
    """The cases with events in (after, position]: those the missed notices named."""
    cases: set[str] = set()
    topics = topics_of(sorted(CASE_EVENTS))
    while rows := log.scan(after, 5000, topics):
        cases.update(row[1] for row in rows if row[0] <= position)
        after = rows[-1][0]
        if after >= position:
            break
    return frozenset(cases)


async def _drain(queue: asyncio.Queue[ViewChanged | None]) -> AsyncIterator[ViewChanged]:
    while True:
        notice = await queue.get()
        while notice is not None and not queue.empty():  # behind: read what waits once
            later = queue.get_nowait()
            notice = None if later is None else merged(notice, later)
        if notice is None:
            raise FellBehind(f"fell {MAX_BEHIND} notices behind: subscribe again")
        yield notice


def merged(first: ViewChanged, later: ViewChanged) -> ViewChanged:
    """Two notices of a view as one: every key either names (all, if either does not
    know), from where the first started to where the later ended, with the rows both
    brought (the later's after the first's), if both did."""
    keys = None if first.keys is None or later.keys is None else first.keys | later.keys
    after, position = min(first.after, later.after), max(first.position, later.position)
    rows = None if first.rows is None or later.rows is None else first.rows + later.rows
    return ViewChanged(first.view, keys, position, after, rows)
