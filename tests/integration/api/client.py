"""The clients the API tests drive a running server with: gql — a GraphQL client nobody
here wrote — over HTTP and over WebSocket (graphql-transport-ws, and the legacy
graphql-ws), and plain httpx for what a client library would not send."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from gql import Client, GraphQLRequest
from gql.transport.httpx import HTTPXAsyncTransport
from gql.transport.websockets import WebsocketsTransport
from graphql import GraphQLObjectType

from api.schema import schema
from infra.loopback import ApiServer
from tests.fixtures import TLS, UNBOUNDED_QUEUE

TRANSPORT_WS = WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL
LEGACY_WS = WebsocketsTransport.APOLLO_SUBPROTOCOL
EVENTS = """subscription ($after: Int!, $filter: EventFilter) {
  events(after: $after, filter: $filter) { position name originator at by { id role } data }
}"""


def query(server: ApiServer, text: str, token: str | None = "", **variables: Any) -> dict[str, Any]:
    """A query over HTTP with the server's token, another one, or none (None)."""
    secret = server.token if token == "" else token
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    async def send() -> dict[str, Any]:
        transport = HTTPXAsyncTransport(url=server.http, headers=headers, verify=TLS)
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
            url=server.ws,
            subprotocols=[protocol],
            init_payload=payload,
            connect_args=UNBOUNDED_QUEUE,
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


def wait_for_case(server: ApiServer, number: int, stage: str) -> dict[str, Any]:
    """The case once the server's views have caught up with it: the case board shows it
    at that stage, and every other view has folded as far (see caught_up)."""
    text = "query ($n: Int!) { case(number: $n) { number stage timeline { name by { role } } } }"
    for _ in range(100):
        found = query(server, text, n=number)["case"]
        if found is not None and found["stage"] == stage:
            caught_up(server)
            return found
        asyncio.run(asyncio.sleep(0.1))
    pytest.fail(f"case {number} did not reach {stage} on the server")


def caught_up(server: ApiServer) -> None:
    """Wait until every view has reached the head of the log (/readyz says how far each
    is behind): views are folded by runners of their own, so one view showing a change
    says nothing of another."""
    behind: dict[str, int] = {}
    for _ in range(100):
        behind = httpx.get(f"http://127.0.0.1:{server.port}/readyz", verify=TLS).json()["behind"]
        if not any(behind.values()):
            return
        asyncio.run(asyncio.sleep(0.05))
    pytest.fail(f"the server's views stayed behind the log: {behind}")


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


def post(server: ApiServer, body: bytes | dict[str, Any]) -> httpx.Response:
    headers = {"Authorization": f"Bearer {server.token}", "content-type": "application/json"}
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.post(server.http, content=content, headers=headers, verify=TLS)


def root_fields(root: str) -> list[str]:
    """The fields of a root type of the schema: Query, Mutation or Subscription."""
    kind = schema._schema.get_type(root)  # graphql-core's schema behind strawberry's
    assert isinstance(kind, GraphQLObjectType)
    return list(kind.fields)
