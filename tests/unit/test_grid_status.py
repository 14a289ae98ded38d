"""Grid status: each grid's open cases, what is overdue or due soon, its last report and
visit, its worker on duty and its level, rolled up per area — folded from cases, visits and
map changes made through the real application."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings

from domain.cases import Channel
from domain.deadlines import Limit, TimeUnit
from domain.grids.district import GridPlan
from domain.grids.geometry import Point
from domain.service import GridCenter, HouseholdPlan, StaffPlan
from projections import grid_status
from projections.bus import Bus, Notice, ViewChanged
from projections.grid_status import (
    ALARM,
    ATTENTION,
    NORMAL,
    GridStatus,
    Rules,
    area,
    changed,
    grid,
    grids,
    grids_of,
)
from projections.grid_status.fold import CaseRow, evolve
from projections.records import Record
from projections.replay import fold
from projections.runner import ProjectionRunner
from projections.store.memory import MemoryViewStore
from tests.fixtures import (
    ADMIN,
    COMMUNITY,
    DISTRICT,
    GRID_A,
    GRID_B,
    GRID_C,
    GRID_D,
    IN_A,
    IN_B,
    IN_C,
    MONDAY,
    OPERATOR,
    OTHER_COMMUNITY,
    SANITATION,
    STREET,
    WATCHER,
    WORKER_A,
    Loop,
    square,
)
from tests.histories import Step, contents, folded, play, steps


def folded_store(app: GridCenter) -> MemoryViewStore:
    store = MemoryViewStore()
    ProjectionRunner(app.recorder, store, [grid_status]).catch_up()
    return store


def status(app: GridCenter, now: datetime, code: str = GRID_A) -> GridStatus:
    found = grid(folded_store(app), code, now)
    assert found is not None
    return found


def hotline(app: GridCenter, loop: Loop, where: Point) -> int:
    """A 12345 call about a place anywhere in the district."""
    recorded = app.report_case(
        channel=Channel.HOTLINE,
        category="E0101",
        location=where,
        description="路边垃圾",
        by=OPERATOR,
        at=loop.tick(),
    )
    assert recorded.number is not None
    return recorded.number


def deadline(app: GridCenter, number: int) -> datetime:
    due = app.case(number).deadline
    assert due is not None
    return due


def test_a_case_moving_through_the_loop_moves_its_grids_counts(app: GridCenter, loop: Loop) -> None:
    store = MemoryViewStore()
    runner = ProjectionRunner(app.recorder, store, [grid_status])
    number = loop.reported()

    def stages() -> tuple[int, dict[str, int]]:
        runner.catch_up()
        found = grid(store, GRID_A, loop.at)
        assert found is not None
        return found.open, found.stages

    assert stages() == (1, {"reported": 1})
    app.file_case(number, by=OPERATOR, at=loop.tick())
    assert stages() == (1, {"filed": 1})
    app.dispatch_case(number, by=OPERATOR, at=loop.tick())
    assert stages() == (1, {"dispatched": 1})
    app.accept_case(number, by=SANITATION, at=loop.tick())
    app.handle_case(number, note="已清运", by=SANITATION, at=loop.tick())
    assert stages() == (1, {"handled": 1})
    app.verify_case(number, passed=True, note="已干净", by=WORKER_A, at=loop.tick())
    assert stages() == (1, {"verified": 1})
    app.close_case(number, by=OPERATOR, at=loop.tick())
    assert stages() == (0, {})


def test_rejected_and_merged_cases_leave_the_open_counts(app: GridCenter, loop: Loop) -> None:
    kept, duplicate, rejected = loop.filed(), loop.reported(), loop.reported()
    app.merge_case(duplicate, into=kept, by=OPERATOR, at=loop.tick())
    app.reject_case(rejected, reason="不属实", by=OPERATOR, at=loop.tick())
    found = status(app, loop.at)
    assert (found.open, found.stages) == (1, {"filed": 1})


def test_overdue_case_turns_grid_red(app: GridCenter, loop: Loop) -> None:
    number = loop.dispatched()
    due = deadline(app, number)
    assert status(app, due - timedelta(hours=3)).level == NORMAL
    late = status(app, due + timedelta(minutes=1))
    assert (late.overdue, late.level, late.reasons) == (1, ALARM, ("overdue",))


def test_a_case_handled_on_its_deadline_is_not_overdue(app: GridCenter, loop: Loop) -> None:
    number = loop.dispatched()
    on_the_dot = status(app, deadline(app, number))
    assert (on_the_dot.overdue, on_the_dot.due_soon, on_the_dot.level) == (0, 1, ATTENTION)


def test_the_watchers_overdue_mark_and_the_deadline_agree(app: GridCenter, loop: Loop) -> None:
    number = loop.dispatched()
    after = deadline(app, number) + timedelta(minutes=5)
    app.watch_deadline(number, by=WATCHER, at=after)
    assert app.case(number).overdue_for is not None
    assert status(app, after).overdue == 1


def test_a_deadline_within_two_hours_calls_for_attention(app: GridCenter, loop: Loop) -> None:
    number = loop.dispatched()
    soon = status(app, deadline(app, number) - timedelta(hours=1))
    assert (soon.due_soon, soon.overdue, soon.level, soon.reasons) == (
        1,
        0,
        ATTENTION,
        ("due_soon",),
    )
    wider = grid(
        folded_store(app),
        GRID_A,
        deadline(app, number) - timedelta(hours=3),
        Rules(due_soon=timedelta(hours=4)),
    )
    assert wider is not None and wider.due_soon == 1


def test_a_handled_case_is_not_overdue_but_rework_after_the_deadline_is(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.handled()
    after = deadline(app, number) + timedelta(hours=1)
    assert status(app, after).overdue == 0
    app.verify_case(number, passed=False, note="仍有垃圾", by=WORKER_A, at=after)
    assert status(app, after + timedelta(minutes=1)).level == ALARM


def test_a_suspended_case_stops_its_clock_until_resumed(app: GridCenter, loop: Loop) -> None:
    number = loop.accepted()
    app.suspend_case(number, reason="等待审批", by=OPERATOR, at=loop.tick())
    old_deadline = deadline(app, number)
    paused = status(app, old_deadline + timedelta(hours=1))
    assert (paused.overdue, paused.due_soon, paused.level) == (0, 0, NORMAL)
    app.resume_case(number, by=OPERATOR, at=old_deadline + timedelta(hours=1))
    moved = deadline(app, number)
    assert moved > old_deadline + timedelta(hours=1)
    assert status(app, moved + timedelta(minutes=1)).overdue == 1


def test_a_granted_extension_moves_the_deadline(app: GridCenter, loop: Loop) -> None:
    number = loop.accepted()
    first = deadline(app, number)
    app.request_extension(
        number, Limit(8, TimeUnit.WORK_HOURS), "需要吊车", SANITATION, loop.tick()
    )
    app.grant_extension(number, by=OPERATOR, at=loop.tick())
    assert status(app, first + timedelta(minutes=1)).overdue == 0
    assert status(app, deadline(app, number) + timedelta(minutes=1)).overdue == 1


def test_an_open_urgent_case_sounds_the_alarm_until_it_is_closed(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.filed(urgent=True)
    urgent = status(app, loop.at)
    assert (urgent.urgent, urgent.level, urgent.reasons) == (1, ALARM, ("urgent",))
    app.dispatch_case(number, by=OPERATOR, at=loop.tick())
    app.accept_case(number, by=SANITATION, at=loop.tick())
    app.handle_case(number, note="已清运", by=SANITATION, at=loop.tick())
    app.verify_case(number, passed=True, note="已干净", by=WORKER_A, at=loop.tick())
    app.close_case(number, by=OPERATOR, at=loop.tick())
    closed = status(app, loop.at)
    assert (closed.urgent, closed.level) == (0, NORMAL)


def test_five_open_cases_call_for_attention(app: GridCenter, loop: Loop) -> None:
    for _ in range(4):
        loop.reported()
    assert status(app, loop.at).level == NORMAL
    loop.reported()
    busy = status(app, loop.at)
    assert (busy.open, busy.level, busy.reasons) == (5, ATTENTION, ("busy",))


def test_a_worker_on_duty_without_a_visit_for_two_weeks_calls_for_attention(
    app: GridCenter,
) -> None:
    app.enrol_staff(
        [StaffPlan(WORKER_A.id, WORKER_A.name, WORKER_A.role, WORKER_A.area)], ADMIN, MONDAY
    )
    app.staff_grids({GRID_A: (WORKER_A.id, ["楼门长 刘"])}, ADMIN, MONDAY)
    home = HouseholdPlan(f"{GRID_A}0001", "多福巷 1 号", IN_A, 2, (), "户主", "13900000000")
    app.register_households([home], WORKER_A, MONDAY)
    fortnight = MONDAY + timedelta(days=14)
    staffed = status(app, fortnight - timedelta(minutes=1))
    assert (staffed.worker, staffed.team, staffed.level) == (WORKER_A.id, ("楼门长 刘",), NORMAL)
    assert status(app, fortnight).reasons == ("quiet",)
    app.record_visit(home.code, findings="一切正常", by=WORKER_A, at=fortnight)
    visited = status(app, fortnight + timedelta(days=1))
    assert (visited.last_visit, visited.level) == (fortnight, NORMAL)
    assert status(app, fortnight + timedelta(days=14)).reasons == ("quiet",)


def test_a_grid_without_a_worker_on_duty_is_not_held_to_visits(app: GridCenter) -> None:
    idle = status(app, MONDAY + timedelta(days=100))
    assert (idle.worker, idle.last_visit, idle.level) == (None, None, NORMAL)


def test_the_last_report_is_the_latest_even_when_an_older_one_syncs_late(
    app: GridCenter, loop: Loop
) -> None:
    loop.reported()
    latest = loop.at
    app.report_case(
        channel=Channel.PATROL,
        category="E0101",
        location=IN_A,
        description="离线上报 / synced from the phone",
        by=WORKER_A,
        at=latest - timedelta(hours=2),
    )
    found = status(app, latest)
    assert (found.open, found.last_report) == (2, latest)


def test_a_grid_shows_its_names_households_and_area(app: GridCenter) -> None:
    found = status(app, MONDAY, GRID_B)
    assert (found.name_en, found.households, found.population) == ("Grid 2", 280, 800)
    assert (found.community, found.street) == (COMMUNITY, STREET)
    assert grid(folded_store(app), f"{COMMUNITY}099", MONDAY) is None


def test_areas_roll_up_their_grids(app: GridCenter, loop: Loop) -> None:
    late = loop.dispatched()  # in grid A
    hotline(app, loop, IN_B)
    hotline(app, loop, IN_C)
    now = deadline(app, late) + timedelta(minutes=1)
    store = folded_store(app)
    community = area(store, COMMUNITY, now)
    assert (community.grids, community.households, community.population) == (2, 580, 1700)
    assert (community.open, community.stages) == (2, {"dispatched": 1, "reported": 1})
    assert (community.overdue, community.level) == (1, ALARM)
    assert community.levels == {NORMAL: 1, ATTENTION: 0, ALARM: 1}
    other = area(store, OTHER_COMMUNITY, now)
    assert (other.open, other.level, other.unstaffed) == (1, NORMAL, 2)
    for code in (STREET, DISTRICT):
        whole = area(store, code, now)
        by_grid = grids(store, now, area=code)
        assert [g.code for g in by_grid] == [GRID_A, GRID_B, GRID_C, GRID_D]
        assert whole.open == sum(g.open for g in by_grid) == 3
        assert whole.overdue == sum(g.overdue for g in by_grid) == 1
        assert whole.households == sum(g.households for g in by_grid) == 1180
        assert whole.last_report == max(g.last_report for g in by_grid if g.last_report)
        assert (whole.grids, whole.level) == (4, ALARM)


def test_the_grids_that_changed_read_together_as_each_alone(app: GridCenter, loop: Loop) -> None:
    late = loop.dispatched()  # in grid A
    hotline(app, loop, IN_B)
    now = deadline(app, late) + timedelta(minutes=1)
    store = folded_store(app)
    together = grids_of(store, [GRID_B, GRID_A, "110101999999999"], now)
    assert together == [grid(store, GRID_A, now), grid(store, GRID_B, now)]
    assert asyncio.run(changed(store, [GRID_B, GRID_A], now)) == together  # the live read
    assert [(g.overdue, g.level) for g in together] == [(1, ALARM), (0, NORMAL)]
    assert grids_of(store, [], now) == []


def test_a_notice_brings_the_changed_grids_rows_and_they_say_what_a_read_says(
    app: GridCenter, loop: Loop
) -> None:
    store, bus = MemoryViewStore(), Bus()
    runner = ProjectionRunner(app.recorder, store, [grid_status], bus)
    runner.catch_up()
    heard: list[Notice] = []
    bus.subscribe(heard.append)
    late = loop.dispatched()  # in grid A, one notice a batch: batches of one event
    runner.batch = 1
    runner.catch_up()
    now = deadline(app, late) + timedelta(minutes=1)
    (last,) = [n for n in heard if isinstance(n, ViewChanged) and n.rows][-1:]
    assert last.keys == {GRID_A} and [row.code for row in last.rows or ()] == [GRID_A]
    (row,) = last.rows or ()
    assert grid_status.status_of(row, now) == grid(store, GRID_A, now)
    assert grid_status.status_of(row, now).overdue == 1  # the row alone knows the deadline


def test_a_retired_grid_stays_on_the_wall_while_its_cases_are_open(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.reported()
    west, east = f"{COMMUNITY}010", f"{COMMUNITY}011"
    app.split_grid(
        GRID_A,
        [
            GridPlan(west, "西", "West", square(116.40, 39.93, 116.405, 39.94), 150, 450),
            GridPlan(east, "东", "East", square(116.405, 39.93, 116.41, 39.94), 150, 450),
        ],
        ADMIN,
        loop.tick(),
    )
    store = folded_store(app)
    listed = {g.code: g for g in grids(store, loop.at, area=COMMUNITY)}
    assert set(listed) == {GRID_A, GRID_B, west, east}
    assert listed[GRID_A].retired_at == loop.at and listed[GRID_A].open == 1
    community = area(store, COMMUNITY, loop.at)
    assert (community.grids, community.households, community.open) == (3, 580, 1)
    app.reject_case(number, reason="重复", by=OPERATOR, at=loop.tick())
    assert GRID_A not in {g.code for g in grids(folded_store(app), loop.at)}


MANY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@MANY
@given(history=steps)
def test_folding_event_by_event_gives_the_same_rows_as_one_fold(
    app_factory: Callable[[str], GridCenter], history: list[Step]
) -> None:
    app = app_factory("memory:")
    play(app, history)
    rows, head = fold(app.recorder, [grid_status])
    one_by_one = MemoryViewStore()
    ProjectionRunner(app.recorder, one_by_one, [grid_status], batch=1).catch_up()
    assert contents(one_by_one, [grid_status]) == folded(rows, [grid_status], head)


@pytest.mark.parametrize(
    ("event", "fields", "stage"),
    [
        ("CaseFiled", {"urgent": False}, "filed"),
        ("CaseAccepted", {}, "accepted"),
        ("CaseHandled", {}, "handled"),
        ("CaseVerified", {}, "verified"),
        ("ReworkOrdered", {}, "rework"),
        ("CaseResolvedOnSpot", {}, "resolved_on_spot"),
        ("CaseReturned", {}, "returned"),
    ],
)
def test_each_step_of_the_loop_puts_the_case_in_its_stage(
    event: str, fields: dict[str, object], stage: str
) -> None:
    at = {"_type_": "datetime_iso", "_data_": MONDAY.isoformat()}
    record = Record(9, event, "ab" * 16, 3, {"at": at, **fields})
    moved = evolve(CaseRow("ab" * 16, GRID_A, "dispatched", deadline=MONDAY), record)
    assert moved is not None and moved.stage == stage
    assert (moved.due is not None) == (stage in ("accepted", "rework"))
