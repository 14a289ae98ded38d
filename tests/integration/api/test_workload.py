"""Workload over the API: departments' queues, grid workers' checks waiting."""

from __future__ import annotations

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.service import GridCenter
from infra.loopback import ApiServer
from tests.fixtures import ADMIN, GRID_A, MONDAY, Loop
from tests.integration.api.client import query, subscribe, wait_for_case


def test_workload_shows_queues_and_the_checks_waiting(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    app.staff_grids({GRID_A: ("W001", [])}, ADMIN, MONDAY)
    loop = Loop(app)
    queued = loop.dispatched()  # in hwj's queue
    fixed = loop.handled()  # by hwj, awaiting W001's check of the fix
    wait_for_case(server, fixed, "handled")
    departments = query(server, "{ departmentWorkload { code queue } }")
    assert departments["departmentWorkload"] == [{"code": "hwj", "queue": 1}]
    own = query(server, "{ departmentWorkload { code } }", token=tokens["D002"])
    assert own["departmentWorkload"] == [{"code": "hwj"}]
    mine = "{ workerWorkload { id verifications { case kind } } }"
    found = query(server, mine, token=tokens["W001"])["workerWorkload"]
    assert found == [{"id": "W001", "verifications": [{"case": fixed, "kind": "verify"}]}]
    assert queued != fixed
    with pytest.raises(TransportQueryError, match="may not read grid workers"):
        query(server, mine, token=tokens["D002"])


def test_the_workload_of_a_department_that_gets_a_case_comes_by_subscription(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    text = "subscription { workloadUpdates { departments { code queue } workers { id } } }"
    received = subscribe(
        server,
        text,
        until=lambda got: any(d["queue"] for d in got[-1]["departments"]),
        during=Loop(app).dispatched,  # to hwj
        token=tokens["D002"],
    )
    assert received[0] == {"departments": [{"code": "hwj", "queue": 0}], "workers": []}
    assert received[-1]["departments"] == [{"code": "hwj", "queue": 1}]
