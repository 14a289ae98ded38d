"""The deadline watcher follows the log and records each warning and overdue once, for
the deadline in force, only while the clock runs."""

from __future__ import annotations

from datetime import timedelta

from domain.deadlines import Limit, TimeUnit
from domain.service import GridCenter
from infra.watcher import DeadlineWatch
from tests.fixtures import OPERATOR, SANITATION, Loop, names_since


def test_the_watch_warns_then_marks_overdue_once_each(app: GridCenter, loop: Loop) -> None:
    number = loop.accepted()
    case = app.case(number)
    assert case.deadline is not None
    watch, start = DeadlineWatch(app), app.recorder.max_notification_id() or 0
    assert watch.run_once(loop.tick()) == 0
    assert watch.run_once(case.deadline - timedelta(minutes=10)) == 1
    assert watch.run_once(case.deadline - timedelta(minutes=5)) == 0
    assert watch.run_once(case.deadline + timedelta(minutes=1)) == 1
    assert watch.run_once(case.deadline + timedelta(hours=3)) == 0
    assert names_since(app, start) == ["DeadlineWarned", "CaseOverdue"]


def test_a_fixed_suspended_or_returned_case_is_left_alone(app: GridCenter, loop: Loop) -> None:
    loop.handled()
    suspended, returned = loop.accepted(), loop.accepted()
    app.suspend_case(suspended, reason="挂账", by=OPERATOR, at=loop.tick())
    app.return_case(returned, reason="不归我们", by=SANITATION, at=loop.tick())
    watch, start = DeadlineWatch(app), app.recorder.max_notification_id() or 0
    assert watch.run_once(loop.at + timedelta(days=10)) == 0
    assert names_since(app, start) == []


def test_an_extension_gives_a_new_deadline_to_warn_about(app: GridCenter, loop: Loop) -> None:
    number = loop.accepted()
    first = app.case(number).deadline
    assert first is not None
    watch = DeadlineWatch(app)
    watch.run_once(first - timedelta(minutes=10))
    app.request_extension(
        number,
        extension=Limit(1, TimeUnit.WORK_DAYS),
        reason="r",
        by=SANITATION,
        at=first - timedelta(minutes=9),
    )
    app.grant_extension(number, by=OPERATOR, at=first - timedelta(minutes=8))
    second = app.case(number).deadline
    assert second is not None
    start = app.recorder.max_notification_id() or 0
    assert watch.run_once(first + timedelta(minutes=1)) == 0
    assert watch.run_once(second - timedelta(minutes=10)) == 1
    assert watch.run_once(second) == 1
    assert names_since(app, start) == ["DeadlineWarned", "CaseOverdue"]


def test_two_watchers_record_each_overdue_once(app: GridCenter, loop: Loop) -> None:
    number = loop.accepted()
    deadline = app.case(number).deadline
    assert deadline is not None
    first, second = DeadlineWatch(app), DeadlineWatch(app)
    second.catch_up()  # it knows the clock, not yet the other's mark
    start = app.recorder.max_notification_id() or 0
    assert first.run_once(deadline + timedelta(minutes=1)) == 1
    assert second.run_once(deadline + timedelta(minutes=2)) == 0
    assert names_since(app, start) == ["CaseOverdue"]
