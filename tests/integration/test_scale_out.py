"""The deployment at scale on loopback, every part a process of its own: a real
PostgreSQL and Redis, two API nodes that leave the views to workers, projection workers
and deadline watchers. A mutation on one node reaches a subscriber on the other; a
worker killed with SIGKILL is taken over and the views come out exact; a Redis restart
loses no change; two watchers record each overdue case once."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport

from domain.service import GridCenter, StaffPlan
from domain.staff import Role
from infra.loopback import (
    ApiServer,
    PostgresServer,
    RedisServer,
    Running,
    start_api,
    start_command,
    start_redis,
)
from infra.tokens import mint
from projections import VIEWS
from projections.replay import fold
from projections.store import open_view_store
from tests.fixtures import (
    ADMIN,
    DISTRICT,
    GRID_A,
    MONDAY,
    TLS,
    UNBOUNDED_QUEUE,
    Loop,
    head,
    names_since,
)
from tests.histories import contents, folded
from tests.integration.api.client import ANSWER

pytestmark = pytest.mark.postgres
GRIDS = 'subscription { gridStatus(area: "GRID") { code open } }'.replace("GRID", GRID_A)
EVENTS = "subscription ($after: Int!) { events(after: $after) { position name } }"
AT_ONCE = 'gridcenter_answers_total{how="at once"}'
"""The answers a node wrote to its subscribers at once (api/sockets.py), in /metrics."""
REPORT = """mutation { reportCase(channel: HOTLINE, category: "E0101",
  location: {lon: 116.405, lat: 39.935}, description: "路边垃圾") { ANSWER } }"""


@dataclass
class Deployment:
    app: GridCenter
    url: str
    redis: RedisServer
    a: ApiServer
    b: ApiServer
    workers: list[Running]
    token: str

    def worker(self) -> Running:
        started = start_command(
            self.url, "project", ready="following the log", redis_url=self.redis.url
        )
        self.workers.append(started)
        return started


@pytest.fixture(scope="module")
def deployment(
    postgres_server: PostgresServer, app_factory: Callable[[str], GridCenter]
) -> Iterator[Deployment]:
    url = postgres_server.create_database()
    app = app_factory(url)
    app.enrol_staff([StaffPlan("OP01", "王调度", Role.OPERATOR, (DISTRICT,))], ADMIN, MONDAY)
    secret, digest = mint()
    app.issue_token(digest, "OP01", "scale", by=ADMIN, at=MONDAY)
    redis = start_redis()
    nodes = {"redis_url": redis.url, "views": "workers"}
    a, b = start_api(url, **nodes), start_api(url, **nodes)
    deployment = Deployment(app, url, redis, a, b, [], secret)
    deployment.worker()
    yield deployment
    for running in (a, b, *deployment.workers):
        running.stop()
    redis.stop()
    app.close()


def test_a_mutation_on_one_node_reaches_a_subscriber_on_the_other(
    deployment: Deployment,
) -> None:
    def report_on_a() -> None:
        answer = mutate(deployment.a, deployment.token, REPORT)
        assert answer["__typename"] == "Recorded", answer

    received = follow(
        deployment.b,
        deployment.token,
        GRIDS,
        until=lambda got: _open(got[-1]) > _open(got[0]),
        during=report_on_a,
    )
    assert [grid["code"] for grid in received[-1]] == [GRID_A]


def test_subscribers_of_the_same_view_share_one_execution_per_node(
    deployment: Deployment,
) -> None:
    async def three() -> list[list[Any]]:
        async def one() -> list[Any]:
            return await _follow(deployment.b, deployment.token, GRIDS, lambda got: len(got) > 1)

        subscribers = [asyncio.ensure_future(one()) for _ in range(3)]
        await asyncio.sleep(2)  # all three have joined
        shared = metric(deployment.b, "gridcenter_broadcasts")
        at_once = metric(deployment.b, AT_ONCE)
        await asyncio.to_thread(mutate, deployment.a, deployment.token, REPORT)
        answers = await asyncio.gather(*subscribers)
        assert shared == 1, shared
        # the change went to the three at once (api/sockets.py), not through a task each
        assert metric(deployment.b, AT_ONCE) - at_once >= 3
        return answers

    answers = asyncio.run(asyncio.wait_for(three(), 60))
    assert answers[0][-1] == answers[1][-1] == answers[2][-1]


def test_a_worker_killed_is_taken_over_and_the_views_come_out_exact(
    deployment: Deployment,
) -> None:
    spare = deployment.worker()  # holds no lease while the first lives
    first = deployment.workers[0]
    loop = Loop(deployment.app)
    for n in range(60):
        loop.closed()
        if n == 20:
            first.kill()  # mid-stream; the spare takes its leases over
    expected = _fold(deployment)
    store = open_view_store(deployment.url)
    deadline = time.monotonic() + 60
    while min(store.positions().values()) < head(deployment.app):
        assert time.monotonic() < deadline, spare.said()
        time.sleep(0.2)
    assert contents(store, VIEWS) == expected
    assert "folding views case_board" in spare.said()
    store.close()


def test_a_redis_restart_loses_no_change_and_no_event(deployment: Deployment) -> None:
    after = head(deployment.app)
    changes: list[Any] = []

    async def scenario() -> list[dict[str, Any]]:
        grids = asyncio.ensure_future(
            _follow(deployment.b, deployment.token, GRIDS, lambda got: len(got) > 2, changes)
        )
        events = asyncio.ensure_future(
            _follow(
                deployment.b,
                deployment.token,
                EVENTS,
                lambda got: len(got) >= 2 and got[-1]["name"] == "CaseOverdue",
                variables={"after": after},
            )
        )
        await asyncio.sleep(2)
        await asyncio.to_thread(deployment.redis.stop)
        await asyncio.to_thread(mutate, deployment.a, deployment.token, REPORT)  # Redis gone
        while len(changes) < 2:  # the node finds the view moved without a notice
            await asyncio.sleep(0.2)
        await asyncio.to_thread(deployment.redis.start)
        await asyncio.sleep(3)  # the buses listen again
        await asyncio.to_thread(mutate, deployment.a, deployment.token, REPORT)
        await grids
        await asyncio.to_thread(_overdue_one, deployment.app)
        return await events

    streamed = asyncio.run(asyncio.wait_for(scenario(), 90))
    positions = [event["position"] for event in streamed]
    assert positions == list(range(after + 1, after + 1 + len(positions)))  # none missing
    assert _open(changes[-1]) > _open(changes[1]) > _open(changes[0])
    assert metric(deployment.a, 'gridcenter_notices_dropped_total{reason="redis"}') >= 1


def test_two_watchers_record_each_overdue_case_once(deployment: Deployment) -> None:
    late = (datetime.now(UTC) + timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%S%z")
    watchers = [
        start_command(deployment.url, "watch", "--every", "0.2", "--now", late, ready="watching")
        for _ in range(2)
    ]
    start = head(deployment.app)
    loop = Loop(deployment.app)
    numbers = [loop.dispatched() for _ in range(10)]  # both watchers race for each
    try:
        deadline = time.monotonic() + 60
        while names_since(deployment.app, start).count("CaseOverdue") < len(numbers):
            assert time.monotonic() < deadline, watchers[0].said()
            time.sleep(0.2)
        time.sleep(2)  # both have looked again since
    finally:
        for watcher in watchers:
            watcher.stop()
    names = names_since(deployment.app, start)
    assert names.count("CaseOverdue") == len(numbers), names


# Helpers ------------------------------------------------------------------------------------


def mutate(node: ApiServer, token: str, text: str) -> dict[str, Any]:
    answer = httpx.post(
        node.http,
        json={"query": text.replace("ANSWER", ANSWER)},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
        verify=TLS,
    ).json()
    (found,) = answer["data"].values()
    return dict(found)


def follow(
    node: ApiServer,
    token: str,
    text: str,
    until: Callable[[list[Any]], bool],
    during: Callable[[], None],
) -> list[Any]:
    async def run() -> list[Any]:
        following = asyncio.ensure_future(_follow(node, token, text, until))
        await asyncio.sleep(1.5)
        await asyncio.to_thread(during)
        return await following

    return asyncio.run(asyncio.wait_for(run(), 60))


async def _follow(
    node: ApiServer,
    token: str,
    text: str,
    until: Callable[[list[Any]], bool],
    received: list[Any] | None = None,
    variables: dict[str, Any] | None = None,
) -> list[Any]:
    received = [] if received is None else received
    transport = WebsocketsTransport(
        url=node.ws,
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        init_payload={"Authorization": f"Bearer {token}"},
        connect_args=UNBOUNDED_QUEUE,
    )
    async with Client(transport=transport) as session:
        answers = session.subscribe(GraphQLRequest(text, variable_values=variables))
        try:
            async for answer in answers:
                received.append(next(iter(answer.values())))
                if until(received):
                    return received
        finally:
            await answers.aclose()
    return received


def metric(node: ApiServer, name: str) -> float:
    text = httpx.get(f"http://127.0.0.1:{node.port}/metrics", verify=TLS).text
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def _open(grids: list[dict[str, Any]]) -> int:
    return sum(grid["open"] for grid in grids)


def _fold(deployment: Deployment) -> dict[str, list[Any]]:
    rows, position = fold(deployment.app.recorder, VIEWS)
    return folded(rows, VIEWS, position)


def _overdue_one(app: GridCenter) -> None:
    """An event to end the stream with: a case dispatched and watched past its deadline."""
    from infra.watcher import WATCHER  # noqa: PLC0415

    loop = Loop(app)
    number = loop.dispatched()
    deadline = app.case(number).deadline
    assert deadline is not None
    app.watch_deadline(number, by=WATCHER, at=deadline + timedelta(minutes=1))
