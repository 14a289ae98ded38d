"""A projection worker follows each live view on a runner of its own: the wall map's
notice goes out while another view is still folding the same events."""

from __future__ import annotations

from dataclasses import dataclass, field
from queue import Queue
from threading import Event, Thread

from domain.service import GridCenter
from infra.leases import MemoryLeases
from infra.workers import ViewWorker
from projections import grid_status
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
    stuck, heard = StuckView(), Queue[Notice]()
    bus = Bus()
    bus.subscribe(heard.put)
    views = [grid_status, stuck]
    worker = ViewWorker(app.recorder, MemoryViewStore(), views, MemoryLeases(), bus)
    worker.catch_up()
    stop = Event()
    running = Thread(target=worker.run, args=(stop,))
    running.start()
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
