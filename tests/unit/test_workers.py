"""A projection worker follows its views in turn on one thread, each live view a runner
of its own: the log is read once a batch for all of them, and the wall map's notice
goes out first, while another view is still folding the same events; a report that
comes meanwhile goes to the wall map before the round's later views."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from queue import Queue
from threading import Event, Thread

from domain.service import GridCenter
from infra.leases import MemoryLeases
from infra.workers import ViewWorker
from projections import VIEWS, case_board, grid_status, workload
from projections.bus import Bus, Notice, ViewChanged
from projections.records import Record, StoredRow
from projections.runner import Wakes
from projections.store.memory import MemoryViewStore
from projections.view import Rows, Table, View
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


@contextmanager
def following(
    app: GridCenter, views: list[View], heard: Queue[Notice], stuck: StuckView
) -> Iterator[ViewWorker]:
    """A worker of the views, caught up, following the log on a thread of its own while
    the block runs, its notices put in `heard`; the stuck view is let go at the end."""
    bus = Bus()
    bus.subscribe(heard.put)
    worker = ViewWorker(app.recorder, MemoryViewStore(), views, MemoryLeases(), bus)
    worker.catch_up()
    stop = Event()
    running = Thread(target=worker.run, args=(stop,))
    running.start()
    try:
        yield worker
    finally:
        stuck.let_go.set()
        stop.set()
        running.join(WAIT)


def test_the_wall_map_is_told_of_a_report_while_another_view_still_folds_it(
    app: GridCenter, loop: Loop
) -> None:
    stuck, heard = StuckView(), Queue[Notice]()
    with following(app, [grid_status, stuck], heard, stuck) as worker:
        loop.reported()
        assert stuck.folding.wait(WAIT)
        head = app.recorder.max_notification_id()
        notice = heard.get(timeout=WAIT)
        while not isinstance(notice, ViewChanged) or notice.position < head:
            notice = heard.get(timeout=WAIT)  # those of the catch-up
        assert notice.view == grid_status.name
        assert worker.store.positions()[stuck.name] < head  # still folding the report


@dataclass
class CountedLog:
    """The log, counting its reads of events."""

    log: GridCenter
    scans: int = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.log.recorder, name)

    def scan(self, after: int, limit: int, topics: list[str]) -> list[StoredRow]:
        self.scans += 1
        return self.log.recorder.scan(after, limit, topics)


def test_a_worker_reads_each_batch_once_and_commits_the_wall_map_first(
    app: GridCenter, loop: Loop
) -> None:
    heard: list[str] = []
    bus = Bus()
    bus.subscribe(lambda notice: heard.append(getattr(notice, "view", "")))
    counted = CountedLog(app)
    worker = ViewWorker(counted, MemoryViewStore(), VIEWS, MemoryLeases(), bus)  # type: ignore[arg-type]
    worker.catch_up()
    scans, heard[:] = counted.scans, []
    loop.reported()
    assert worker.catch_up() == app.recorder.max_notification_id()
    assert counted.scans == scans + 1  # one read of the report for every view
    assert heard[:3] == [grid_status.name, case_board.name, workload.name]
    assert sorted(heard) == sorted(view.name for view in VIEWS)


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


def test_a_report_recorded_mid_round_reaches_the_wall_map_before_the_later_views(
    app: GridCenter, loop: Loop
) -> None:
    stuck = StuckView(name=workload.name)  # a live view: committed alone, mid-round
    later = StuckView(name="later")  # committed last
    later.let_go.set()
    heard = Queue[Notice]()
    with following(app, [grid_status, stuck, later], heard, stuck):
        loop.reported()
        assert stuck.folding.wait(WAIT)
        first = app.recorder.max_notification_id() or 0
        loop.reported()  # while the round still folds the first report
        second = app.recorder.max_notification_id() or 0
        stuck.let_go.set()
        told: list[tuple[str, int]] = []
        while (later.name, second) not in told:
            notice = heard.get(timeout=WAIT)
            if isinstance(notice, ViewChanged):
                told.append((notice.view, notice.position))
        assert told.index((grid_status.name, second)) < told.index((later.name, first))
