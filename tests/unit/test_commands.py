"""Optimistic concurrency (expected versions) and idempotency keys for mobile clients."""

from __future__ import annotations

from datetime import timedelta

from domain.cases import Channel
from domain.errors import KeyReused, VersionConflict
from domain.service import Change, GridCenter, StaffPlan
from domain.staff import Role
from tests.fixtures import (
    ADMIN,
    GRID_A,
    GRID_B,
    IN_A,
    MONDAY,
    OPERATOR,
    SANITATION,
    SUPERVISOR,
    WORKER_A,
    Loop,
    head,
    refused,
)


def report(app: GridCenter, loop: Loop, key: str, description: str = "暴露垃圾") -> object:
    return app.report_case(
        channel=Channel.PATROL,
        category="E0101",
        location=IN_A,
        description=description,
        by=WORKER_A,
        at=loop.tick(),
        key=key,
    )


def test_a_stale_expected_version_is_refused_and_changes_nothing(
    app: GridCenter, loop: Loop, case_filed: int
) -> None:
    version = app.case(case_filed).version
    refused(
        app,
        lambda: app.dispatch_case(
            case_filed, by=OPERATOR, at=loop.tick(), expected_version=version - 1
        ),
        VersionConflict,
        f"case {case_filed} is at version {version}, not {version - 1}",
    )
    recorded = app.dispatch_case(case_filed, by=OPERATOR, at=loop.tick(), expected_version=version)
    assert recorded.version == version + 1


def test_a_change_decided_on_a_stale_copy_is_a_conflict(
    app: GridCenter, loop: Loop, case_dispatched: int
) -> None:
    stale = app.case(case_dispatched)
    app.accept_case(case_dispatched, by=SANITATION, at=loop.tick())
    stale.return_("不归我们管", SANITATION, loop.tick())
    refused(
        app,
        lambda: app.record(Change(stale, number=case_dispatched)),
        VersionConflict,
        f"case {case_dispatched} changed while this command was decided",
    )


def test_a_retried_report_returns_the_first_result_and_records_nothing(
    app: GridCenter, loop: Loop
) -> None:
    first = report(app, loop, key="phone-7f3a-0001")
    before = head(app)
    retry = report(app, loop, key="phone-7f3a-0001")  # re-stamped later: still the same command
    assert head(app) == before
    assert retry.replayed and not first.replayed  # type: ignore[attr-defined]
    assert (retry.number, retry.version, retry.positions) == (  # type: ignore[attr-defined]
        first.number,
        first.version,
        first.positions,  # type: ignore[attr-defined]
    )
    assert loop.reported() == 2  # the retry spent no case number


def test_a_reused_key_with_other_content_is_refused(app: GridCenter, loop: Loop) -> None:
    report(app, loop, key="phone-7f3a-0002")
    refused(
        app,
        lambda: report(app, loop, key="phone-7f3a-0002", description="另一个问题"),
        KeyReused,
        "phone-7f3a-0002",
    )


def test_a_key_names_one_command_of_one_actor(
    app: GridCenter, loop: Loop, case_handled: int
) -> None:
    app.verify_case(case_handled, passed=True, note="ok", by=WORKER_A, at=loop.tick(), key="k1")
    refused(
        app,
        lambda: app.record_visit(
            "1101010010010010001", findings="x", by=WORKER_A, at=loop.tick(), key="k1"
        ),
        KeyReused,
        "k1",
    )
    number = loop.reported()
    app.escalate_case(number, reason="超出网格能力", by=SUPERVISOR, at=loop.tick(), key="k1")


def test_retrying_a_case_step_with_its_key_changes_nothing(
    app: GridCenter, loop: Loop, case_filed: int
) -> None:
    first = app.dispatch_case(case_filed, by=OPERATOR, at=loop.tick(), key="op-9")
    before = head(app)
    again = app.dispatch_case(
        case_filed, by=OPERATOR, at=loop.at + timedelta(minutes=3), key="op-9"
    )
    assert head(app) == before
    assert again.positions == first.positions and again.version == first.version


def test_a_bulk_command_retried_with_its_key_records_nothing_new(app: GridCenter) -> None:
    plans = [StaffPlan("W9", "钱网格", Role.GRID_WORKER, (GRID_A,))]
    first = app.enrol_staff(plans, ADMIN, MONDAY, key="survey-1")
    before = head(app)
    assert app.enrol_staff(plans, ADMIN, MONDAY, key="survey-1").positions == first.positions
    assert head(app) == before
    other = [StaffPlan("W9", "钱网格", Role.GRID_WORKER, (GRID_B,))]
    refused(
        app,
        lambda: app.enrol_staff(other, ADMIN, MONDAY, key="survey-1"),
        KeyReused,
        "already used for another enrol_staff",
    )
