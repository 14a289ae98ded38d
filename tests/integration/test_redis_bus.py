"""The bus between processes over a real Redis: a notice reaches every other process
once, and its publisher only from itself; a process that only publishes (a projection
worker, a deadline watcher) does not listen at all."""

from __future__ import annotations

import time
from collections.abc import Callable

import redis

from infra.loopback import RedisServer
from infra.redis_bus import CHANNEL, RedisBus
from projections.bus import Notice, ViewChanged


def listeners_of(server: RedisServer) -> int:
    client = redis.Redis.from_url(server.url)
    try:
        counted: list[tuple[bytes, int]] = client.pubsub_numsub(CHANNEL)
        return counted[0][1]
    finally:
        client.close()


def soon(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_notice_reaches_the_other_process_once_and_its_publisher_only_from_itself(
    redis_server: RedisServer,
) -> None:
    publisher, other = RedisBus(redis_server.url), RedisBus(redis_server.url)
    heard: dict[str, list[Notice]] = {"publisher": [], "other": []}
    try:
        publisher.subscribe(heard["publisher"].append)
        other.subscribe(heard["other"].append)
        assert publisher.connected.wait(5) and other.connected.wait(5)
        notice = ViewChanged("grid_status", frozenset({"110101001001"}), 12, 11)
        publisher.publish(notice)
        assert soon(lambda: len(heard["other"]) == 1), heard
        time.sleep(0.3)  # the publisher's own notice came back from Redis by now
        assert heard == {"publisher": [notice], "other": [notice]}
    finally:
        publisher.close()
        other.close()


def test_a_process_that_only_publishes_does_not_listen(redis_server: RedisServer) -> None:
    before = listeners_of(redis_server)
    worker = RedisBus(redis_server.url)
    try:
        worker.publish(ViewChanged("workload", None, 3, 2))
        time.sleep(0.3)
        assert listeners_of(redis_server) == before
        worker.subscribe(lambda notice: None)
        assert worker.connected.wait(5)
        assert listeners_of(redis_server) == before + 1
    finally:
        worker.close()


def test_the_notices_of_one_commit_go_over_redis_as_one_message(
    redis_server: RedisServer,
) -> None:
    client = redis.Redis.from_url(redis_server.url)
    watching = client.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
    watching.subscribe(CHANNEL)
    worker, node = RedisBus(redis_server.url), RedisBus(redis_server.url)
    heard: list[Notice] = []
    try:
        node.subscribe(heard.append)
        assert node.connected.wait(5)
        moved = [ViewChanged(view, frozenset({"k"}), 8, 7) for view in ("workload", "grid_status")]
        worker.publish()  # a commit that moved no view
        worker.publish(*moved)
        assert soon(lambda: len(heard) == 2), heard
        messages, until = [], time.monotonic() + 0.5
        while time.monotonic() < until:  # None for the subscription's own reply too
            if (message := watching.get_message(timeout=0.1)) is not None:
                messages.append(message)
        assert heard == moved and len(messages) == 1
    finally:
        worker.close()
        node.close()
        watching.close()
        client.close()
