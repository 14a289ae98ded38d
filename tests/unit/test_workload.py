"""Workload: each department's queue, overdue cases and record over the last days, and each
grid worker's reports, visits and the on-site checks waiting for them — folded from cases
and visits made through the real application."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings

from domain.cases import Channel
from domain.service import GridCenter, HouseholdPlan, StaffPlan
from projections import workload
from projections.replay import fold
from projections.runner import ProjectionRunner
from projections.store.memory import MemoryViewStore
from projections.workload import (
    DepartmentLoad,
    WorkerLoad,
    department,
    departments,
    worker,
    workers,
)
from tests.fixtures import (
    ADMIN,
    CITY_MGMT,
    GRID_A,
    GRID_B,
    IN_A,
    IN_B,
    MONDAY,
    OPERATOR,
    RESIDENT,
    SANITATION,
    WORKER_A,
    WORKER_B,
    Loop,
)
from tests.histories import Step, contents, folded, play, steps

HOME = HouseholdPlan(f"{GRID_A}0001", "多福巷 1 号", IN_A, 2, (), "户主", "13900000000")


def folded_store(app: GridCenter) -> MemoryViewStore:
    store = MemoryViewStore()
    ProjectionRunner(app.recorder, store, [workload]).catch_up()
    return store


def load(app: GridCenter, now: datetime, code: str = "hwj") -> DepartmentLoad:
    return department(folded_store(app), code, now)


def worker_a(app: GridCenter, now: datetime) -> WorkerLoad:
    found = worker(folded_store(app), WORKER_A.id, now)
    assert found is not None
    return found


def queue(found: DepartmentLoad) -> tuple[int, int, int, int]:
    return found.queue, found.dispatched, found.accepted, found.rework


def on_duty(app: GridCenter) -> None:
    """Both grid workers enrolled, each on duty in their grid."""
    app.enrol_staff(
        [StaffPlan(w.id, w.name, w.role, w.area) for w in (WORKER_A, WORKER_B)], ADMIN, MONDAY
    )
    app.staff_grids({GRID_A: (WORKER_A.id, []), GRID_B: (WORKER_B.id, [])}, ADMIN, MONDAY)


def hand_grid_a_to_b(app: GridCenter, at: datetime) -> None:
    app.reassign_staff(WORKER_B.id, (GRID_A, GRID_B), ADMIN, at)
    app.staff_grids({GRID_A: (WORKER_B.id, [])}, ADMIN, at)


def deadline(app: GridCenter, number: int) -> datetime:
    due = app.case(number).deadline
    assert due is not None
    return due


def test_a_case_moves_through_the_departments_queue(app: GridCenter, loop: Loop) -> None:
    store = MemoryViewStore()
    runner = ProjectionRunner(app.recorder, store, [workload])

    def now() -> DepartmentLoad:
        runner.catch_up()
        return department(store, "hwj", loop.at)

    number = loop.dispatched()
    assert queue(now()) == (1, 1, 0, 0)
    app.accept_case(number, by=SANITATION, at=loop.tick())
    assert queue(now()) == (1, 0, 1, 0)
    app.handle_case(number, note="已清运", by=SANITATION, at=loop.tick())
    assert queue(now()) == (0, 0, 0, 0)
    assert now().handled == 1
    app.verify_case(number, passed=False, note="仍有垃圾", by=WORKER_A, at=loop.tick())
    assert queue(now()) == (1, 0, 0, 1)
    assert now().reworked == 1


def test_a_returned_case_leaves_the_departments_queue(app: GridCenter, loop: Loop) -> None:
    number = loop.accepted()
    app.return_case(number, reason="不归我们管", by=SANITATION, at=loop.tick())
    returned = load(app, loop.at)
    assert (queue(returned), returned.returned) == ((0, 0, 0, 0), 1)
    app.dispatch_case(number, by=OPERATOR, at=loop.tick(), department="cgj", reason="占道")
    store = folded_store(app)
    assert queue(department(store, "cgj", loop.at)) == (1, 1, 0, 0)
    assert [d.code for d in departments(store, loop.at)] == ["cgj", "hwj"]
    app.accept_case(number, by=CITY_MGMT, at=loop.tick())
    assert queue(load(app, loop.at, "cgj")) == (1, 0, 1, 0)


def test_on_time_rate_is_none_with_no_handled_cases(app: GridCenter, loop: Loop) -> None:
    loop.accepted()
    waiting = load(app, loop.at)
    assert (waiting.handled, waiting.on_time_rate, waiting.mean_hours) == (0, None, None)
    assert department(folded_store(app), "swj", loop.at).on_time_rate is None


def test_on_time_rate_and_mean_handling_time_come_from_the_handlings(
    app: GridCenter, loop: Loop
) -> None:
    on_time = loop.handled()
    late = loop.accepted()
    app.handle_case(late, note="已清运", by=SANITATION, at=deadline(app, late) + timedelta(hours=1))
    record = load(app, deadline(app, late) + timedelta(hours=2))
    assert (record.handled, record.on_time, record.on_time_rate) == (2, 1, 0.5)
    assert app.case(on_time).handled_on_time and not app.case(late).handled_on_time
    assert record.mean_hours is not None and 2 < record.mean_hours < 6  # 20 minutes and 5 h


def test_a_case_handled_again_after_rework_counts_once_by_its_last_handling(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.handled()  # on time
    after = deadline(app, number) + timedelta(hours=1)
    app.verify_case(number, passed=False, note="仍有垃圾", by=WORKER_A, at=after)
    app.handle_case(number, note="再次清运", by=SANITATION, at=after + timedelta(minutes=30))
    record = load(app, after + timedelta(hours=1))
    assert (record.handled, record.on_time, record.on_time_rate, record.reworked) == (1, 0, 0.0, 1)


def test_an_overdue_case_counts_against_its_department_once_its_deadline_passes(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.accepted()
    due = deadline(app, number)
    assert load(app, due).overdue == 0
    assert load(app, due + timedelta(minutes=1)).overdue == 1
    app.suspend_case(number, reason="等待审批", by=OPERATOR, at=loop.tick())
    paused = load(app, due + timedelta(minutes=1))
    assert (paused.overdue, paused.suspended, paused.queue) == (0, 1, 1)


def test_what_was_done_counts_over_the_last_thirty_days(app: GridCenter, loop: Loop) -> None:
    loop.handled()
    assert load(app, loop.at + timedelta(days=29)).handled == 1
    gone = load(app, loop.at + timedelta(days=30))
    assert (gone.handled, gone.on_time_rate) == (0, None)
    assert department(folded_store(app), "hwj", loop.at + timedelta(days=30), days=31).handled == 1


def test_a_public_report_waits_for_its_on_site_check_by_the_worker_on_duty(
    app: GridCenter, loop: Loop
) -> None:
    on_duty(app)
    number = loop.reported(channel=Channel.APP)
    reported_at = loop.at
    (check,) = worker_a(app, reported_at + timedelta(minutes=45)).checks
    assert (check.case, check.kind, check.since) == (number, "check", reported_at)
    assert (check.waited, check.late) == (timedelta(minutes=45), False)
    assert worker_a(app, reported_at + timedelta(hours=3)).checks[0].late
    other = worker(folded_store(app), WORKER_B.id, loop.at)
    assert other is not None and other.checks == ()
    app.confirm_report(number, found=True, note="属实", by=WORKER_A, at=loop.tick())
    assert worker_a(app, loop.at).checks == ()


def test_a_patrol_report_needs_no_on_site_check(app: GridCenter, loop: Loop) -> None:
    on_duty(app)
    loop.reported()
    assert worker_a(app, loop.at).checks == ()


def test_a_handled_case_waits_for_its_verification_until_checked(
    app: GridCenter, loop: Loop
) -> None:
    on_duty(app)
    number = loop.handled()
    (verification,) = worker_a(app, loop.at).verifications
    assert (verification.case, verification.kind, verification.since) == (number, "verify", loop.at)
    app.verify_case(number, passed=False, note="仍有垃圾", by=WORKER_A, at=loop.tick())
    assert worker_a(app, loop.at).verifications == ()
    app.handle_case(number, note="再次清运", by=SANITATION, at=loop.tick())
    assert len(worker_a(app, loop.at).verifications) == 1
    app.verify_case(number, passed=True, note="已干净", by=WORKER_A, at=loop.tick())
    assert worker_a(app, loop.at).verifications == ()


def test_pending_checks_follow_the_worker_on_duty(app: GridCenter, loop: Loop) -> None:
    on_duty(app)
    loop.reported(channel=Channel.APP)
    hand_grid_a_to_b(app, loop.tick())
    store = folded_store(app)
    moved = worker(store, WORKER_B.id, loop.at)
    assert moved is not None and len(moved.checks) == 1
    assert moved.grids == (GRID_A, GRID_B)
    assert worker_a(app, loop.at).checks == worker_a(app, loop.at).grids == ()


def test_reports_and_visits_count_for_who_made_them(app: GridCenter, loop: Loop) -> None:
    on_duty(app)
    app.register_households([HOME], WORKER_A, MONDAY)
    loop.reported()
    loop.reported()
    loop.reported(channel=Channel.APP)  # the public's report is nobody's
    app.report_case(
        channel=Channel.PATROL,
        category="E0101",
        location=IN_B,
        description="路边垃圾",
        by=WORKER_B,
        at=loop.tick(),
    )
    app.record_visit(HOME.code, findings="一切正常", by=WORKER_A, at=loop.tick())
    store = folded_store(app)
    counted = {w.id: (w.name, w.grids, w.reports, w.visits) for w in workers(store, loop.at)}
    assert counted == {
        WORKER_A.id: (WORKER_A.name, (GRID_A,), 2, 1),
        WORKER_B.id: (WORKER_B.name, (GRID_B,), 1, 0),
    }
    assert RESIDENT.id not in counted


def test_a_worker_known_only_by_their_reports_is_listed_by_the_name_they_used(
    app: GridCenter, loop: Loop
) -> None:
    loop.reported()
    (only,) = workers(folded_store(app), loop.at)
    assert (only.id, only.name, only.role, only.grids, only.reports) == (
        WORKER_A.id,
        WORKER_A.name,
        "grid_worker",
        (),
        1,
    )


def test_a_worker_who_left_drops_off_the_list_once_their_grid_is_restaffed(
    app: GridCenter, loop: Loop
) -> None:
    on_duty(app)
    app.staff_leaves(WORKER_A.id, ADMIN, loop.tick())
    assert WORKER_A.id in {w.id for w in workers(folded_store(app), loop.at)}
    hand_grid_a_to_b(app, loop.tick())
    listed = workers(folded_store(app), loop.at)
    assert [w.id for w in listed] == [WORKER_B.id]
    gone = worker_a(app, loop.at)
    assert (gone.active, gone.grids) == (False, ())


def test_an_unknown_worker_is_none(app: GridCenter) -> None:
    assert worker(folded_store(app), "W999", MONDAY) is None


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
    rows, head = fold(app.recorder, [workload])
    one_by_one = MemoryViewStore()
    ProjectionRunner(app.recorder, one_by_one, [workload], batch=1).catch_up()
    assert contents(one_by_one, [workload]) == folded(rows, [workload], head)
