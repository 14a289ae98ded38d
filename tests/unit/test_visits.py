"""Households and the grid worker's visits (走访): how often, what was found, and needs
that become cases."""

from __future__ import annotations

import pytest

from domain.cases import Channel, Stage
from domain.errors import NotFound, NotPermitted, RuleBroken
from domain.households import household_id
from domain.service import GridCenter, HouseholdPlan
from domain.visits import Need, Tag, visits_due_a_year
from tests.fixtures import (
    GRID_A,
    IN_A,
    IN_B,
    MONDAY,
    WORKER_A,
    WORKER_B,
    Loop,
    events_since,
    head,
    names_since,
    refused,
)

HOME = f"{GRID_A}0001"


@pytest.fixture
def household(app: GridCenter) -> str:
    app.register_households(
        [
            HouseholdPlan(
                HOME, "多福巷 12 号", IN_A, 1, (Tag.ELDERLY_ALONE,), "王大爷", "13900000000"
            )
        ],
        WORKER_A,
        MONDAY,
    )
    return HOME


@pytest.mark.parametrize(
    ("tags", "due"),
    [
        ((), 4),
        ((Tag.RENTED,), 4),
        ((Tag.LOW_INCOME,), 6),
        ((Tag.ELDERLY_ALONE, Tag.DISABLED), 12),
    ],
)
def test_key_households_are_visited_more_often(tags: tuple[Tag, ...], due: int) -> None:
    assert visits_due_a_year(frozenset(tags)) == due


def test_a_household_is_registered_where_its_code_says(app: GridCenter) -> None:
    refused(
        app,
        lambda: app.register_households(
            [HouseholdPlan(HOME, "多福巷 12 号", IN_B, 2, (), "王", "139")], WORKER_A, MONDAY
        ),
        RuleBroken,
        f"located in grid 110101001001002, not in grid {GRID_A}",
    )


def test_a_grid_worker_registers_households_only_in_their_grid(app: GridCenter) -> None:
    refused(
        app,
        lambda: app.register_households(
            [HouseholdPlan(HOME, "多福巷 12 号", IN_A, 2, (), "王", "139")], WORKER_B, MONDAY
        ),
        NotPermitted,
        "outside their area",
    )


def test_a_visit_records_findings_and_needs(app: GridCenter, loop: Loop, household: str) -> None:
    before = head(app)
    recorded = app.record_visit(
        household,
        findings="老人行动不便，家中暖气不热",
        by=WORKER_A,
        at=loop.tick(),
        needs=(Need("E0903", "暖气不热"),),
    )
    (visit,) = events_since(app, before)
    assert type(visit).__name__ == "VisitRecorded"
    assert (visit.visit, visit.findings, list(visit.needs)) == (
        1,
        "老人行动不便，家中暖气不热",
        [Need("E0903", "暖气不热")],
    )
    assert recorded.number == 1


def test_a_need_found_on_a_visit_opens_one_linked_case(
    app: GridCenter, loop: Loop, household: str
) -> None:
    app.record_visit(
        household,
        findings="暖气不热",
        by=WORKER_A,
        at=loop.tick(),
        needs=(Need("E0903", "暖气不热"),),
    )
    before = head(app)
    recorded = app.report_need(household, visit=1, need=1, by=WORKER_A, at=loop.tick())
    assert names_since(app, before) == ["CaseReported", "NeedReferred"]
    case = app.case(recorded.number or 0)
    assert (case.channel, case.category, case.visit, case.stage) == (
        Channel.VISIT,
        "E0903",
        f"{HOME}#1/1",
        Stage.REPORTED,
    )
    refused(
        app,
        lambda: app.report_need(household, visit=1, need=1, by=WORKER_A, at=loop.tick()),
        RuleBroken,
        f"already became case {case.number}",
    )


def test_a_need_that_was_not_raised_cannot_open_a_case(
    app: GridCenter, loop: Loop, household: str
) -> None:
    app.record_visit(household, findings="一切正常", by=WORKER_A, at=loop.tick())
    refused(
        app,
        lambda: app.report_need(household, visit=1, need=1, by=WORKER_A, at=loop.tick()),
        NotFound,
        "raised no need 1",
    )


def test_a_visit_needs_findings(app: GridCenter, loop: Loop, household: str) -> None:
    refused(
        app,
        lambda: app.record_visit(household, findings=" ", by=WORKER_A, at=loop.tick()),
        RuleBroken,
        "must record what was found",
    )


def test_a_household_that_moved_out_is_not_visited(
    app: GridCenter, loop: Loop, household: str
) -> None:
    app.move_out(household, by=WORKER_A, at=loop.tick())
    refused(
        app,
        lambda: app.record_visit(household, findings="x", by=WORKER_A, at=loop.tick()),
        RuleBroken,
        "has moved out",
    )


def test_tags_change_what_is_due(app: GridCenter, loop: Loop, household: str) -> None:
    app.tag_household(household, Tag.DISABLED, by=WORKER_A, at=loop.tick())
    app.untag_household(household, Tag.ELDERLY_ALONE, by=WORKER_A, at=loop.tick())
    home = app.repository.get(household_id(household))
    assert home.tags == frozenset({Tag.DISABLED}) and home.visits_due_a_year == 6
    refused(
        app,
        lambda: app.untag_household(household, Tag.ELDERLY_ALONE, by=WORKER_A, at=loop.tick()),
        RuleBroken,
        "is not tagged",
    )
