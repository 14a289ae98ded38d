"""Staff, roles and scopes: who may do what, and where; and the roster that shows them."""

from __future__ import annotations

import pytest

from domain.errors import NotFound, NotPermitted, RuleBroken
from domain.service import GridCenter, StaffPlan
from domain.staff import PERMISSIONS, Action, Actor, Role
from projections import staff
from projections.replay import as_of
from projections.staff import Member
from tests.fixtures import ADMIN, COMMUNITY, GRID_A, GRID_B, MONDAY, OPERATOR, refused


def test_every_role_has_its_commands_and_auditors_change_nothing() -> None:
    assert Action.FILE_CASE in PERMISSIONS[Role.OPERATOR]
    assert Action.HANDLE_CASE in PERMISSIONS[Role.DEPARTMENT]
    assert Action.VERIFY_CASE in PERMISSIONS[Role.GRID_WORKER] & PERMISSIONS[Role.SUPERVISOR]
    assert PERMISSIONS[Role.AUDITOR] == frozenset()
    assert set(PERMISSIONS) == set(Role)


@pytest.mark.parametrize(
    ("area", "code", "covered"),
    [
        ((GRID_A,), GRID_A, True),
        ((GRID_A,), "110101001001002", False),
        ((COMMUNITY,), GRID_A, True),
        (("110101",), GRID_A, True),
        (("110102",), GRID_A, False),
    ],
)
def test_a_scope_covers_the_areas_under_its_codes(
    area: tuple[str, ...], code: str, covered: bool
) -> None:
    assert Actor("x", "x", Role.SUPERVISOR, area).covers(code) is covered


def test_staff_act_with_the_role_and_scope_they_were_enrolled_with(app: GridCenter) -> None:
    app.enrol_staff(
        [
            StaffPlan("W1", "张网格", Role.GRID_WORKER, (GRID_A,)),
            StaffPlan("D1", "环卫 刘", Role.DEPARTMENT, department="hwj"),
        ],
        ADMIN,
        MONDAY,
    )
    assert app.actor("W1") == Actor("W1", "张网格", Role.GRID_WORKER, (GRID_A,))
    assert app.actor("D1").department == "hwj"
    app.reassign_staff("W1", area=(COMMUNITY,), by=ADMIN, at=MONDAY)
    assert app.actor("W1").area == (COMMUNITY,)
    app.staff_leaves("W1", by=ADMIN, at=MONDAY)
    with pytest.raises(NotPermitted, match="has left"):
        app.actor("W1")


@pytest.mark.parametrize(
    ("plan", "error", "message"),
    [
        (StaffPlan("D2", "x", Role.DEPARTMENT), RuleBroken, "needs a department"),
        (StaffPlan("D3", "x", Role.DEPARTMENT, department="xyz"), NotFound, "unknown department"),
        (StaffPlan("W2", "x", Role.GRID_WORKER), RuleBroken, "needs an area"),
    ],
)
def test_staff_need_a_scope_their_role_can_use(
    app: GridCenter, plan: StaffPlan, error: type[Exception], message: str
) -> None:
    refused(app, lambda: app.enrol_staff([plan], ADMIN, MONDAY), error, message)


def test_only_an_admin_enrols_staff(app: GridCenter) -> None:
    plan = StaffPlan("W3", "x", Role.GRID_WORKER, (GRID_A,))
    refused(app, lambda: app.enrol_staff([plan], OPERATOR, MONDAY), NotPermitted, "enrol staff")


def test_an_unknown_staff_member_is_not_found(app: GridCenter) -> None:
    with pytest.raises(NotFound, match="staff nobody does not exist"):
        app.actor("nobody")


# The roster (projections/staff.py) --------------------------------------------------------


def roster_now(app: GridCenter) -> dict[str, Member]:
    return {m.code: m for m in staff.roster(as_of(app.recorder, [staff]))}


def test_the_roster_shows_each_member_with_their_scope_and_grids(app: GridCenter) -> None:
    app.enrol_staff(
        [
            StaffPlan("W1", "张网格", Role.GRID_WORKER, (GRID_A, GRID_B)),
            StaffPlan("W2", "李网格", Role.GRID_WORKER, (GRID_A,)),
            StaffPlan("D1", "环卫 刘", Role.DEPARTMENT, department="hwj"),
        ],
        ADMIN,
        MONDAY,
    )
    app.staff_grids({GRID_A: ("W1", []), GRID_B: ("W1", [])}, ADMIN, MONDAY)
    app.staff_grids({GRID_A: ("W2", [])}, ADMIN, MONDAY)  # W1 hands grid A over
    app.staff_leaves("D1", by=ADMIN, at=MONDAY)
    found = roster_now(app)
    assert (found["W1"].grids, found["W2"].grids) == ((GRID_B,), (GRID_A,))
    assert found["W1"].area == (GRID_A, GRID_B) and found["W1"].role == "grid_worker"
    assert (found["D1"].department, found["D1"].active) == ("hwj", False)
    workers = staff.roster(as_of(app.recorder, [staff]), role="grid_worker")
    assert [m.code for m in workers] == ["W1", "W2"]


def test_a_reassigned_member_keeps_their_grids_until_another_is_on_duty(app: GridCenter) -> None:
    app.enrol_staff([StaffPlan("W1", "张网格", Role.GRID_WORKER, (GRID_A,))], ADMIN, MONDAY)
    app.staff_grids({GRID_A: ("W1", [])}, ADMIN, MONDAY)
    app.reassign_staff("W1", area=(COMMUNITY,), by=ADMIN, at=MONDAY)
    assert roster_now(app)["W1"].area == (COMMUNITY,)
    assert roster_now(app)["W1"].grids == (GRID_A,)
