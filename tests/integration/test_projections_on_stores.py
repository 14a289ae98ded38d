"""The views on SQLite and a real PostgreSQL: the same rows whether folded event by event,
in batches, across crashes or rebuilt from 0; the runner follows new events as they are
committed; and a runner killed with SIGKILL mid-batch loses and repeats nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from threading import Event, Thread

import pytest
from hypothesis import HealthCheck, given, settings

from domain.service import GridCenter
from infra.bootstrap import event_log
from infra.rebuild import Rebuilder
from infra.settings import Settings
from projections import VIEWS, grid_status, workload
from projections.case_board import board
from projections.replay import fold
from projections.runner import ProjectionRunner
from projections.store import Page, StalePosition, ViewStore, Where, open_view_store
from projections.view import Rows
from tests.conftest import POSTGRES
from tests.fixtures import Loop, head
from tests.histories import Crashed, Step, contents, crash_after, folded, play, steps

ROOT = Path(__file__).resolve().parents[2]
FEW = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(params=["sqlite", POSTGRES])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """A new empty database for every call (every hypothesis example)."""
    count = iter(range(100_000))
    if request.param == "sqlite":
        yield lambda: f"sqlite:///{tmp_path / f'views-{next(count)}.db'}"
    else:
        yield request.getfixturevalue("postgres_server").create_database


@FEW
@given(history=steps, batch=..., crashes=...)
def test_batches_crashes_and_rebuilds_give_identical_views_on_durable_stores(
    app_factory: Callable[[str], GridCenter],
    fresh_url: Callable[[], str],
    history: list[Step],
    batch: int,
    crashes: list[int],
) -> None:
    app = app_factory("memory:")
    play(app, history)
    rows, head = fold(app.recorder, VIEWS)
    expected = folded(rows, VIEWS, head)
    url, size = fresh_url(), 1 + abs(batch) % 7
    for after in [1 + abs(c) % 5 for c in crashes[:3]]:
        store = open_view_store(url)  # a new process would open the store anew
        with suppress(Crashed):
            ProjectionRunner(app.recorder, store, VIEWS, batch=size).catch_up(crash_after(after))
        store.close()
    store = open_view_store(url)
    runner = ProjectionRunner(app.recorder, store, VIEWS, batch=size)
    assert runner.catch_up() == head
    assert contents(store, VIEWS) == expected
    runner.rebuild()
    assert contents(store, VIEWS) == expected
    store.close()


def test_the_runner_follows_commands_as_they_are_committed(
    app: GridCenter, loop: Loop, store_url: str
) -> None:
    store, stop = open_view_store(store_url), Event()
    runner = ProjectionRunner(app.store, store, VIEWS)
    follower = Thread(target=runner.run, args=(stop, 30.0))  # no polling: only wake-ups
    follower.start()
    try:
        number = loop.dispatched()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            rows, _ = board(store, loop.at)
            if rows and rows[0].number == number and rows[0].stage == "dispatched":
                break
            time.sleep(0.05)
        else:
            pytest.fail("the view did not follow the commands within 10 s")
    finally:
        stop.set()
        follower.join(timeout=40)
    store.close()


def test_a_rebuild_on_two_processes_gives_the_views_a_single_fold_gives(
    app: GridCenter, loop: Loop, store_url: str
) -> None:
    for _ in range(10):
        loop.closed()
    rows, head = fold(app.recorder, VIEWS)
    expected = folded(rows, VIEWS, head)
    settings = Settings.from_env({"GRIDCENTER_DATABASE_URL": store_url})
    runner = ProjectionRunner(event_log(app), open_view_store(store_url), VIEWS)
    with Rebuilder(settings, event_log(app), runner, workers=2) as rebuilder:
        assert rebuilder.rebuild() == head  # shared out by event counts
        assert contents(runner.store, VIEWS) == expected
        assert rebuilder.rebuild() == head  # shared out by the costs just measured
        assert contents(runner.store, VIEWS) == expected
        assert len(rebuilder.groups) == 2
        shared = sorted(name for group in rebuilder.groups for name in group)
        assert shared == sorted(view.name for view in VIEWS)
    runner.store.close()


@pytest.mark.postgres
def test_a_runner_killed_mid_batch_loses_and_repeats_nothing(
    app_factory: Callable[[str], GridCenter], postgres_url: str
) -> None:
    app = app_factory(postgres_url)
    loop = Loop(app)
    for _ in range(100):
        loop.closed()
    rows, head = fold(app.store, VIEWS)
    expected = folded(rows, VIEWS, head)
    env = {**os.environ, "GRIDCENTER_DATABASE_URL": postgres_url}
    store = open_view_store(postgres_url)
    positions = []
    for _ in range(3):  # kill it three times while it is working through the backlog
        runner = subprocess.Popen(
            [str(Path(sys.executable).parent / "gridcenter"), "project", "--batch", "3"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        start = _position(store)
        while _position(store) < start + 30 and runner.poll() is None:
            time.sleep(0.01)
        runner.send_signal(signal.SIGKILL)
        runner.wait(timeout=30)
        positions.append(_position(store))
    assert positions == sorted(positions) and positions[-1] < head, positions
    store = open_view_store(postgres_url)
    ProjectionRunner(app.store, store, VIEWS).catch_up()
    assert contents(store, VIEWS) == expected
    store.close()


def _position(store: ViewStore) -> int:
    """Where the views stand, as a restarted runner would find them."""
    return min(store.prepare(VIEWS).values())


def test_the_live_reads_on_the_event_loop_give_the_rows_a_select_gives(
    app: GridCenter, loop: Loop, store_url: str
) -> None:
    for _ in range(3):
        loop.closed()
    loop.dispatched()
    store = open_view_store(store_url)
    ProjectionRunner(app.recorder, store, VIEWS).catch_up()
    grids = sorted({row.code for row in store.select(grid_status.grid_rows)})[:5]
    pages = [
        (grid_status.grid_rows, None),
        (grid_status.grid_rows, Page(where=(Where("code", "in", tuple(grids)),))),
        (grid_status.open_cases, Page(where=(Where("grid", "in", tuple(grids)),), limit=2)),
    ]

    async def read_soon() -> list[list[object]]:
        try:
            return [await store.select_soon(table, page) for table, page in pages]
        finally:
            await store.aclose()

    soon = asyncio.run(read_soon())
    assert soon == [store.select(table, page) for table, page in pages]
    assert soon[0] and soon[1] and soon[2]
    store.close()


def test_two_runners_cannot_both_advance_a_view_on_a_durable_store(
    app: GridCenter, loop: Loop, store_url: str
) -> None:
    store = open_view_store(store_url)
    loop.reported()
    first, second = (ProjectionRunner(app.recorder, store, VIEWS) for _ in range(2))
    first.catch_up()
    loop.reported()
    with pytest.raises(StalePosition):
        second.catch_up()  # all its views' positions moved: its batch commits nothing
    rows, position = fold(app.recorder, VIEWS, up_to=first.position)
    assert contents(store, VIEWS) == folded(rows, VIEWS, position)
    second.catch_up()  # it reloaded the positions and carries on from the first's
    rows, position = fold(app.recorder, VIEWS)
    assert contents(store, VIEWS) == folded(rows, VIEWS, position) and position == head(app)
    store.close()


def test_a_commit_with_one_view_moved_meanwhile_writes_nothing_on_a_durable_store(
    app: GridCenter, loop: Loop, store_url: str
) -> None:
    store = open_view_store(store_url)
    store.prepare(VIEWS)
    loop.dispatched()
    rows, position = fold(app.recorder, VIEWS)
    empty = contents(store, VIEWS)
    store.commit(Rows(None), {workload.name: (0, 1)})  # another runner moved it meanwhile
    with pytest.raises(StalePosition, match="no longer all where this runner read them"):
        store.commit(rows, {view.name: (0, position) for view in VIEWS})
    positions = store.positions()
    assert {positions[view.name] for view in VIEWS if view.name != workload.name} == {0}
    assert positions[workload.name] == 1 and contents(store, VIEWS) == empty
    store.commit(rows, {view.name: (1 if view is workload else 0, position) for view in VIEWS})
    assert contents(store, VIEWS) == folded(rows, VIEWS, position)  # the store still works
    store.close()
