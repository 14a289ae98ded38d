"""Who is asking: tokens, and what each reader sees of the district (the refusals of
every role are in test_roles.py)."""

from __future__ import annotations

import asyncio
import contextlib
import json

import httpx
import pytest
import websockets
from gql.transport.exceptions import TransportQueryError

from domain.service import GridCenter
from infra.loopback import ApiServer
from infra.tokens import digest_of
from tests.fixtures import ADMIN, GRID_A, MONDAY, TLS, Loop
from tests.integration.api.client import TRANSPORT_WS, query, wait_for_case


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
        verify=TLS,
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
        verify=TLS,
    )
    assert answer.status_code == 401
