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
