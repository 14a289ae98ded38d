"""The GraphQL API served by `gridcenter serve` on a free port, on SQLite and a real
PostgreSQL, driven by gql — a client nobody here wrote — over HTTP and over WebSocket
(graphql-transport-ws, and the legacy graphql-ws)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import websockets
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport
from gql.transport.websockets import WebsocketsTransport

from domain.cases import Channel
from domain.service import GridCenter, StaffPlan
from domain.staff import Role
from infra.tokens import digest_of, mint
from tests.fixtures import ADMIN, DISTRICT, GRID_A, GRID_B, IN_A, MONDAY, RESIDENT, Loop, head
from tests.servers import ApiServer, start_api

TRANSPORT_WS = WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL
LEGACY_WS = WebsocketsTransport.APOLLO_SUBPROTOCOL
EVENTS = """subscription ($after: Int!, $filter: EventFilter) {
  events(after: $after, filter: $filter) { position name originator at by { id role } data }
}"""


STAFF = [
    StaffPlan("OP01", "王调度", Role.OPERATOR, (DISTRICT,)),
    StaffPlan("AU01", "审计 周", Role.AUDITOR),
    StaffPlan("W001", "张网格", Role.GRID_WORKER, (GRID_A,)),
    StaffPlan("D001", "水务 刘", Role.DEPARTMENT, department="swj"),
    StaffPlan("D002", "环卫 陈", Role.DEPARTMENT, department="hwj"),
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


def query(server: ApiServer, text: str, token: str | None = "", **variables: Any) -> dict[str, Any]:
    """A query over HTTP with the server's token, another one, or none (None)."""
    secret = server.token if token == "" else token
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    async def send() -> dict[str, Any]:
        transport = HTTPXAsyncTransport(url=server.http, headers=headers)
        async with Client(transport=transport) as session:
            return await session.execute(GraphQLRequest(text, variable_values=variables))

    return asyncio.run(send())


def stream(
    server: ApiServer,
    after: int,
    until: Callable[[list[dict[str, Any]]], bool],
    protocol: str = TRANSPORT_WS,
    during: Callable[[], None] | None = None,
    token: str | None = "",
    **variables: Any,
) -> list[dict[str, Any]]:
    """Events from the event stream until `until(received)`; `during` runs (on a thread)
    once the first event has arrived."""
    variables = {"after": after, **variables}
    return subscribe(server, EVENTS, until, protocol, during, token, **variables)


def subscribe(
    server: ApiServer,
    text: str,
    until: Callable[[list[Any]], bool],
    protocol: str = TRANSPORT_WS,
    during: Callable[[], None] | None = None,
    token: str | None = "",
    quiet: bool = False,
    **variables: Any,
) -> list[Any]:
    """What the subscription sends until `until(received)`. `during` runs on a thread
    once the first answer has arrived — or, for a `quiet` subscription that answers only
    changes, once it has had a moment to start."""

    async def receive() -> list[Any]:
        received: list[Any] = []
        secret = server.token if token == "" else token
        payload = {"Authorization": f"Bearer {secret}"} if secret else {}
        transport = WebsocketsTransport(
            url=server.ws, subprotocols=[protocol], init_payload=payload
        )
        request = GraphQLRequest(text, variable_values=variables)
        async with Client(transport=transport) as session:
            answers = session.subscribe(request)
            try:
                if quiet and during is not None:
                    first = asyncio.ensure_future(anext(answers))
                    await asyncio.sleep(1.5)  # the server registers it meanwhile
                    await asyncio.to_thread(during)
                    received.append(next(iter((await first).values())))
                    if until(received):
                        return received
                async for answer in answers:
                    received.append(next(iter(answer.values())))
                    if not quiet and during is not None and len(received) == 1:
                        await asyncio.to_thread(during)
                    if until(received):
                        return received
            finally:
                await answers.aclose()
        return received

    return asyncio.run(asyncio.wait_for(receive(), 30))


def test_health_tells_the_position_the_views_reflect(server: ApiServer, app: GridCenter) -> None:
    answer = httpx.get(f"http://127.0.0.1:{server.port}/healthz").json()
    assert answer == {"status": "ok", "position": head(app)}


def test_the_whole_map_comes_in_one_query(server: ApiServer, app: GridCenter) -> None:
    found = query(server, "{ grids { code level open worker } }")["grids"]
    assert [grid["code"] for grid in found][:2] == [GRID_A, GRID_B]
    assert {grid["level"] for grid in found} <= {"normal", "attention", "alarm"}


def test_a_case_comes_with_its_timeline(server: ApiServer, app: GridCenter) -> None:
    number = Loop(app).dispatched()
    found = wait_for_case(server, number, "dispatched")
    names = [entry["name"] for entry in found["timeline"]]
    assert names[0] == "CaseReported" and names[-1] == "CaseDispatched"
    assert all(entry["by"]["role"] for entry in found["timeline"])


def test_the_case_board_pages_with_a_cursor(server: ApiServer, app: GridCenter) -> None:
    loop = Loop(app)
    numbers = [loop.filed() for _ in range(3)]
    wait_for_case(server, numbers[-1], "filed")
    board = "query ($after: String) { caseBoard(first: 2, after: $after, sort: NUMBER, "
    board += "descending: false) { cases { number } next } }"
    first = query(server, board)["caseBoard"]
    second = query(server, board, after=first["next"])["caseBoard"]
    seen = [case["number"] for page in (first, second) for case in page["cases"]]
    assert seen == sorted(numbers) and second["next"] is None


def test_a_bad_argument_is_an_error_that_names_it(server: ApiServer) -> None:
    with pytest.raises(TransportQueryError, match="first must be 1 to 200"):
        query(server, "{ caseBoard(first: 0) { next } }")


@pytest.mark.parametrize("protocol", [TRANSPORT_WS, LEGACY_WS])
def test_the_event_stream_replays_the_log_then_goes_live(
    server: ApiServer, app: GridCenter, protocol: str
) -> None:
    loop, recorded = Loop(app), head(app)
    received = stream(
        server,
        0,
        until=lambda got: got[-1]["name"] == "CaseReported",
        protocol=protocol,
        during=loop.reported,
    )
    positions = [event["position"] for event in received]
    assert positions == list(range(1, len(positions) + 1))  # from the start, in order
    assert positions[-1] > recorded  # and then the report made while streaming


def test_a_department_reconnecting_after_its_last_position_misses_and_repeats_nothing(
    server: ApiServer, app: GridCenter
) -> None:
    loop = Loop(app)
    loop.dispatched()
    first = stream(server, 0, until=lambda got: got[-1]["position"] == head(app))
    last = first[-1]["position"]
    loop.closed()  # while the department is away
    again = stream(server, last, until=lambda got: got[-1]["position"] == head(app))
    positions = [event["position"] for event in first + again]
    assert positions == list(range(1, head(app) + 1))


def test_the_stream_filters_by_event_name(server: ApiServer, app: GridCenter) -> None:
    loop = Loop(app)
    numbers = [loop.dispatched() for _ in range(2)]
    only = {"names": ["CaseDispatched"]}
    received = stream(server, 0, until=lambda got: len(got) == 2, filter=only)
    assert [event["name"] for event in received] == ["CaseDispatched"] * 2
    assert len(numbers) == 2 and all(event["data"]["department"] for event in received)


def test_an_unknown_event_name_is_refused_before_anything_streams(server: ApiServer) -> None:
    with pytest.raises(TransportQueryError, match="unknown event name CaseUpdated"):
        stream(server, 0, until=lambda got: True, filter={"names": ["CaseUpdated"]})


def test_the_stream_shows_no_personal_data(server: ApiServer, app: GridCenter) -> None:
    loop = Loop(app)
    app.report_case(
        channel=Channel.APP,
        category="E0101",
        location=IN_A,
        description="路灯不亮",
        by=RESIDENT,  # known by their phone number
        at=loop.tick(),
        reporter_name="李四",
        reporter_phone="13912345678",
    )
    received = stream(server, 0, until=lambda got: got[-1]["name"] == "CaseReported")
    assert received[-1]["by"] == {"id": "public", "role": "public"}
    assert "reporter_name" not in received[-1]["data"]
    assert "13912345678" not in str(received) and "13800000000" not in str(received)
    assert "李四" not in str(received)


def wait_for_case(server: ApiServer, number: int, stage: str) -> dict[str, Any]:
    """The case once the server's views have caught up with it."""
    text = "query ($n: Int!) { case(number: $n) { number stage timeline { name by { role } } } }"
    for _ in range(100):
        found = query(server, text, n=number)["case"]
        if found is not None and found["stage"] == stage:
            return found
        asyncio.run(asyncio.sleep(0.1))
    pytest.fail(f"case {number} did not reach {stage} on the server")


# Who may read what ------------------------------------------------------------------------

REFUSED = [
    # (staff, operation, variables, what the error says)
    ("D001", "{ grids { code } }", {}, "may not read area"),
    ("D001", '{ area(code: "") { open } }', {}, "may not read area"),
    ("D001", '{ caseBoard(filter: {department: "hwj"}) { next } }', {}, "only the cases of"),
    ("D001", "query ($n: Int!) { case(number: $n) { stage } }", {"n": 0}, "only the cases of"),
    ("W001", f'{{ grid(code: "{GRID_B}") {{ level }} }}', {}, "may not read area"),
    ("W001", '{ area(code: "") { open } }', {}, "reads only within"),
    ("W001", f'{{ caseBoard(filter: {{area: "{GRID_B}"}}) {{ next }} }}', {}, "may not read"),
]


@pytest.mark.parametrize(("staff", "operation", "variables", "says"), REFUSED)
def test_each_role_is_refused_what_it_may_not_read(
    server: ApiServer,
    app: GridCenter,
    tokens: dict[str, str],
    staff: str,
    operation: str,
    variables: dict[str, Any],
    says: str,
) -> None:
    if "n" in variables:
        variables = {"n": Loop(app).dispatched()}  # dispatched to hwj, not D001's swj
        wait_for_case(server, variables["n"], "dispatched")
    with pytest.raises(TransportQueryError, match=says) as refused:
        query(server, operation, token=tokens[staff], **variables)
    assert refused.value.errors
    assert refused.value.errors[0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("staff", ["D001", "W001"])
def test_only_the_district_reads_the_whole_event_stream(
    server: ApiServer, tokens: dict[str, str], staff: str
) -> None:
    with pytest.raises(TransportQueryError, match="may not read the whole event stream"):
        stream(server, 0, until=lambda got: True, token=tokens[staff])


def test_each_reader_sees_what_is_theirs(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    number = Loop(app).dispatched()  # in grid A, to hwj
    wait_for_case(server, number, "dispatched")
    mine = "{ caseBoard { cases { number grid department } } grids { code } }"
    worker = query(server, mine, token=tokens["W001"])
    assert {case["grid"] for case in worker["caseBoard"]["cases"]} == {GRID_A}
    assert [grid["code"] for grid in worker["grids"]] == [GRID_A]
    department = query(server, "{ caseBoard { cases { department } } }", token=tokens["D002"])
    assert {case["department"] for case in department["caseBoard"]["cases"]} == {"hwj"}
    other = query(server, "{ caseBoard { cases { number } } }", token=tokens["D001"])
    assert other["caseBoard"]["cases"] == []
    auditor = query(server, '{ area(code: "") { grids } }', token=tokens["AU01"])
    assert auditor["area"]["grids"] == 4


def test_nothing_is_read_without_a_token(server: ApiServer) -> None:
    with pytest.raises(TransportQueryError, match="sign in first") as refused:
        query(server, "{ grids { code } }", token=None)
    assert refused.value.errors
    assert refused.value.errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_websocket_without_a_token_is_closed_forbidden(server: ApiServer) -> None:
    async def connect() -> int | None:
        async with websockets.connect(server.ws, subprotocols=[TRANSPORT_WS]) as socket:
            await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
            with contextlib.suppress(websockets.ConnectionClosed):
                await socket.recv()
            return socket.close_code

    assert asyncio.run(asyncio.wait_for(connect(), 30)) == 4403


@pytest.mark.parametrize("secret", ["gc_made-up", "not even a bearer token"])
def test_a_token_that_does_not_work_is_answered_401(server: ApiServer, secret: str) -> None:
    answer = httpx.post(
        server.http,
        json={"query": "{ grids { code } }"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 401


def test_a_revoked_token_stops_working_at_once(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    assert query(server, "{ grids { code } }", token=tokens["AU01"])["grids"]
    app.revoke_token(digest_of(tokens["AU01"]), by=ADMIN, at=MONDAY)
    answer = httpx.post(
        server.http,
        json={"query": "{ grids { code } }"},
        headers={"Authorization": f"Bearer {tokens['AU01']}"},
    )
    assert answer.status_code == 401


# Commands -----------------------------------------------------------------------------------

ANSWER = (
    "__typename ... on Recorded { number version positions replayed } ... on Refusal { message }"
)


def mutate(server: ApiServer, token: str, text: str, **variables: Any) -> dict[str, Any]:
    """The answer of the only mutation in `text`."""
    found = query(server, text.replace("ANSWER", ANSWER), token=token, **variables)
    (answer,) = found.values()
    return answer


def report(server: ApiServer, token: str, key: str | None = None) -> dict[str, Any]:
    return mutate(
        server,
        token,
        """mutation ($key: String) { reportCase(channel: PATROL, category: "E0101",
        location: {lon: 116.405, lat: 39.935}, description: "垃圾", key: $key) { ANSWER } }""",
        key=key,
    )


def step(
    server: ApiServer, token: str, name: str, number: int, more: str = "", **variables: Any
) -> dict[str, Any]:
    declared = "".join(f", ${n}: {kind}" for n, kind in _KINDS.items() if n in variables)
    given = "".join(f", {n}: ${n}" for n in variables)
    text = f"mutation ($n: Int!{declared}) {{ {name}(number: $n{given}{more}) {{ ANSWER }} }}"
    return mutate(server, token, text, n=number, **variables)


_KINDS = {"expectedVersion": "Int", "key": "String"}


def test_the_closed_loop_runs_through_mutations(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    worker, operator, department = tokens["W001"], tokens["OP01"], tokens["D002"]
    reported = report(server, worker)
    assert reported["__typename"] == "Recorded" and reported["number"]
    number = reported["number"]
    for token, name, more in [
        (operator, "fileCase", ""),
        (operator, "dispatchCase", ""),
        (department, "acceptCase", ""),
        (department, "handleCase", ', note: "已清运"'),
        (worker, "verifyCase", ", passed: true"),
        (operator, "closeCase", ""),
    ]:
        answer = step(server, token, name, number, more)
        assert answer["__typename"] == "Recorded", (name, answer)
    assert wait_for_case(server, number, "closed")["stage"] == "closed"


def test_a_refused_command_is_a_typed_answer_and_records_nothing(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    number = report(server, tokens["W001"])["number"]
    before = head(app)
    answer = step(server, tokens["OP01"], "closeCase", number)
    assert answer["__typename"] == "RuleBroken" and "close" in answer["message"]
    missing = step(server, tokens["OP01"], "fileCase", 9999)
    assert missing == {"__typename": "NotFound", "message": "case 9999 does not exist"}
    assert head(app) == before


@pytest.mark.parametrize(
    ("staff", "name", "more"),
    [
        ("AU01", "fileCase", ""),  # an auditor changes nothing
        ("D001", "fileCase", ""),  # a department does not file
        ("W001", "dispatchCase", ""),  # nor does a grid worker dispatch
    ],
)
def test_a_command_outside_the_callers_role_is_not_allowed(
    server: ApiServer, app: GridCenter, tokens: dict[str, str], staff: str, name: str, more: str
) -> None:
    number = report(server, tokens["W001"])["number"]
    before = head(app)
    answer = step(server, tokens[staff], name, number, more)
    assert answer["__typename"] == "NotAllowed", answer
    assert head(app) == before


def test_a_stale_read_is_a_version_conflict(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    reported = report(server, tokens["W001"])
    number, version = reported["number"], reported["version"]
    assert (
        step(server, tokens["OP01"], "fileCase", number, expectedVersion=version)["__typename"]
        == "Recorded"
    )
    stale = step(server, tokens["OP01"], "dispatchCase", number, expectedVersion=version)
    assert stale["__typename"] == "VersionConflict"


def test_a_retry_with_the_same_key_gets_the_first_answer_and_records_nothing(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    first = report(server, tokens["W001"], key="phone-1:report-17")
    after_first = head(app)
    again = report(server, tokens["W001"], key="phone-1:report-17")
    assert again["replayed"] and not first["replayed"]
    assert (again["number"], again["positions"]) == (first["number"], first["positions"])
    assert head(app) == after_first
    reason, number = ', reason: "x"', first["number"]
    other = step(server, tokens["W001"], "escalateCase", number, reason, key="phone-1:report-17")
    assert other["__typename"] == "KeyReused"  # the same caller's key, another command
    assert head(app) == after_first


# Limits -------------------------------------------------------------------------------------


def post(server: ApiServer, body: bytes | dict[str, Any]) -> httpx.Response:
    headers = {"Authorization": f"Bearer {server.token}", "content-type": "application/json"}
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.post(server.http, content=content, headers=headers)


def test_the_deepest_query_of_the_schema_is_served(server: ApiServer) -> None:
    deepest = "{ caseBoard { cases { timeline { by { id } } } } }"
    assert "errors" not in post(server, {"query": deepest}).json()


def test_too_many_aliases_are_refused(server: ApiServer) -> None:
    aliased = "{ " + " ".join(f"g{n}: grids {{ code }}" for n in range(40)) + " }"
    answer = post(server, {"query": aliased}).json()
    assert "aliases found" in answer["errors"][0]["message"], answer


def test_a_body_too_large_is_answered_413(server: ApiServer) -> None:
    description = "垃" * 100_000
    text = f'mutation {{ reportCase(channel: PATROL, category: "E0101", location: {{lon: 116.405, lat: 39.935}}, description: "{description}") {{ __typename }} }}'  # noqa: E501
    assert post(server, {"query": text}).status_code == 413


def test_a_nul_character_is_answered_400_and_records_nothing(
    server: ApiServer, app: GridCenter
) -> None:
    before = head(app)
    text = 'mutation { reportCase(channel: PATROL, category: "E0101", location: {lon: 116.405, lat: 39.935}, description: "a\\u0000b") { __typename } }'  # noqa: E501
    assert post(server, {"query": text}).status_code == 400
    assert post(server, b'{"query": "{ grids { code } }", "x": "\\u0000"}').status_code == 400
    assert head(app) == before


# Live views ---------------------------------------------------------------------------------

GRID_STATUS = "subscription ($area: String) { gridStatus(area: $area) { code open level } }"
CASE_UPDATES = """subscription ($department: String, $number: Int) {
  caseUpdates(department: $department, number: $number) { number stage department } }"""


def test_the_map_gets_every_grid_then_the_grids_that_change(
    server: ApiServer, app: GridCenter
) -> None:
    received = subscribe(
        server,
        GRID_STATUS,
        until=lambda got: len(got) > 1 and any(g["open"] for g in got[-1]),
        during=Loop(app).reported,  # in grid A
    )
    assert [grid["code"] for grid in received[0]][:2] == [GRID_A, GRID_B]
    changed = [grid for grid in received[-1] if grid["open"]]
    assert [grid["code"] for grid in changed] == [GRID_A]


def test_a_grid_worker_watches_only_their_grids(server: ApiServer, tokens: dict[str, str]) -> None:
    (first,) = subscribe(server, GRID_STATUS, until=lambda got: True, token=tokens["W001"])
    assert [grid["code"] for grid in first] == [GRID_A]
    with pytest.raises(TransportQueryError, match="may not read area"):
        subscribe(server, GRID_STATUS, until=lambda got: True, token=tokens["D001"])


def test_a_department_follows_the_cases_dispatched_to_it(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    received = subscribe(
        server,
        CASE_UPDATES,
        until=lambda got: got[-1]["stage"] == "accepted",
        during=Loop(app).accepted,  # dispatched to hwj, then accepted
        token=tokens["D002"],
        quiet=True,
    )
    # a notice comes per batch the views commit: the case as it stands after it
    assert received[-1]["stage"] == "accepted"
    assert {case["department"] for case in received} == {"hwj"}


def test_a_department_may_not_follow_another_departments_cases(
    server: ApiServer, tokens: dict[str, str]
) -> None:
    with pytest.raises(TransportQueryError, match="only the cases of department swj"):
        subscribe(
            server, CASE_UPDATES, until=lambda got: True, token=tokens["D001"], department="hwj"
        )


def test_the_base_map_comes_as_geojson_with_the_areas(server: ApiServer) -> None:
    found = query(server, '{ areas { code kind } gridMap(area: "") }')
    assert [area["kind"] for area in found["areas"]][:2] == ["district", "street"]
    features = found["gridMap"]["features"]
    assert [feature["id"] for feature in features][:2] == [GRID_A, GRID_B]
    assert features[0]["geometry"]["type"] == "Polygon"


def test_the_assessment_shows_each_figure_with_its_formula(
    server: ApiServer, app: GridCenter, tokens: dict[str, str]
) -> None:
    loop = Loop(app)
    number = loop.closed()
    wait_for_case(server, number, "closed")
    text = """query ($day: Date!) {
      departmentAssessment(code: "hwj", period: MONTH, day: $day) {
        figures { key value formula version } composite { value } grade version } }"""
    day = loop.at.date().isoformat()  # the local day (fixtures are in CST)
    found = query(server, text, day=day)["departmentAssessment"]
    closed = next(f for f in found["figures"] if f["key"] == "closed")
    assert closed["value"] == 1 and closed["formula"] and closed["version"] == found["version"]
    with pytest.raises(TransportQueryError, match="only the cases of department swj"):
        query(server, text, token=tokens["D001"], day=day)


def test_visit_coverage_counts_the_quarters_due_per_tag(server: ApiServer) -> None:
    found = query(server, '{ visitCoverage(area: "") { area quarter tags { tag due done } } }')
    coverage = found["visitCoverage"]
    assert coverage["tags"][0]["tag"] == "all" and coverage["quarter"]


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


def test_the_monthly_analysis_counts_reports_against_the_month_before(
    server: ApiServer, app: GridCenter
) -> None:
    number = Loop(app).filed()
    wait_for_case(server, number, "filed")
    (month,) = query(server, "{ reportMonths }")["reportMonths"]
    text = "query ($m: String!) { monthlyAnalysis(month: $m) { total { reports previous } } }"
    assert query(server, text, m=month)["monthlyAnalysis"]["total"] == {
        "reports": 1,
        "previous": 0,
    }
    with pytest.raises(TransportQueryError, match="not a month") as refused:
        query(server, text, m="March")
    assert refused.value.errors
    assert refused.value.errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
