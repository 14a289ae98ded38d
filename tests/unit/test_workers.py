"""A projection worker follows its views in turn on one thread, each live view a runner
of its own: the log is read once a batch for all of them, and the wall map's notice
goes out first, while another view is still folding the same events."""

from __future__ import annotations

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
