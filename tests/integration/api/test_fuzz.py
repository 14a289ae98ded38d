"""Schemathesis against /graphql: generated queries and mutations — valid and invalid
arguments, any strings — sent to a running server find no server error: queries as an
auditor (who reads everything, the past included), each mutation as a role that may send
it.
The number of examples per operation and mode is bounded (`FUZZ_EXAMPLES`, 30 by
default) to keep the suite short."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from domain.service import GridCenter, StaffPlan
from domain.staff import Role
from infra.loopback import ApiServer, start_api
from infra.tokens import mint
from tests.conftest import POSTGRES
from tests.fixtures import ADMIN, DISTRICT, MONDAY, Loop
from tests.integration.api.client import root_fields

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))


CALLERS = {
    **dict.fromkeys(
        ["drawDistrict", "drawMap", "redrawGrids", "splitGrid", "mergeGrids", "staffGrids"], "AD01"
    ),
    **dict.fromkeys(["enrolStaff", "reassignStaff", "staffLeaves", "issueToken"], "AD01"),
    **dict.fromkeys(["revokeToken", "registerHouseholds", "registerComponents"], "AD01"),
    **dict.fromkeys(["recordVisit", "reportNeed", "tagHousehold", "untagHousehold"], "SU01"),
    **dict.fromkeys(["moveOut", "confirmReport", "verifyCase", "resolveOnSpot"], "SU01"),
    **dict.fromkeys(["acceptCase", "returnCase", "handleCase", "requestExtension"], "D001"),
}
"""Who sends each mutation: one whose role may, so the request gets past the role check
into the rules; the operator sends the rest, and an auditor every query."""
OPERATIONS = [(root, name) for root in ("Query", "Mutation") for name in root_fields(root)]


@pytest.fixture(scope="module", params=["sqlite", POSTGRES])
def fuzzed(
    request: pytest.FixtureRequest,
    app_factory: Callable[[str], GridCenter],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[schemathesis.GraphQLSchema, dict[str, dict[str, str]]]]:
    """A server over a store with cases in several stages, its schema as schemathesis
    loads it, and the credentials of each caller by staff code."""
    if request.param == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'gridcenter.db'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database()
    app = app_factory(url)
    staff = [
        StaffPlan("OP01", "王调度", Role.OPERATOR, (DISTRICT,)),
        StaffPlan("AU01", "审计 周", Role.AUDITOR),
        StaffPlan("AD01", "管理 吴", Role.ADMIN, ("",)),
        StaffPlan("SU01", "赵监督", Role.SUPERVISOR, (DISTRICT,)),
        StaffPlan("D001", "环卫 刘", Role.DEPARTMENT, department="hwj"),
    ]
    app.enrol_staff(staff, ADMIN, MONDAY)
    credentials = {}
    for plan in staff:
        secret, digest = mint()
        app.issue_token(digest, plan.code, "fuzz", by=ADMIN, at=MONDAY)
        credentials[plan.code] = {"Authorization": f"Bearer {secret}"}
    loop = Loop(app)
    for stage in (loop.reported, loop.filed, loop.dispatched, loop.handled, loop.closed):
        stage()
    server: ApiServer = start_api(url)
    yield schemathesis.graphql.from_url(server.http, headers=credentials["AU01"]), credentials
    server.stop()
    app.close()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("root", "name"), OPERATIONS)
def test_no_generated_request_is_a_server_error(
    fuzzed: tuple[schemathesis.GraphQLSchema, dict[str, dict[str, str]]],
    root: str,
    name: str,
    mode: GenerationMode,
) -> None:
    loaded, credentials = fuzzed
    operation = loaded[root][name]

    @given(case=operation.as_strategy(mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def sent(case: schemathesis.Case) -> None:
        caller = "AU01" if root == "Query" else CALLERS.get(name, "OP01")
        case.call_and_validate(headers=credentials[caller], checks=[not_a_server_error])

    sent()
