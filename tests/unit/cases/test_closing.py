"""Verification (核查) and rework (返工), closing (结案), resolving on the spot, escalation,
the deadline watch (预警/超期) and the reporter's evaluation (评价)."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.cases import Channel, Level, Stage
from domain.deadlines import Limit, TimeUnit
from domain.errors import NotPermitted, RuleBroken
from domain.service import GridCenter
from tests.fixtures import (
    AUDITOR,
    CST,
    OPERATOR,
    RESIDENT,
    SANITATION,
    SUPERVISOR,
    WATCHER,
    WORKER_A,
    WORKER_B,
    Loop,
    events_since,
    head,
    names_since,
    refused,
)


def test_closing_an_unverified_case_is_refused(
    app: GridCenter, loop: Loop, case_handled: int
) -> None:
    refused(
        app,
        lambda: app.close_case(case_handled, by=OPERATOR, at=loop.tick()),
        RuleBroken,
        f"case {case_handled} cannot be closed: it has not passed on-site verification",
    )


def test_a_passed_verification_lets_the_center_close_the_case(
    app: GridCenter, loop: Loop, case_handled: int
) -> None:
    before = head(app)
    app.verify_case(case_handled, passed=True, note="现场已清理", by=WORKER_A, at=loop.tick())
    app.close_case(case_handled, by=OPERATOR, at=loop.tick())
    assert names_since(app, before) == ["CaseVerified", "CaseClosed"]
    assert app.case(case_handled).stage is Stage.CLOSED


def test_a_case_closes_only_once(app: GridCenter, loop: Loop, case_closed: int) -> None:
    refused(
        app,
        lambda: app.close_case(case_closed, by=OPERATOR, at=loop.tick()),
        RuleBroken,
        "cannot be closed",
    )


def test_a_failed_verification_orders_rework_from_the_same_department(
    app: GridCenter, loop: Loop, case_handled: int
) -> None:
    before = head(app)
    app.verify_case(case_handled, passed=False, note="仍有垃圾", by=WORKER_A, at=loop.tick())
    (rework,) = events_since(app, before)
    assert (type(rework).__name__, rework.reason) == ("ReworkOrdered", "仍有垃圾")
    case = app.case(case_handled)
    assert (case.stage, case.department, case.rework_count) == (Stage.REWORK, "hwj", 1)
    app.handle_case(case_handled, note="二次清运", by=SANITATION, at=loop.tick())
    assert app.case(case_handled).stage is Stage.HANDLED


def test_a_failed_verification_must_say_what_is_wrong(
    app: GridCenter, loop: Loop, case_handled: int
) -> None:
    refused(
        app,
        lambda: app.verify_case(case_handled, passed=False, note="", by=WORKER_A, at=loop.tick()),
        RuleBroken,
        "must say what is wrong",
    )


def test_only_a_worker_of_the_grid_verifies_a_fix(
    app: GridCenter, loop: Loop, case_handled: int
) -> None:
    refused(
        app,
        lambda: app.verify_case(case_handled, passed=True, note="", by=WORKER_B, at=loop.tick()),
        NotPermitted,
        "outside their area",
    )
    refused(
        app,
        lambda: app.verify_case(case_handled, passed=True, note="", by=OPERATOR, at=loop.tick()),
        NotPermitted,
        "may not verify",
    )
    app.verify_case(case_handled, passed=True, note="", by=SUPERVISOR, at=loop.tick())


def test_a_small_matter_resolved_on_the_spot_can_be_closed(
    app: GridCenter, loop: Loop, case_reported: int
) -> None:
    before = head(app)
    app.resolve_on_spot(case_reported, note="当场清理", by=WORKER_A, at=loop.tick())
    app.close_case(case_reported, by=OPERATOR, at=loop.tick())
    assert names_since(app, before) == ["CaseResolvedOnSpot", "CaseClosed"]


def test_a_filed_case_is_no_longer_resolved_on_the_spot(
    app: GridCenter, loop: Loop, case_filed: int
) -> None:
    refused(
        app,
        lambda: app.resolve_on_spot(case_filed, note="x", by=WORKER_A, at=loop.tick()),
        RuleBroken,
        "cannot be resolved on the spot: it is filed",
    )


def test_escalation_goes_one_level_up_at_a_time(
    app: GridCenter, loop: Loop, case_reported: int
) -> None:
    before = head(app)
    app.escalate_case(case_reported, reason="超出网格能力", by=WORKER_A, at=loop.tick())
    (escalated,) = events_since(app, before)
    assert (type(escalated).__name__, escalated.to) == ("CaseEscalated", Level.COMMUNITY)
    app.escalate_case(case_reported, reason="社区无法协调", by=SUPERVISOR, at=loop.tick())
    app.escalate_case(case_reported, reason="街道无法协调", by=OPERATOR, at=loop.tick())
    app.escalate_case(case_reported, reason="需市级协调", by=OPERATOR, at=loop.tick())
    assert app.case(case_reported).level is Level.CITY
    refused(
        app,
        lambda: app.escalate_case(case_reported, reason="x", by=OPERATOR, at=loop.tick()),
        RuleBroken,
        "already at the city level",
    )


def test_a_grid_worker_cannot_escalate_above_their_own_level(
    app: GridCenter, loop: Loop, case_reported: int
) -> None:
    app.escalate_case(case_reported, reason="超出网格能力", by=WORKER_A, at=loop.tick())
    refused(
        app,
        lambda: app.escalate_case(case_reported, reason="x", by=WORKER_A, at=loop.tick()),
        NotPermitted,
        "already at the community level",
    )


def test_the_watch_warns_then_marks_overdue_once_per_deadline(
    app: GridCenter, loop: Loop, case_dispatched: int
) -> None:
    case = app.case(case_dispatched)
    assert case.deadline is not None and case.clock_started_at is not None
    allowed = case.deadline - case.clock_started_at
    before = head(app)
    assert app.watch_deadline(case_dispatched, by=WATCHER, at=loop.tick()).positions == ()
    warn_at = case.clock_started_at + allowed * 0.9
    app.watch_deadline(case_dispatched, by=WATCHER, at=warn_at)
    app.watch_deadline(case_dispatched, by=WATCHER, at=warn_at + timedelta(minutes=1))
    app.watch_deadline(case_dispatched, by=WATCHER, at=case.deadline)
    app.watch_deadline(case_dispatched, by=WATCHER, at=case.deadline + timedelta(hours=1))
    assert names_since(app, before) == ["DeadlineWarned", "CaseOverdue"]


def test_an_overdue_case_still_needs_an_answer(
    app: GridCenter, loop: Loop, case_accepted: int
) -> None:
    deadline = app.case(case_accepted).deadline
    assert deadline is not None
    app.watch_deadline(case_accepted, by=WATCHER, at=deadline + timedelta(minutes=5))
    assert app.case(case_accepted).stage is Stage.ACCEPTED
    app.handle_case(
        case_accepted, note="迟到的处置", by=SANITATION, at=deadline + timedelta(hours=2)
    )
    assert app.case(case_accepted).handled_on_time is False


def test_a_suspended_case_is_not_marked_overdue(
    app: GridCenter, loop: Loop, case_accepted: int
) -> None:
    app.suspend_case(case_accepted, reason="等待审批", by=OPERATOR, at=loop.tick())
    before = head(app)
    app.watch_deadline(case_accepted, by=WATCHER, at=loop.at + timedelta(days=3))
    assert names_since(app, before) == []


def test_an_extension_gives_the_watch_a_new_deadline_to_watch(
    app: GridCenter, loop: Loop, case_accepted: int
) -> None:
    first = app.case(case_accepted).deadline
    assert first is not None
    app.watch_deadline(case_accepted, by=WATCHER, at=first)
    app.request_extension(
        case_accepted,
        extension=Limit(1, TimeUnit.WORK_DAYS),
        reason="r",
        by=SANITATION,
        at=first + timedelta(minutes=1),
    )
    app.grant_extension(case_accepted, by=OPERATOR, at=first + timedelta(minutes=2))
    second = app.case(case_accepted).deadline
    assert second is not None and second > first
    before = head(app)
    app.watch_deadline(case_accepted, by=WATCHER, at=second)
    assert names_since(app, before) == ["CaseOverdue"]


def test_only_the_watch_records_deadline_events(
    app: GridCenter, loop: Loop, case_dispatched: int
) -> None:
    refused(
        app,
        lambda: app.watch_deadline(case_dispatched, by=OPERATOR, at=loop.tick()),
        NotPermitted,
        "may not watch deadline",
    )


def test_the_reporter_evaluates_a_closed_case_once(app: GridCenter, loop: Loop) -> None:
    number = loop.reported(channel=Channel.APP)
    app.confirm_report(number, found=True, note="", by=WORKER_A, at=loop.tick())
    app.resolve_on_spot(number, note="已处理", by=WORKER_A, at=loop.tick())
    app.close_case(number, by=OPERATOR, at=loop.tick())
    before = head(app)
    app.evaluate_case(number, satisfaction=5, comment="很快", by=RESIDENT, at=loop.tick())
    (evaluated,) = events_since(app, before)
    assert (type(evaluated).__name__, evaluated.satisfaction) == ("CaseEvaluated", 5)
    refused(
        app,
        lambda: app.evaluate_case(number, satisfaction=4, by=RESIDENT, at=loop.tick()),
        RuleBroken,
        "already been evaluated",
    )


def test_satisfaction_is_scored_one_to_five(app: GridCenter, loop: Loop, case_closed: int) -> None:
    refused(
        app,
        lambda: app.evaluate_case(case_closed, satisfaction=6, by=OPERATOR, at=loop.tick()),
        RuleBroken,
        "1 to 5",
    )


def test_a_stranger_cannot_evaluate_someone_elses_case(
    app: GridCenter, loop: Loop, case_closed: int
) -> None:
    refused(
        app,
        lambda: app.evaluate_case(case_closed, satisfaction=1, by=RESIDENT, at=loop.tick()),
        NotPermitted,
        "did not report",
    )


def test_an_open_case_cannot_be_evaluated(app: GridCenter, loop: Loop, case_handled: int) -> None:
    refused(
        app,
        lambda: app.evaluate_case(case_handled, satisfaction=3, by=OPERATOR, at=loop.tick()),
        RuleBroken,
        "cannot be evaluated: it is handled",
    )


def test_auditors_change_nothing(app: GridCenter, loop: Loop, case_handled: int) -> None:
    refused(
        app,
        lambda: app.close_case(case_handled, by=AUDITOR, at=loop.tick()),
        NotPermitted,
        "may not close case",
    )


def test_times_must_carry_their_zone(app: GridCenter, loop: Loop, case_reported: int) -> None:
    naive = datetime(2026, 3, 9, 11, 0)
    refused(
        app,
        lambda: app.file_case(case_reported, by=OPERATOR, at=naive),
        RuleBroken,
        "must carry its zone",
    )
    assert loop.at.tzinfo is CST
