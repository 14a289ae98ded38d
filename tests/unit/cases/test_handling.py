"""Dispatch (派遣), accept (签收), return (退回), handle (处置), extensions (延期) and
suspension (挂账): the department's part of the loop and the deadline clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.cases import Stage
from domain.catalog import UnknownDepartment
from domain.components import ComponentState, component_id
from domain.deadlines import Limit, TimeUnit
from domain.errors import NotPermitted, RuleBroken
from domain.service import GridCenter
from tests.fixtures import (
    CITY_MGMT,
    COVER,
    CST,
    OPERATOR,
    SANITATION,
    WATER,
    Loop,
    events_since,
    fix_cover,
    head,
    names_since,
    refused,
)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def test_dispatch_starts_the_clock_with_the_catalog_limit_in_work_time(
    app: GridCenter, loop: Loop, case_filed: int
) -> None:
    before = head(app)
    app.dispatch_case(case_filed, by=OPERATOR, at=local("2026-03-09 10:40"))
    (dispatched,) = events_since(app, before)
    assert type(dispatched).__name__ == "CaseDispatched"
    assert dispatched.department == "hwj"  # exposed garbage goes to sanitation by the catalog
    assert dispatched.limit == Limit(4, TimeUnit.WORK_HOURS)
    assert dispatched.deadline == local("2026-03-09 16:10")  # 1h20 before lunch, 2h40 after
    assert list(dispatched.fallback_years) == []


def test_dispatch_over_a_weekend_counts_only_work_time(
    app: GridCenter, loop: Loop, case_filed: int
) -> None:
    loop.at = local("2026-03-13 16:30")  # a Friday afternoon
    app.dispatch_case(case_filed, by=OPERATOR, at=loop.tick())
    assert app.case(case_filed).deadline == local("2026-03-16 13:40")  # Monday


def test_urgent_case_is_due_within_its_urgent_tier(app: GridCenter, loop: Loop) -> None:
    number = loop.filed(urgent=True)
    app.dispatch_case(number, by=OPERATOR, at=local("2026-03-09 11:00"))
    case = app.case(number)
    assert case.limit == Limit(2, TimeUnit.CLOCK_HOURS)  # tier B of exposed garbage
    assert case.deadline == local("2026-03-09 13:00")


def test_dispatching_to_another_department_than_the_catalogs_needs_a_reason(
    app: GridCenter, loop: Loop, case_filed: int
) -> None:
    refused(
        app,
        lambda: app.dispatch_case(case_filed, by=OPERATOR, at=loop.tick(), department="cgj"),
        RuleBroken,
        "goes to hwj by the catalog",
    )
    app.dispatch_case(case_filed, by=OPERATOR, at=loop.tick(), department="cgj", reason="占道")
    assert app.case(case_filed).department == "cgj"


def test_dispatch_to_an_unknown_department_is_refused(
    app: GridCenter, loop: Loop, case_filed: int
) -> None:
    refused(
        app,
        lambda: app.dispatch_case(
            case_filed, by=OPERATOR, at=loop.tick(), department="xyz", reason="r"
        ),
        UnknownDepartment,
        "xyz",
    )


def test_a_reported_case_cannot_be_dispatched_before_it_is_filed(
    app: GridCenter, loop: Loop, case_reported: int
) -> None:
    refused(
        app,
        lambda: app.dispatch_case(case_reported, by=OPERATOR, at=loop.tick()),
        RuleBroken,
        "cannot be dispatched: it is reported",
    )


def test_the_department_accepts_a_case_dispatched_to_it(
    app: GridCenter, loop: Loop, case_dispatched: int
) -> None:
    refused(
        app,
        lambda: app.accept_case(case_dispatched, by=CITY_MGMT, at=loop.tick()),
        NotPermitted,
        "dispatched to hwj, not to cgj",
    )
    before = head(app)
    app.accept_case(case_dispatched, by=SANITATION, at=loop.tick())
    assert names_since(app, before) == ["CaseAccepted"]


def test_returning_a_case_sends_it_back_to_the_center_with_its_reason(
    app: GridCenter, loop: Loop, case_accepted: int
) -> None:
    before = head(app)
    app.return_case(case_accepted, reason="属于城管职责", by=SANITATION, at=loop.tick())
    (returned,) = events_since(app, before)
    assert (type(returned).__name__, returned.reason) == ("CaseReturned", "属于城管职责")
    case = app.case(case_accepted)
    assert (case.stage, case.department, case.deadline) == (Stage.RETURNED, None, None)


def test_redispatching_to_the_department_that_returned_it_needs_a_reason(
    app: GridCenter, loop: Loop, case_dispatched: int
) -> None:
    app.return_case(case_dispatched, reason="不归我们管", by=SANITATION, at=loop.tick())
    refused(
        app,
        lambda: app.dispatch_case(case_dispatched, by=OPERATOR, at=loop.tick()),
        RuleBroken,
        "was returned by hwj",
    )
    app.dispatch_case(case_dispatched, by=OPERATOR, at=loop.tick(), department="cgj", reason="占道")
    assert app.case(case_dispatched).stage is Stage.DISPATCHED


def test_a_department_handling_a_case_not_dispatched_to_it_is_refused(
    app: GridCenter, loop: Loop, case_accepted: int
) -> None:
    refused(
        app,
        lambda: app.handle_case(case_accepted, note="done", by=CITY_MGMT, at=loop.tick()),
        NotPermitted,
        "dispatched to hwj, not to cgj",
    )


def test_a_case_is_accepted_before_it_is_handled(
    app: GridCenter, loop: Loop, case_dispatched: int
) -> None:
    refused(
        app,
        lambda: app.handle_case(case_dispatched, note="done", by=SANITATION, at=loop.tick()),
        RuleBroken,
        "cannot be handled: it is dispatched",
    )


def test_handling_in_time_is_on_time(app: GridCenter, loop: Loop, case_accepted: int) -> None:
    before = head(app)
    app.handle_case(case_accepted, note="已清运", by=SANITATION, at=loop.tick())
    (handled,) = events_since(app, before)
    assert (handled.on_time, handled.overrun) == (True, 0.0)


def test_late_handling_keeps_the_overrun_multiple(
    app: GridCenter, loop: Loop, case_filed: int
) -> None:
    app.dispatch_case(case_filed, by=OPERATOR, at=local("2026-03-09 10:30"))  # due 16:00
    app.accept_case(case_filed, by=SANITATION, at=local("2026-03-09 10:40"))
    before = head(app)
    app.handle_case(case_filed, note="已清运", by=SANITATION, at=local("2026-03-10 10:30"))
    (handled,) = events_since(app, before)
    assert handled.on_time is False
    assert handled.overrun == 0.75  # 3 work hours late on a 4 work-hour limit


def test_a_fix_can_repair_the_component_the_case_is_about(app: GridCenter, loop: Loop) -> None:
    number = loop.dispatched(category="C0101", component=COVER)
    before = head(app)
    fix_cover(app, loop, number)
    assert names_since(app, before) == ["CaseAccepted", "CaseHandled", "ComponentRepaired"]
    assert app.repository.get(component_id(COVER)).state is ComponentState.INTACT


def test_a_granted_extension_moves_the_deadline_by_the_time_asked(
    app: GridCenter, loop: Loop, case_accepted: int
) -> None:
    deadline = app.case(case_accepted).deadline
    app.request_extension(
        case_accepted,
        extension=Limit(1, TimeUnit.WORK_DAYS),
        reason="需协调",
        by=SANITATION,
        at=loop.tick(),
    )
    before = head(app)
    app.grant_extension(case_accepted, by=OPERATOR, at=loop.tick())
    (granted,) = events_since(app, before)
    assert type(granted).__name__ == "ExtensionGranted"
    assert deadline is not None and granted.deadline == deadline + timedelta(days=1)


def test_a_refused_extension_leaves_the_deadline(
    app: GridCenter, loop: Loop, case_accepted: int
) -> None:
    deadline = app.case(case_accepted).deadline
    app.request_extension(
        case_accepted,
        extension=Limit(4, TimeUnit.WORK_HOURS),
        reason="人手不足",
        by=SANITATION,
        at=loop.tick(),
    )
    app.refuse_extension(case_accepted, reason="可当日完成", by=OPERATOR, at=loop.tick())
    case = app.case(case_accepted)
    assert (case.deadline, case.requested_extension) == (deadline, None)


def test_one_extension_request_at_a_time(app: GridCenter, loop: Loop, case_accepted: int) -> None:
    ask = dict(extension=Limit(2, TimeUnit.WORK_HOURS), reason="r", by=SANITATION)
    app.request_extension(case_accepted, at=loop.tick(), **ask)
    refused(
        app,
        lambda: app.request_extension(case_accepted, at=loop.tick(), **ask),
        RuleBroken,
        "already has an extension request",
    )


def test_no_extension_to_grant_without_a_request(
    app: GridCenter, loop: Loop, case_accepted: int
) -> None:
    refused(
        app,
        lambda: app.grant_extension(case_accepted, by=OPERATOR, at=loop.tick()),
        RuleBroken,
        "no extension request",
    )


def test_suspension_pauses_the_clock_and_resuming_moves_the_deadline(
    app: GridCenter, loop: Loop, case_filed: int
) -> None:
    app.dispatch_case(case_filed, by=OPERATOR, at=local("2026-03-13 10:00"))  # Friday, due 15:30
    app.suspend_case(
        case_filed, reason="等待产权单位确认", by=OPERATOR, at=local("2026-03-13 11:00")
    )
    app.resume_case(case_filed, by=OPERATOR, at=local("2026-03-16 10:00"))  # Monday
    # 3 work hours were left when it was paused; they run from Monday 10:00
    assert app.case(case_filed).deadline == local("2026-03-16 14:30")


def test_a_suspended_case_cannot_be_handled_until_resumed(
    app: GridCenter, loop: Loop, case_accepted: int
) -> None:
    app.suspend_case(case_accepted, reason="等待审批", by=OPERATOR, at=loop.tick())
    refused(
        app,
        lambda: app.handle_case(case_accepted, note="done", by=SANITATION, at=loop.tick()),
        RuleBroken,
        r"it is suspended \(挂账\)",
    )
    refused(
        app,
        lambda: app.suspend_case(case_accepted, reason="again", by=OPERATOR, at=loop.tick()),
        RuleBroken,
        "suspended",
    )
    app.resume_case(case_accepted, by=OPERATOR, at=loop.tick())
    app.handle_case(case_accepted, note="done", by=SANITATION, at=loop.tick())


def test_only_a_suspended_case_can_be_resumed(
    app: GridCenter, loop: Loop, case_accepted: int
) -> None:
    refused(
        app,
        lambda: app.resume_case(case_accepted, by=OPERATOR, at=loop.tick()),
        RuleBroken,
        "it is not suspended",
    )


def test_water_cannot_take_cases_of_sanitation(
    app: GridCenter, loop: Loop, case_dispatched: int
) -> None:
    refused(
        app,
        lambda: app.return_case(case_dispatched, reason="r", by=WATER, at=loop.tick()),
        NotPermitted,
        "not to swj",
    )
