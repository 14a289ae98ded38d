"""The GraphQL API served by `gridcenter serve` on a free port, on SQLite and a real
PostgreSQL, driven by gql — a client nobody here wrote — over HTTP and over WebSocket
(graphql-transport-ws, and the legacy graphql-ws)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport
from gql.transport.websockets import WebsocketsTransport

from domain.cases import Channel
from domain.service import GridCenter
from tests.fixtures import GRID_A, GRID_B, IN_A, RESIDENT, Loop, head
from tests.servers import ApiServer, start_api

TRANSPORT_WS = WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL
LEGACY_WS = WebsocketsTransport.APOLLO_SUBPROTOCOL
EVENTS = """subscription ($after: Int!, $filter: EventFilter) {
  events(after: $after, filter: $filter) { position name originator at by { id role } data }
}"""


@pytest.fixture
def server(app: GridCenter, store_url: str) -> Iterator[ApiServer]:
    if store_url.startswith("memory:"):
        pytest.fail("the API serves a durable store")
    running = start_api(store_url)
    yield running
    running.stop()


def query(server: ApiServer, text: str, **variables: Any) -> dict[str, Any]:
    async def send() -> dict[str, Any]:
        async with Client(transport=HTTPXAsyncTransport(url=server.http)) as session:
            return await session.execute(GraphQLRequest(text, variable_values=variables))

    return asyncio.run(send())


def stream(
    server: ApiServer,
    after: int,
    until: Callable[[list[dict[str, Any]]], bool],
    protocol: str = TRANSPORT_WS,
    during: Callable[[], None] | None = None,
    **variables: Any,
) -> list[dict[str, Any]]:
    """Events from the subscription until `until(received)`; `during` runs (on a thread)
    once the first event has arrived."""

    async def receive() -> list[dict[str, Any]]:
        received: list[dict[str, Any]] = []
        transport = WebsocketsTransport(url=server.ws, subprotocols=[protocol])
        request = GraphQLRequest(EVENTS, variable_values={"after": after, **variables})
        async with Client(transport=transport) as session:
            async for result in session.subscribe(request):
                received.append(result["events"])
                if during is not None and len(received) == 1:
                    await asyncio.to_thread(during)
                if until(received):
                    return received
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
