"""The component register (部件): 16-digit codes, a place in a grid, and a state that
cases change."""

from __future__ import annotations

import pytest

from domain.cases import Channel
from domain.components import ComponentOutcome, ComponentState, component_id
from domain.errors import NotFound, RuleBroken
from domain.service import ComponentPlan, GridCenter
from tests.fixtures import (
    ADMIN,
    COVER,
    GRID_A,
    IN_A,
    MONDAY,
    OPERATOR,
    OUTSIDE,
    WATER,
    WORKER_A,
    Loop,
    fix_cover,
    refused,
)


def state(app: GridCenter, code: str) -> ComponentState:
    component = app.repository.get(component_id(code))
    assert component.grid == GRID_A
    return component.state


def test_a_registered_component_is_intact_and_located_in_its_grid(app: GridCenter) -> None:
    assert state(app, COVER) is ComponentState.INTACT


@pytest.mark.parametrize(
    ("plan", "error", "message"),
    [
        (ComponentPlan("11010101010001", IN_A, "swj", "swj"), RuleBroken, "must be 16 digits"),
        (
            ComponentPlan("1101010909000001", IN_A, "swj", "swj"),
            NotFound,
            "unknown category 'C0909'",
        ),
        (
            ComponentPlan("1101010101000002", OUTSIDE, "swj", "swj"),
            RuleBroken,
            "outside the district",
        ),
        (ComponentPlan("1101010101000003", IN_A, "xyz", "swj"), NotFound, "unknown department"),
    ],
)
def test_a_bad_component_is_refused(
    app: GridCenter, plan: ComponentPlan, error: type[Exception], message: str
) -> None:
    refused(app, lambda: app.register_components([plan], ADMIN, MONDAY), error, message)


def test_a_case_about_a_component_marks_it_faulty_and_the_fix_restores_it(
    app: GridCenter, loop: Loop
) -> None:
    number = loop.filed(category="C0101", component=COVER)
    assert state(app, COVER) is ComponentState.FAULTY
    app.dispatch_case(number, by=OPERATOR, at=loop.tick())
    fix_cover(app, loop, number)
    assert state(app, COVER) is ComponentState.INTACT


def test_a_fix_can_remove_a_component_for_good(app: GridCenter, loop: Loop) -> None:
    number = loop.dispatched(category="C0101", component=COVER)
    app.accept_case(number, by=WATER, at=loop.tick())
    app.handle_case(
        number, note="已拆除", by=WATER, at=loop.tick(), component_outcome=ComponentOutcome.REMOVED
    )
    assert state(app, COVER) is ComponentState.REMOVED


def test_a_report_about_an_unknown_component_is_refused(app: GridCenter, loop: Loop) -> None:
    refused(
        app,
        lambda: app.report_case(
            channel=Channel.PATROL,
            category="C0101",
            location=IN_A,
            description="x",
            by=WORKER_A,
            at=loop.tick(),
            component="1101010101999999",
        ),
        NotFound,
        "component 1101010101999999 does not exist",
    )
