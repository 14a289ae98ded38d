"""The API tests' fixtures: staff of every role with a token each, and `gridcenter serve`
running on a free port over the test's store (a SQLite file and the throwaway
PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.service import GridCenter, StaffPlan
from domain.staff import Role
from infra.loopback import ApiServer, start_api
from infra.tokens import mint
from tests.fixtures import ADMIN, DISTRICT, GRID_A, MONDAY

STAFF = [
    StaffPlan("OP01", "王调度", Role.OPERATOR, (DISTRICT,)),
    StaffPlan("AU01", "审计 周", Role.AUDITOR),
    StaffPlan("W001", "张网格", Role.GRID_WORKER, (GRID_A,)),
    StaffPlan("D001", "水务 刘", Role.DEPARTMENT, department="swj"),
    StaffPlan("D002", "环卫 陈", Role.DEPARTMENT, department="hwj"),
    StaffPlan("AD01", "管理 吴", Role.ADMIN, ("",)),
]


@pytest.fixture
def tokens(app: GridCenter) -> dict[str, str]:
    """A token for each of STAFF, by staff code."""
    app.enrol_staff(STAFF, ADMIN, MONDAY)
    secrets = {}
    for plan in STAFF:
        secrets[plan.code], digest = mint()
        app.issue_token(digest, plan.code, "tests", by=ADMIN, at=MONDAY)
    return secrets


@pytest.fixture
def server(app: GridCenter, store_url: str, tokens: dict[str, str]) -> Iterator[ApiServer]:
    if store_url.startswith("memory:"):
        pytest.fail("the API serves a durable store")
    running = start_api(store_url)
    running.token = tokens["OP01"]  # the operator's, unless a test says otherwise
    yield running
    running.stop()
