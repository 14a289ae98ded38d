"""The Open311 endpoint's and the open-data exports' tests share one served city per
store (a SQLite file and the throwaway PostgreSQL): `gridcenter serve` over the fixtures'
map with a few cases at several stages, staff of the loop's roles with a token each,
and an Open311 client's api key. Tests that post add cases of their own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from domain.cases import Channel
from domain.service import GridCenter, StaffPlan
from domain.staff import Role
from infra.loopback import start_api
from infra.tokens import mint
from tests.conftest import POSTGRES
from tests.fixtures import ADMIN, DISTRICT, GRID_A, MONDAY, Loop
from tests.open311 import CLIENT, City

STAFF = [
    StaffPlan("OP01", "王调度", Role.OPERATOR, (DISTRICT,)),
    StaffPlan("AU01", "审计 周", Role.AUDITOR),
    StaffPlan("W001", "张网格", Role.GRID_WORKER, (GRID_A,)),
    StaffPlan("D001", "水务 刘", Role.DEPARTMENT, department="swj"),
    StaffPlan("D002", "环卫 陈", Role.DEPARTMENT, department="hwj"),
    StaffPlan("A0001", "管理员", Role.ADMIN, ("",)),  # the command line's admin
]


@pytest.fixture(scope="package", params=["sqlite", POSTGRES])
def city(
    request: pytest.FixtureRequest,
    app_factory: Callable[[str], GridCenter],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[City]:
    if request.param == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('open311')) / 'gridcenter.db'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database()
    app = app_factory(url)
    app.enrol_staff([*STAFF, CLIENT], ADMIN, MONDAY)
    tokens = {}
    for plan in [*STAFF, CLIENT]:
        tokens[plan.code], digest = mint()
        app.issue_token(digest, plan.code, "tests", by=ADMIN, at=MONDAY)
    loop = Loop(app)
    closed, dispatched = loop.closed(), loop.dispatched()
    rejected = loop.reported(channel=Channel.APP)
    app.confirm_report(
        rejected, found=False, note="现场无垃圾", by=loop.app.actor("W001"), at=loop.tick()
    )
    dispute = loop.reported(category="E0601", channel=Channel.HOTLINE)
    server = start_api(url)
    server.token = tokens["OP01"]
    yield City(server, app, url, tokens[CLIENT.code], tokens, closed, dispatched, rejected, dispute)
    server.stop()
    app.close()
