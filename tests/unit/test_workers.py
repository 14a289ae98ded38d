"""A projection worker follows each live view on a runner of its own: the wall map's
notice goes out while another view is still folding the same events; the views no
screen follows live gather a burst of commits into one batch."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from queue import Queue
from threading import Event, Thread

from domain.service import GridCenter
from infra.leases import MemoryLeases
from infra.workers import ViewWorker
from projections import grid_status, headline
from projections.bus import Bus, Notice, ViewChanged
from projections.records import Record
from projections.runner import Wakes
from projections.store.memory import MemoryViewStore
from projections.view import Rows, Table
from tests.fixtures import Loop

WAIT = 10.0
"""Seconds a test waits for what should come at once."""


@dataclass
class StuckView:
    """A view whose fold of a report waits until it is let go."""

    name: str = "stuck"
    version: int = 1
    tables: tuple[Table, ...] = ()
    events: frozenset[str] = frozenset({"CaseReported"})
    folding: Event = field(default_factory=Event)
    let_go: Event = field(default_factory=Event)

    def apply(self, record: Record, rows: Rows) -> None:
        self.folding.set()
        self.let_go.wait(WAIT)


def test_the_wall_map_is_told_of_a_report_while_another_view_still_folds_it(
    app: GridCenter, loop: Loop
) -> None:
    stuck = StuckView()
    bus, heard = listened()
    worker = ViewWorker(app.recorder, MemoryViewStore(), [grid_status, stuck], MemoryLeases(), bus)
    with following(worker):
        try:
            loop.reported()
            assert stuck.folding.wait(WAIT)
            head = app.recorder.max_notification_id()
            notice = heard.get(timeout=WAIT)
            while not isinstance(notice, ViewChanged) or notice.position < head:
                notice = heard.get(timeout=WAIT)  # those of the catch-up
            assert notice.view == grid_status.name
            assert worker.store.positions()[stuck.name] < head  # still folding the report
        finally:
            stuck.let_go.set()


def test_a_view_no_screen_follows_folds_a_burst_of_reports_as_one_batch(
    app: GridCenter, loop: Loop
) -> None:
    bus, heard = listened()
    views = [grid_status, headline]
    worker = ViewWorker(app.recorder, MemoryViewStore(), views, MemoryLeases(), bus, settle=1.0)
    with following(worker):
        loop.reported()
        before = app.recorder.max_notification_id()
        while (notice := heard.get(timeout=WAIT)).view != headline.name or notice.position < before:
            pass  # the worker follows the log now
        for _ in range(3):
            loop.reported()
            time.sleep(0.05)  # a report every 50 ms: three batches, were there no settling
        head = app.recorder.max_notification_id()
        moves: dict[str, list[tuple[int, int]]] = {grid_status.name: [], headline.name: []}
        while not moves[headline.name] or moves[headline.name][-1][1] < head:
            notice = heard.get(timeout=WAIT)
            if isinstance(notice, ViewChanged) and notice.position > before:
                moves[notice.view].append((notice.after, notice.position))
        assert moves[headline.name] == [(before, head)]  # the three reports, one batch
        assert moves[grid_status.name][0][0] == before  # the live view did not wait


def listened() -> tuple[Bus, Queue[Notice]]:
    """A bus, and the queue of every notice published on it."""
    bus, heard = Bus(), Queue[Notice]()
    bus.subscribe(heard.put)
    return bus, heard


@contextmanager
def following(worker: ViewWorker) -> Iterator[None]:
    """The worker caught up, then following the log on a thread while the block runs."""
    worker.catch_up()
    stop = Event()
    running = Thread(target=worker.run, args=(stop,))
    running.start()
    try:
        yield
    finally:
        stop.set()
        running.join(WAIT)


def test_every_follower_is_woken_by_a_commit_until_it_is_forgotten(
    app: GridCenter, loop: Loop
) -> None:
    wakes = Wakes(app.recorder)
    first, second = wakes.event(), wakes.event()
    loop.reported()
    assert first.is_set() and second.is_set()
    first.clear()
    second.clear()
    wakes.forget(first)
    loop.reported()
    assert second.is_set() and not first.is_set()
    second.clear()
    wakes.close()
    loop.reported()
    assert not second.is_set()
