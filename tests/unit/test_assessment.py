"""Assessment, formula version 1: the formulas with their worked example, no data, grades
and the filed-cases score; the view that counts each case in the period of the event that
decides it, folded from cases brought through the real application and from a synthetic
history of the published city report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from domain.assessment import (
    CHECK_LIMIT,
    VERIFY_LIMIT,
    Assessment,
    CaseCounts,
    FieldCounts,
    assess_department,
    assess_grid,
    assess_worker,
    field_deadline,
    filed_cases_score,
    grade,
)
from domain.cases import Channel, case_id
from domain.deadlines import Limit, TimeUnit
from domain.service import GridCenter, HouseholdPlan, StaffPlan
from domain.visits import Tag
from projections import assessment
from projections.assessment.rows import counted, recount
from projections.records import Record
from projections.replay import fold
from projections.runner import ProjectionRunner
from projections.store.memory import MemoryViewStore
from projections.view import Rows
from tests.fixtures import (
    ADMIN,
    COMMUNITY,
    CST,
    GRID_A,
    IN_A,
    MONDAY,
    OPERATOR,
    SANITATION,
    STREET,
    WATCHER,
    WORKER_A,
    Loop,
)
from tests.histories import contents, folded, play

ASSESSMENT = [assessment, assessment.grids]
"""The case tallies and the grids' duty: grid and worker figures read both."""
DAY = MONDAY.date()
TUESDAY = DAY + timedelta(days=1)


def figures(found: Assessment, *keys: str) -> dict[str, Any]:
    return {key: found[key].value for key in keys}


# Formula version 1 ----------------------------------------------------------------------------


def test_the_published_city_report_closes_93_72_and_on_time_75_82_percent() -> None:
    counts = CaseCounts(
        handled=911, handled_on_time=737, overdue_unhandled=61, closed=911, closed_on_time=737
    )
    found = assess_department(counts)
    assert figures(found, "due_to_close", "closed", "closed_on_time") == {
        "due_to_close": 972,
        "closed": 911,
        "closed_on_time": 737,
    }
    assert found["closing_rate"].value == 93.72
    assert found["on_time_closing_rate"].value == 75.82
    assert found["closing_rate"].definition == "结案率 = 结案数 / 应结案数 (v1)"
    assert found["on_time_closing_rate"].unit == "%" and found["closed"].unit == "count"


def test_a_rate_over_nothing_is_no_data_and_so_is_a_composite_missing_one() -> None:
    idle = assess_department(CaseCounts())
    assert figures(idle, "handling_rate", "closing_rate", "rework_rate") == dict.fromkeys(
        ("handling_rate", "closing_rate", "rework_rate")
    )
    assert idle["filed_score"].value == 100  # nothing filed against it: no rate involved
    assert idle.composite.value is None and idle.grade is None
    no_checks = assess_worker(FieldCounts(reports=4, valid_reports=4, filed=2, verifications_due=1))
    assert no_checks["valid_report_rate"].value == 100.0
    assert no_checks["on_time_check_rate"].value is None
    assert no_checks.composite.value is None and no_checks.grade is None


@pytest.mark.parametrize(
    ("composite", "expected"),
    [
        (100.0, "A"),
        (90.0, "A"),
        (89.99, "B"),
        (75.0, "B"),
        (74.99, "C"),
        (60.0, "C"),
        (59.99, "D"),
        (40.0, "D"),
        (39.99, "E"),
        (0.0, "E"),
        (None, None),
    ],
)
def test_grades_start_at_90_75_60_and_40(composite: float | None, expected: str | None) -> None:
    assert grade(composite) == expected


@pytest.mark.parametrize(
    ("filed", "score"),
    [
        (0, 100),
        (50, 100),
        (51, 90),
        (100, 90),
        (101, 75),
        (200, 75),
        (201, 60),
        (500, 60),
        (501, 40),
        (1000, 40),
        (1001, 0),
    ],
)
def test_the_filed_cases_score_falls_in_steps(filed: int, score: int) -> None:
    assert filed_cases_score(filed) == score
    assert assess_department(CaseCounts(filed_against=filed))["filed_score"].value == score


def test_the_department_composite_weighs_filed_score_closing_on_time_and_rework() -> None:
    counts = CaseCounts(
        filed_against=60, handled=100, handled_on_time=80, closed=90, closed_on_time=75, rework=10
    )
    found = assess_department(counts)
    # 10% × 90 + 30% × 90 + 30% × 80 + 30% × (100 − 10)
    assert found.composite.value == 87.0 and found.grade == "B"
    assert found.composite.definition.startswith("综合得分 = 10% × 立案数得分 + 30% × 结案率")


def test_more_rework_orders_than_handlings_count_nothing_not_less() -> None:
    found = assess_department(CaseCounts(handled=2, handled_on_time=2, closed=2, rework=5))
    assert found["rework_rate"].value == 250.0
    assert found.composite.value == 70.0  # 10 + 30 + 30 + 30 × 0


def test_the_worker_composite_weighs_valid_reports_missed_checks_and_verifications() -> None:
    counts = FieldCounts(
        reports=10,
        valid_reports=8,
        filed=20,
        filed_public=5,
        checks_due=4,
        checks_on_time=4,
        verifications_due=4,
        verifications_on_time=3,
    )
    found = assess_worker(counts)
    # 40% × 80 + 20% × (100 − 25) + 20% × 100 + 20% × 75
    assert found.composite.value == 82.0 and found.grade == "B"
    assert found["missed_report_rate"].value == 25.0


def test_rates_round_half_up_to_two_decimals_and_composites_round_once() -> None:
    assert (
        assess_department(CaseCounts(handled=1, overdue_unhandled=799))["handling_rate"].value
        == 0.13
    )  # 0.125 %
    assert (
        assess_department(CaseCounts(handled=2, overdue_unhandled=1))["handling_rate"].value
        == 66.67
    )
    thirds = FieldCounts(
        reports=3,
        valid_reports=1,
        filed=3,
        filed_public=1,
        checks_due=3,
        checks_on_time=1,
        verifications_due=3,
        verifications_on_time=1,
    )
    # 40 × 1/3 + 20 × 2/3 + 20 × 1/3 + 20 × 1/3 = 40 exactly: no rounding of the parts
    assert assess_worker(thirds).composite.value == 40.0


def test_visits_due_accrue_by_the_day() -> None:
    found = assess_worker(FieldCounts(visits=2, visit_days=365))  # 1 visit due
    assert figures(found, "visits", "visits_due", "visit_rate") == {
        "visits": 2,
        "visits_due": 1.0,
        "visit_rate": 200.0,
    }


def test_a_grid_has_the_case_figures_and_the_workers_composite() -> None:
    found = assess_grid(
        CaseCounts(handled=1, handled_on_time=1, closed=1, closed_on_time=1),
        FieldCounts(reports=1, valid_reports=1, filed=1, checks_due=1, checks_on_time=1),
    )
    assert found["closing_rate"].value == 100.0
    assert found.composite.value is None  # no verification was due
    assert "filed_score" not in {f.key for f in found.figures}


@pytest.mark.parametrize(
    ("start", "limit", "deadline"),
    [
        ((10, 0), CHECK_LIMIT, (0, 12, 0)),
        ((18, 0), CHECK_LIMIT, (0, 20, 0)),
        ((19, 0), CHECK_LIMIT, (1, 9, 0)),
        ((22, 30), CHECK_LIMIT, (1, 10, 0)),
        ((6, 15), CHECK_LIMIT, (0, 10, 0)),
        ((17, 30), VERIFY_LIMIT, (1, 9, 30)),
    ],
)
def test_on_site_checks_run_on_the_grid_workers_day_from_8_to_20(
    start: tuple[int, int], limit: timedelta, deadline: tuple[int, int, int]
) -> None:
    at = datetime.combine(DAY, datetime.min.time(), CST).replace(hour=start[0], minute=start[1])
    days, hour, minute = deadline
    expected = datetime.combine(DAY + timedelta(days=days), datetime.min.time(), CST)
    assert field_deadline(at, limit) == expected.replace(hour=hour, minute=minute)
    assert field_deadline(at, limit).tzinfo == UTC


# The view, through the real application -------------------------------------------------------


def view(app: GridCenter) -> MemoryViewStore:
    store = MemoryViewStore()
    ProjectionRunner(app.recorder, store, ASSESSMENT).catch_up()
    return store


def staffed(app: GridCenter) -> None:
    """Grid A has its worker on duty, and two households: one elderly living alone."""
    at = MONDAY - timedelta(days=7)
    app.enrol_staff(
        [StaffPlan(WORKER_A.id, WORKER_A.name, WORKER_A.role, WORKER_A.area)], ADMIN, at
    )
    app.staff_grids({GRID_A: (WORKER_A.id, ["楼门长 刘"])}, ADMIN, at)
    homes = [
        HouseholdPlan(f"{GRID_A}0001", "多福巷 1 号", IN_A, 1, (Tag.ELDERLY_ALONE,), "甲", "130"),
        HouseholdPlan(f"{GRID_A}0002", "多福巷 2 号", IN_A, 3, (), "乙", "131"),
    ]
    app.register_households(homes, WORKER_A, at)


def test_a_closed_loop_counts_for_the_department_the_grid_and_the_worker(
    app: GridCenter, loop: Loop
) -> None:
    staffed(app)
    loop.closed()
    store = view(app)
    department = assessment.department(store, "hwj", "day", DAY)
    assert figures(department, "filed_against", "handled", "handled_on_time", "closed") == {
        "filed_against": 1,
        "handled": 1,
        "handled_on_time": 1,
        "closed": 1,
    }
    assert figures(department, "closing_rate", "on_time_handling_rate", "rework_rate") == {
        "closing_rate": 100.0,
        "on_time_handling_rate": 100.0,
        "rework_rate": 0.0,
    }
    assert department.composite.value == 100.0 and department.grade == "A"
    worker = assessment.worker(store, WORKER_A.id, "day", DAY)
    assert figures(worker, "reports", "valid_reports", "filed", "filed_public") == {
        "reports": 1,
        "valid_reports": 1,
        "filed": 1,
        "filed_public": 0,
    }
    assert figures(worker, "verifications_due", "on_time_verification_rate") == {
        "verifications_due": 1,
        "on_time_verification_rate": 100.0,
    }
    for area in (GRID_A, COMMUNITY, STREET):
        assert assessment.grid(store, area, "week", DAY)["closed"].value == 1


def test_a_case_handled_again_after_rework_counts_once_by_its_last_handling(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.handled()
    app.verify_case(number, passed=False, note="仍有垃圾", by=WORKER_A, at=loop.tick())
    store = view(app)
    monday = assessment.department(store, "hwj", "day", DAY)
    assert figures(monday, "handled", "rework", "rework_rate") == {
        "handled": 1,
        "rework": 1,
        "rework_rate": 100.0,
    }
    app.handle_case(number, note="已彻底清运", by=SANITATION, at=loop.tick(24 * 60))
    store = view(app)
    monday = assessment.department(store, "hwj", "day", DAY)
    tuesday = assessment.department(store, "hwj", "day", TUESDAY)
    week = assessment.department(store, "hwj", "week", DAY)
    assert figures(monday, "handled", "rework", "rework_rate") == {
        "handled": 0,
        "rework": 1,
        "rework_rate": None,
    }
    assert figures(tuesday, "handled", "rework") == {"handled": 1, "rework": 0}
    assert figures(week, "handled", "rework", "rework_rate") == {
        "handled": 1,
        "rework": 1,
        "rework_rate": 100.0,
    }


def test_an_overdue_case_counts_when_its_deadline_passed_and_moves_once_handled(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.accepted()
    app.watch_deadline(number, by=WATCHER, at=datetime.combine(DAY, datetime.max.time(), CST))
    store = view(app)
    monday = assessment.department(store, "hwj", "day", DAY)
    assert figures(monday, "handled", "overdue_unhandled", "due", "handling_rate") == {
        "handled": 0,
        "overdue_unhandled": 1,
        "due": 1,
        "handling_rate": 0.0,
    }
    handled_at = datetime.combine(TUESDAY, datetime.min.time(), CST) + timedelta(hours=10)
    app.handle_case(number, note="已清运", by=SANITATION, at=handled_at)
    store = view(app)
    assert assessment.department(store, "hwj", "day", DAY)["due"].value == 0
    tuesday = assessment.department(store, "hwj", "day", TUESDAY)
    assert figures(tuesday, "handled", "handled_on_time", "handled_late", "overdue_unhandled") == {
        "handled": 1,
        "handled_on_time": 0,
        "handled_late": 1,
        "overdue_unhandled": 0,
    }


def test_returns_extensions_and_satisfaction_count_when_they_happen(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.accepted()
    app.return_case(number, reason="不属本部门", by=SANITATION, at=loop.tick())
    store = view(app)
    assert figures(assessment.department(store, "hwj", "day", DAY), "filed_against", "returns") == {
        "filed_against": 0,
        "returns": 1,
    }
    app.dispatch_case(number, by=OPERATOR, at=loop.tick(), reason="经核实仍属环卫")
    app.accept_case(number, by=SANITATION, at=loop.tick())
    app.watch_deadline(number, by=WATCHER, at=datetime.combine(DAY, datetime.max.time(), CST))
    overdue = assessment.department(view(app), "hwj", "day", DAY)
    assert figures(overdue, "filed_against", "overdue_unhandled") == {
        "filed_against": 1,
        "overdue_unhandled": 1,
    }
    tuesday = datetime.combine(TUESDAY, datetime.min.time(), CST) + timedelta(hours=9)
    app.request_extension(number, Limit(8, TimeUnit.WORK_HOURS), "需调机械", SANITATION, tuesday)
    app.grant_extension(number, by=OPERATOR, at=tuesday + timedelta(minutes=10))
    app.handle_case(number, note="已清运", by=SANITATION, at=tuesday + timedelta(hours=1))
    app.verify_case(number, passed=True, note="干净", by=WORKER_A, at=tuesday + timedelta(hours=2))
    app.close_case(number, by=OPERATOR, at=tuesday + timedelta(hours=3))
    app.evaluate_case(number, satisfaction=4, by=OPERATOR, at=tuesday + timedelta(hours=4))
    store = view(app)
    assert assessment.department(store, "hwj", "day", DAY)["overdue_unhandled"].value == 0
    found = assessment.department(store, "hwj", "day", TUESDAY)
    assert figures(
        found,
        "extensions_asked",
        "extensions_granted",
        "handled_on_time",
        "closed_on_time",
        "mean_satisfaction",
    ) == {
        "extensions_asked": 1,
        "extensions_granted": 1,
        "handled_on_time": 1,  # by the extended deadline
        "closed_on_time": 1,
        "mean_satisfaction": 4.0,
    }


def test_a_public_report_needs_a_check_and_counts_as_missed_by_the_grid(
    app: GridCenter, loop: Loop
) -> None:
    staffed(app)
    late = loop.reported(channel=Channel.APP)
    checked = loop.reported(channel=Channel.HOTLINE)
    app.confirm_report(checked, found=True, note="属实", by=WORKER_A, at=loop.tick(30))
    app.file_case(checked, by=OPERATOR, at=loop.tick())
    app.confirm_report(late, found=True, note="属实", by=WORKER_A, at=loop.tick(3 * 60))
    store = view(app)
    worker = assessment.worker(store, WORKER_A.id, "day", DAY)
    assert figures(worker, "reports", "checks_due", "checks_on_time", "on_time_check_rate") == {
        "reports": 0,
        "checks_due": 2,
        "checks_on_time": 1,
        "on_time_check_rate": 50.0,
    }
    assert figures(worker, "filed", "filed_public", "missed_report_rate") == {
        "filed": 1,
        "filed_public": 1,
        "missed_report_rate": 100.0,
    }
    assert figures(worker, "valid_report_rate") == {"valid_report_rate": None}


def test_a_check_nobody_did_is_due_from_the_worker_on_duty_unless_called_off_in_time(
    app: GridCenter, loop: Loop
) -> None:
    staffed(app)
    loop.reported(channel=Channel.APP)  # never checked
    called_off = loop.reported(channel=Channel.APP)
    app.reject_case(called_off, reason="重复来电", by=OPERATOR, at=loop.tick())
    worker = assessment.worker(view(app), WORKER_A.id, "day", DAY)
    assert figures(worker, "checks_due", "checks_on_time", "on_time_check_rate") == {
        "checks_due": 1,
        "checks_on_time": 0,
        "on_time_check_rate": 0.0,
    }


def test_a_report_merged_into_another_workers_report_is_not_valid(
    app: GridCenter, loop: Loop
) -> None:
    first = loop.filed()
    second = loop.reported()
    public = loop.reported(channel=Channel.HOTLINE)
    app.confirm_report(public, found=True, note="属实", by=WORKER_A, at=loop.tick())
    app.file_case(public, by=OPERATOR, at=loop.tick())
    third = loop.reported()
    app.merge_case(second, into=first, by=OPERATOR, at=loop.tick())
    app.merge_case(third, into=public, by=OPERATOR, at=loop.tick())
    worker = assessment.worker(view(app), WORKER_A.id, "day", DAY)
    assert figures(worker, "reports", "valid_reports") == {"reports": 3, "valid_reports": 2}


def test_visits_are_due_by_the_day_from_the_households_on_duty(app: GridCenter, loop: Loop) -> None:
    staffed(app)
    app.record_visit(f"{GRID_A}0001", findings="身体尚好", by=WORKER_A, at=loop.tick())
    store = view(app)
    week = assessment.worker(store, WORKER_A.id, "week", DAY)
    # (12 + 4) visits a year, for the 7 days of the week
    assert figures(week, "visits", "visits_due") == {"visits": 1, "visits_due": 0.31}
    assert assessment.grid(store, GRID_A, "week", DAY)["visits_due"].value == 0.31
    assert assessment.worker(store, "W999", "week", DAY)["visits_due"].value == 0.0


def test_visits_due_follow_the_grid_from_worker_to_worker(app: GridCenter) -> None:
    staffed(app)
    wednesday = MONDAY + timedelta(days=2)
    app.enrol_staff([StaffPlan("W003", "王网格", WORKER_A.role, (GRID_A,))], ADMIN, wednesday)
    app.staff_grids({GRID_A: ("W003", [])}, ADMIN, wednesday)
    store = view(app)
    due = {
        staff: assessment.worker(store, staff, "week", DAY)["visits_due"].value
        for staff in (WORKER_A.id, "W003")
    }
    assert due == {WORKER_A.id: 0.09, "W003": 0.22}  # 16 a year: Monday–Tuesday, the rest
    assert assessment.grid(store, GRID_A, "week", DAY)["visits_due"].value == 0.31


def test_folding_event_by_event_gives_the_rows_of_one_fold(app_factory: Any) -> None:
    app = app_factory("memory:")
    play(app, [(i % 10, (i * 7) % 21, (i * 37) % 400) for i in range(400)])
    rows, head = fold(app.recorder, ASSESSMENT)
    one_by_one = MemoryViewStore()
    ProjectionRunner(app.recorder, one_by_one, ASSESSMENT, batch=1).catch_up()
    expected = folded(rows, ASSESSMENT, head)
    assert contents(one_by_one, ASSESSMENT) == expected
    assert expected["assessment_tallies"] and expected["assessment_cases"]


def test_recounting_a_case_writes_only_the_counters_that_move() -> None:
    handled = counted("2026-03-02", {"handled": 1, "closed": 0}, GRID_A, "department", "hwj")
    closed = counted("2026-03-02", {"handled": 1, "closed": 1}, GRID_A, "department", "hwj")
    later = counted("2026-03-03", {"handled": 1}, GRID_A, "department", "hwj")
    rows = Rows(None)
    recount(rows, None, handled)
    rows.touched.clear()
    recount(rows, handled, closed)
    assert rows.touched == {"assessment": {f"grid/{GRID_A}", "department/hwj"}}
    assert {key: row.counts for key, row in rows.changed["assessment_tallies"].items()} == {
        ("grid", GRID_A, "2026-03-02"): {"handled": 1, "closed": 1},
        ("department", "hwj", "2026-03-02"): {"handled": 1, "closed": 1},
    }
    recount(rows, closed, later)  # handled again a day later: the first day is left empty
    tallies = rows.changed["assessment_tallies"]
    assert tallies[("grid", GRID_A, "2026-03-02")] is None
    assert tallies[("department", "hwj", "2026-03-03")].counts == {"handled": 1}
    rows.touched.clear()
    recount(rows, later, later)
    recount(rows, None, counted("2026-03-03", {"closed": 0}, GRID_A, "worker", None))
    assert rows.touched == {}


# The view, over a synthetic history of the published city report ------------------------------


def stored(position: int, name: str, number: int, at: datetime, **fields: Any) -> Record:
    """An event in its stored form, as the log gives it to the views."""
    by = {"id": "D-hwj-1", "name": "环卫", "role": "department", "area": [], "department": "hwj"}
    data = {
        "at": {"_type_": "datetime_iso", "_data_": at.astimezone(UTC).isoformat()},
        "by": {"_type_": "actor", "_data_": fields.pop("by", by)},
        **{
            key: {"_data_": value.astimezone(UTC).isoformat()}
            if isinstance(value, datetime)
            else value
            for key, value in fields.items()
        },
    }
    return Record(position, name, case_id(number).hex, 1, data)


def city_report() -> list[Record]:
    """972 cases due to close in March: 911 handled and closed, 737 of them on time, and 61
    whose deadline passed unhandled."""
    worker = {"id": "W001", "name": "张网格", "role": "grid_worker", "area": [GRID_A]}
    records: list[Record] = []
    for number in range(1, 973):
        at = datetime(2026, 3, 2, 9, tzinfo=CST) + timedelta(minutes=40 * number)
        steps = [
            ("CaseReported", {"channel": "patrol", "grid": GRID_A, "by": worker}),
            ("CaseFiled", {}),
            ("CaseDispatched", {"department": "hwj", "deadline": at + timedelta(hours=4)}),
        ]
        if number <= 911:
            on_time = number <= 737
            handled = {"on_time": on_time, "hours_used": 3.0 if on_time else 6.0}
            steps += [
                ("CaseHandled", handled),
                ("CaseVerified", {"by": worker}),
                ("CaseClosed", {}),
            ]
        else:
            steps.append(("CaseOverdue", {"deadline": at + timedelta(hours=4)}))
        for minutes, (name, fields) in enumerate(steps):
            moment = at + timedelta(minutes=minutes)
            records.append(stored(len(records) + 1, name, number, moment, **fields))
    return records


def test_the_view_of_the_published_city_report_closes_93_72_and_on_time_75_82_percent() -> None:
    records = city_report()
    rows = Rows(None)
    for record in records:
        assessment.apply(record, rows)
    store = MemoryViewStore()
    store.prepare(ASSESSMENT)
    store.replace(assessment, rows, len(records))
    month = assessment.department(store, "hwj", "month", date(2026, 3, 15))
    assert figures(month, "due_to_close", "closed", "closed_on_time") == {
        "due_to_close": 972,
        "closed": 911,
        "closed_on_time": 737,
    }
    assert figures(month, "closing_rate", "on_time_closing_rate") == {
        "closing_rate": 93.72,
        "on_time_closing_rate": 75.82,
    }
    assert month["mean_handling_hours"].value == round((737 * 3 + 174 * 6) / 911, 2)
    assert assessment.grid(store, GRID_A, "month", date(2026, 3, 1))["closing_rate"].value == 93.72
