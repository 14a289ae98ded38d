"""The projection mechanism: folding event by event, in any batch size, across crashes,
and rebuilding from 0 give the same views; notices name what changed; time travel shows
the views as they were."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from domain.deadlines import Limit, TimeUnit
from domain.service import GridCenter
from projections import VIEWS
from projections.bus import Bus, ViewChanged
from projections.case_board import board
from projections.replay import as_of, fold
from projections.runner import ProjectionRunner
from projections.store import StalePosition
from projections.store.memory import MemoryViewStore
from projections.view import Key, Table
from tests.fixtures import OPERATOR, SANITATION, Loop
from tests.histories import Crashed, Step, contents, crash_after, folded, play, steps

MANY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@MANY
@given(history=steps, batch=..., crashes=...)
def test_batches_crashes_and_rebuilds_give_identical_views(
    app_factory: Callable[[str], GridCenter], history: list[Step], batch: int, crashes: list[int]
) -> None:
    app = app_factory("memory:")
    play(app, history)
    rows, head = fold(app.recorder, VIEWS)
    expected = folded(rows, VIEWS, head)
    store = MemoryViewStore()
    size = 1 + abs(batch) % 7
    for after in [1 + abs(c) % 5 for c in crashes[:4]]:
        with suppress(Crashed):  # the runner is gone; a new one carries on from the store
            ProjectionRunner(app.recorder, store, VIEWS, batch=size).catch_up(crash_after(after))
    runner = ProjectionRunner(app.recorder, store, VIEWS, batch=size)
    assert runner.catch_up() == head
    assert contents(store, VIEWS) == expected
    runner.rebuild()
    assert contents(store, VIEWS) == expected
    one_by_one = MemoryViewStore()
    ProjectionRunner(app.recorder, one_by_one, VIEWS, batch=1).catch_up()
    assert contents(one_by_one, VIEWS) == expected


def test_a_view_changed_notice_follows_each_commit(app: GridCenter, loop: Loop) -> None:
    first = loop.reported()
    bus, heard = Bus(), []
    bus.subscribe(heard.append)
    runner = ProjectionRunner(app.recorder, MemoryViewStore(), VIEWS, bus, batch=3)
    runner.catch_up()
    reported = app.recorder.max_notification_id()
    second = loop.dispatched()
    runner.catch_up()
    head = app.recorder.max_notification_id()
    board_notices = [notice for notice in heard if notice.view == "case_board"]
    assert board_notices[-1] == ViewChanged(
        "case_board", frozenset({app.case(second).id.hex}), head, reported
    )
    assert any(app.case(first).id.hex in (notice.keys or ()) for notice in board_notices)
    for view in VIEWS:  # every move has its notice, each starting where the last ended
        mine = [(n.after, n.position) for n in heard if n.view == view.name]
        assert [after for after, _ in mine] == [0] + [position for _, position in mine[:-1]]
        assert mine[-1][1] == head


def test_a_runner_carries_on_where_the_last_one_stopped(app: GridCenter, loop: Loop) -> None:
    store = MemoryViewStore()
    loop.dispatched()
    ProjectionRunner(app.recorder, store, VIEWS).catch_up()
    number = loop.accepted()
    runner = ProjectionRunner(app.recorder, store, VIEWS)
    assert runner.position < (app.recorder.max_notification_id() or 0)
    runner.catch_up()
    rows, _ = board(store, loop.at)
    assert {r.number: r.stage for r in rows}[number] == "accepted"


def test_a_runner_carries_on_after_views_rebuilt_elsewhere(app: GridCenter, loop: Loop) -> None:
    store = MemoryViewStore()
    number = loop.dispatched()
    runner = ProjectionRunner(app.recorder, store, VIEWS)
    runner.catch_up()
    app.accept_case(number, by=SANITATION, at=loop.tick(60))
    app.request_extension(
        number, Limit(8, TimeUnit.WORK_HOURS), "需调机械", SANITATION, loop.tick()
    )
    head = ProjectionRunner(app.recorder, store, VIEWS).rebuild()  # as a worker process does
    runner.rebuilt([view.name for view in VIEWS], head)
    assert runner.position == head
    app.handle_case(number, note="已清运", by=SANITATION, at=loop.tick(60))
    runner.catch_up()  # from the rebuilt rows, not from the ones it had read before
    rows, _ = board(store, loop.at)
    found = {r.number: r for r in rows}[number]
    assert (found.stage, found.extension_asked) == ("handled", True)


def test_two_runners_cannot_both_advance_a_view(app: GridCenter, loop: Loop) -> None:
    store = MemoryViewStore()
    loop.reported()
    first, second = (ProjectionRunner(app.recorder, store, VIEWS) for _ in range(2))
    first.catch_up()
    loop.reported()
    with pytest.raises(StalePosition):
        second.catch_up()
    second.catch_up()  # it reloaded the positions and carries on from the first's
    assert second.position == app.recorder.max_notification_id()


def test_time_travel_shows_the_board_as_it_was(app: GridCenter, loop: Loop) -> None:
    number = loop.dispatched()
    dispatched_at, position = loop.at, app.recorder.max_notification_id()
    app.accept_case(number, by=SANITATION, at=loop.tick(60))
    app.handle_case(number, note="已清运", by=SANITATION, at=loop.tick(60))
    by_position = as_of(app.recorder, VIEWS, position=position)
    by_instant = as_of(app.recorder, VIEWS, instant=dispatched_at + timedelta(minutes=1))
    now = as_of(app.recorder, VIEWS)
    stage = {
        name: board(store, loop.at)[0][0].stage
        for name, store in (("position", by_position), ("instant", by_instant), ("now", now))
    }
    assert stage == {"position": "dispatched", "instant": "dispatched", "now": "handled"}


def test_a_suspended_case_on_the_board_keeps_the_instant_its_clock_stopped(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.accepted()
    app.suspend_case(number, reason="等待审批", by=OPERATOR, at=loop.tick(60))
    suspended_at = loop.at
    store = MemoryViewStore()
    runner = ProjectionRunner(app.recorder, store, VIEWS)
    runner.catch_up()
    (row,) = board(store, loop.at)[0]
    assert (row.suspended, row.suspended_at) == (True, suspended_at)
    app.resume_case(number, by=OPERATOR, at=loop.tick(60))
    runner.catch_up()
    (row,) = board(store, loop.at)[0]
    assert (row.suspended, row.suspended_at) == (False, None)
    assert row.deadline is not None and row.deadline > suspended_at


class Reads(MemoryViewStore):
    """A store that remembers what the runner read of it."""

    def __init__(self) -> None:
        super().__init__()
        self.read: list[tuple[str, tuple[str, ...]]] = []

    def fetch(self, table: Table, key: Key) -> Any | None:
        self.read.append((table.name, key))
        return super().fetch(table, key)


def test_a_report_is_folded_without_reading_the_store_for_its_new_case(
    app: GridCenter, loop: Loop
) -> None:
    store = Reads()
    loop.reported()
    runner = ProjectionRunner(app.recorder, store, VIEWS)
    runner.catch_up()
    case = app.case(loop.reported()).id.hex
    runner.catch_up()
    assert [(table, key) for table, key in store.read if case in key] == []
    assert case in {row.id for row in board(store, loop.at)[0]}
