"""Schemathesis against /graphql: generated queries and mutations — valid and invalid
arguments, any strings — sent to a running server find no server error: queries as an
auditor (who reads everything, the past included), mutations as the operator.
The number of examples per operation and mode is bounded (`FUZZ_EXAMPLES`, 30 by
default) to keep the suite short."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import schemathesis
from graphql import GraphQLObjectType
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from api.schema import schema as api_schema
from domain.service import GridCenter, StaffPlan
from domain.staff import Role
from infra.tokens import mint
from tests.conftest import POSTGRES
from tests.fixtures import ADMIN, DISTRICT, MONDAY, Loop
from tests.servers import ApiServer, start_api

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))


def _fields(root: str) -> list[str]:
    kind = api_schema._schema.get_type(root)  # graphql-core's schema behind strawberry's
    assert isinstance(kind, GraphQLObjectType)
    return list(kind.fields)


OPERATIONS = [(root, name) for root in ("Query", "Mutation") for name in _fields(root)]


@pytest.fixture(scope="module", params=["sqlite", POSTGRES])
def fuzzed(
    request: pytest.FixtureRequest,
    app_factory: Callable[[str], GridCenter],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[schemathesis.GraphQLSchema, dict[str, dict[str, str]]]]:
    """A server over a store with cases in several stages, its schema as schemathesis
    loads it, and the credentials for each root: the auditor's for queries, the
    operator's for mutations."""
    if request.param == "sqlite":
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'gridcenter.db'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database()
    app = app_factory(url)
    staff = [
        StaffPlan("OP01", "王调度", Role.OPERATOR, (DISTRICT,)),
        StaffPlan("AU01", "审计 周", Role.AUDITOR),
    ]
    app.enrol_staff(staff, ADMIN, MONDAY)
    credentials = {}
    for root, code in (("Query", "AU01"), ("Mutation", "OP01")):
        secret, digest = mint()
        app.issue_token(digest, code, "fuzz", by=ADMIN, at=MONDAY)
        credentials[root] = {"Authorization": f"Bearer {secret}"}
    loop = Loop(app)
    for stage in (loop.reported, loop.filed, loop.dispatched, loop.handled, loop.closed):
        stage()
    server: ApiServer = start_api(url)
    yield schemathesis.graphql.from_url(server.http, headers=credentials["Query"]), credentials
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
        case.call_and_validate(headers=credentials[root], checks=[not_a_server_error])

    sent()
