"""Integration tests run on durable stores: a SQLite file and the throwaway PostgreSQL;
the Open311 endpoint's and the exports' tests share a served city of a few cases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from domain.cases import Channel
from domain.service import GridCenter, StaffPlan
from domain.staff import Role
from infra.tokens import mint
from tests.conftest import POSTGRES
from tests.fixtures import ADMIN, MONDAY, Loop
from tests.integration.test_api import STAFF
from tests.open311 import CLIENT, City
from tests.servers import start_api


@pytest.fixture
def store_url(durable_database_url: str) -> str:
    return durable_database_url


@pytest.fixture(scope="module", params=["sqlite", POSTGRES])
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
    app.enrol_staff(
        [*STAFF, CLIENT, StaffPlan("A0001", "管理员", Role.ADMIN, ("",))], ADMIN, MONDAY
    )
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
