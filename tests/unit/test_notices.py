"""Notices between processes: they cross Redis as they were published, and a node that
missed some finds out by position and tells its listeners what to read again."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from api import notices as hub
from domain.service import GridCenter
from infra.redis_bus import decode, encode
from projections import VIEWS, case_board, grid_status
from projections.bus import Bus, EventsRecorded, ViewChanged
from projections.runner import ProjectionRunner
from projections.store import Page
from projections.store.memory import MemoryViewStore
from tests.fixtures import Loop, head


@pytest.mark.parametrize(
    "notice",
    [
        ViewChanged("case_board", frozenset({"a1", "b2"}), 42, 40),
        ViewChanged("grid_status", None, 42, 7),
        EventsRecorded(99),
    ],
)
def test_a_notice_crosses_redis_as_it_was_published(notice: ViewChanged | EventsRecorded) -> None:
    assert decode(encode([notice], "node-1")) == ("node-1", [notice])


def test_the_notices_of_one_commit_cross_redis_as_one_message_in_their_order() -> None:
    notices = [ViewChanged(view.name, frozenset({f"k{n}"}), 42, 40) for n, view in enumerate(VIEWS)]
    assert decode(encode(notices, "node-1")) == ("node-1", notices)


def test_the_rows_a_notice_brings_cross_redis_as_they_were_written(
    app: GridCenter, loop: Loop
) -> None:
    loop.dispatched()
    store = MemoryViewStore()
    ProjectionRunner(app.recorder, store, [grid_status]).catch_up()
    rows = tuple(store.select(grid_status.noticed, Page()))
    assert any(row.dues and row.stages and row.last_report for row in rows)  # instants, JSON
    notice = ViewChanged(grid_status.name, frozenset(r.code for r in rows), 9, 3, rows)
    assert decode(encode([notice], "node-1")) == ("node-1", [notice])


def test_a_notice_after_a_gap_comes_after_one_naming_the_cases_of_the_gap(
    app: GridCenter, loop: Loop
) -> None:
    missed = loop.reported()
    gap = head(app)
    heard = loop.reported()

    async def listen() -> list[ViewChanged]:
        bus = Bus()
        notices = hub.Notices(bus, asyncio.get_running_loop(), MemoryViewStore(), app.recorder)
        got: list[ViewChanged] = []
        async with notices.listening(case_board.name) as incoming:
            bus.publish(ViewChanged(case_board.name, frozenset({"x"}), head(app), gap))
            async for notice in incoming:
                got.append(notice)
                if len(got) == 2:
                    break
        notices.close()
        return got

    got = asyncio.run(asyncio.wait_for(listen(), 10))
    assert [(n.after, n.position) for n in got] == [(gap, head(app)), (0, gap)]
    assert got[1].keys == {app.case(missed).id.hex} and heard


def test_a_view_that_moved_without_a_notice_is_read_again_whole(
    app: GridCenter, loop: Loop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub, "GAP_CHECK", 0.05)
    store = MemoryViewStore()
    store.prepare(VIEWS)

    async def listen() -> ViewChanged:
        notices = hub.Notices(Bus(), asyncio.get_running_loop(), store, app.recorder)
        async with notices.listening(grid_status.name) as incoming:
            loop.reported()
            await asyncio.to_thread(ProjectionRunner(app.recorder, store, VIEWS).catch_up)
            notice = await anext(incoming)  # no bus carried one: the hub found the move
        notices.close()
        return notice

    notice = asyncio.run(asyncio.wait_for(listen(), 10))
    assert (notice.keys, notice.position) == (None, head(app))


def test_notices_that_queued_up_while_a_listener_was_busy_come_as_one(app: GridCenter) -> None:
    async def listen() -> list[ViewChanged]:
        bus = Bus()
        notices = hub.Notices(bus, asyncio.get_running_loop(), MemoryViewStore(), app.recorder)
        got: list[ViewChanged] = []
        async with notices.listening(grid_status.name) as incoming:
            for n, code in enumerate(["g1", "g2", "g3"]):
                bus.publish(ViewChanged(grid_status.name, frozenset({code}), n + 1, n))
            await asyncio.sleep(0.05)  # the three are queued before the listener looks
            async for notice in incoming:
                got.append(notice)
                break
        notices.close()
        return got

    (notice,) = asyncio.run(asyncio.wait_for(listen(), 10))
    assert notice == ViewChanged(grid_status.name, frozenset({"g1", "g2", "g3"}), 3, 0)


def test_notices_from_another_thread_while_the_loop_is_busy_wake_it_once_in_order(
    app: GridCenter,
) -> None:
    sent = [ViewChanged(v.name, frozenset({"k"}), 1, 0) for v in VIEWS]

    async def listen() -> tuple[list[ViewChanged], int]:
        loop, bus, wakes = asyncio.get_running_loop(), Bus(), 0
        notices = hub.Notices(bus, loop, MemoryViewStore(), app.recorder)
        handed_over = loop.call_soon_threadsafe

        def counted(*args: Any) -> Any:
            nonlocal wakes
            wakes += 1
            return handed_over(*args)

        loop.call_soon_threadsafe = counted  # type: ignore[method-assign]
        async with notices.listening(grid_status.name) as incoming:
            publishing = threading.Thread(target=lambda: bus.publish(*sent))
            publishing.start()
            publishing.join()  # the loop is busy meanwhile: it runs this coroutine
            got = [await anext(incoming)]
        notices.close()
        return got, wakes

    got, wakes = asyncio.run(asyncio.wait_for(listen(), 10))
    assert got == [n for n in sent if n.view == grid_status.name]
    assert wakes == 1  # not one for each of the views' notices


def test_a_notice_that_knows_no_keys_makes_the_merged_one_read_everything() -> None:
    known = ViewChanged(grid_status.name, frozenset({"g1"}), 5, 4)
    unknown = ViewChanged(grid_status.name, None, 9, 5)
    assert hub.merged(known, unknown) == ViewChanged(grid_status.name, None, 9, 4)


def test_notices_taken_as_one_bring_both_rows_or_none() -> None:
    first = ViewChanged(grid_status.name, frozenset({"g1"}), 5, 4, ("row g1",))
    later = ViewChanged(grid_status.name, frozenset({"g1", "g2"}), 7, 5, ("row g1'", "row g2"))
    assert hub.merged(first, later).rows == ("row g1", "row g1'", "row g2")  # later ones last
    assert hub.merged(first, ViewChanged(grid_status.name, frozenset({"g3"}), 8, 7)).rows is None
