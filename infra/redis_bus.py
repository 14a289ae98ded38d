"""The bus between processes: notices go to this process's listeners at once and to
every other process over Redis pub/sub. Redis is only a messenger: a notice that cannot
be sent is counted and dropped, and a process that misses notices (Redis restarted, a
slow link) finds out from the positions they carry and catches up from the database.
The listening thread reconnects by itself. It starts with the first listener: a
projection worker or a deadline watcher only publishes, and decoding every notice there
(its own among them) for nobody took a tenth of a worker's time with the GIL."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from queue import Empty, Full, Queue
from threading import Event, Lock, Thread
from typing import Any
from uuid import uuid4

import orjson
import redis

from infra.metrics import NOTICES_DROPPED, NOTICES_RECEIVED
from projections import VIEWS
from projections.bus import Bus, EventsRecorded, Listener, Notice, ViewChanged
from projections.store.sql import json_value
from projections.view import Column, Table, noticed

CHANNEL = "gridcenter:notices"
NOTICED = {view.name: table for view in VIEWS if (table := noticed(view)) is not None}
"""The tables whose rows notices bring, by view (projections.view.noticed)."""
OUTBOX = 10_000
"""Notices waiting to go to Redis at most; more are dropped."""
RETRY = (0.2, 0.5, 1.0, 2.0, 5.0)
"""Seconds between attempts to listen again, growing to the last."""
log = logging.getLogger("gridcenter.bus")


class RedisBus(Bus):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.node = uuid4().hex[:12]
        """Our own notices come back from Redis: they are known by this and dropped."""
        self.connected = Event()
        self._client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self._stop = Event()
        self._outbox: Queue[bytes] = Queue(OUTBOX)
        self._own = orjson.dumps({"node": self.node})[:-1]
        """How our own notices begin: encode writes the node first."""
        self._starting = Lock()
        self._thread = Thread(target=self._listen, name="redis bus", daemon=True)
        self._sender = Thread(target=self._send, name="redis bus sender", daemon=True)
        self._sender.start()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._starting:
            if self._thread.ident is None and not self._stop.is_set():
                self._thread.start()
        return super().subscribe(listener)

    def publish(self, *notices: Notice) -> None:
        """Deliver here, and queue for Redis as one message: the publisher (a projection
        runner, a command) never waits for Redis, which may be slow or gone."""
        if not notices:
            return  # a commit that moved no view: nothing to tell, no message
        for notice in notices:
            self.deliver(notice)
        try:
            self._outbox.put_nowait(encode(notices, self.node))
        except Full:
            NOTICES_DROPPED.labels("redis").inc(len(notices))

    def close(self) -> None:
        self._stop.set()
        self._outbox.put(b"")  # wakes the sender
        for thread in (self._thread, self._sender):
            if thread.is_alive():
                thread.join(timeout=10)
        self._client.close()

    def _send(self) -> None:
        """Send what is queued, in one round trip; while Redis is gone, drop it."""
        while not self._stop.is_set():
            batch = [self._outbox.get()]
            while len(batch) < OUTBOX:
                try:
                    batch.append(self._outbox.get_nowait())
                except Empty:
                    break
            batch = [message for message in batch if message]
            try:
                with self._client.pipeline(transaction=False) as pipe:
                    for message in batch:
                        pipe.publish(CHANNEL, message)
                    pipe.execute()
            except (redis.RedisError, OSError) as error:
                NOTICES_DROPPED.labels("redis").inc(len(batch))
                log.warning(
                    "%d notices not sent over Redis (readers catch up): %s", len(batch), error
                )
                self._stop.wait(0.5)

    def _listen(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            try:
                with self._client.pubsub(  # type: ignore[no-untyped-call]
                    ignore_subscribe_messages=True
                ) as pubsub:
                    pubsub.subscribe(CHANNEL)
                    self.connected.set()
                    attempt = 0
                    while not self._stop.is_set():
                        message = pubsub.get_message(timeout=1.0)
                        if message is not None:
                            self._received(message["data"])
            except (redis.RedisError, OSError) as error:
                if self.connected.is_set():
                    log.warning("lost Redis, listening again: %s", error)
                self.connected.clear()
            self._stop.wait(RETRY[min(attempt, len(RETRY) - 1)])
            attempt += 1

    def _received(self, data: bytes) -> None:
        if data.startswith(self._own):
            return
        notices = decode(data)[1]
        NOTICES_RECEIVED.inc(len(notices))
        for notice in notices:
            self.deliver(notice)


def encode(notices: Sequence[Notice], node: str) -> bytes:
    """One message of the notices of one commit, the node that published them first."""
    return orjson.dumps({"node": node, "notices": [_encoded(notice) for notice in notices]})


def decode(data: bytes) -> tuple[str, list[Notice]]:
    found: dict[str, Any] = orjson.loads(data)
    return found["node"], [_decoded(notice) for notice in found["notices"]]


def _encoded(notice: Notice) -> dict[str, Any]:
    if isinstance(notice, EventsRecorded):
        return {"events": notice.position}
    keys = None if notice.keys is None else sorted(notice.keys)
    table = NOTICED.get(notice.view)
    rows = None
    if notice.rows is not None and table is not None:
        rows = [table.values(row) for row in notice.rows]
    return {
        "view": notice.view,
        "keys": keys,
        "position": notice.position,
        "after": notice.after,
        "rows": rows,
    }


def _decoded(found: dict[str, Any]) -> Notice:
    if "events" in found:
        return EventsRecorded(int(found["events"]))
    keys, view = found["keys"], found["view"]
    table, rows = NOTICED.get(view), found.get("rows")
    return ViewChanged(
        view,
        None if keys is None else frozenset(keys),
        found["position"],
        found["after"],
        None if rows is None or table is None else tuple(_row(table, v) for v in rows),
    )


def _row(table: Table, values: list[Any]) -> Any:
    """A row from its values as JSON has them: instants as text, tuples as arrays."""
    return table.make(
        _value(column, value) for column, value in zip(table.columns, values, strict=True)
    )


def _value(column: Column, value: Any) -> Any:
    if value is not None and column.kind == "time":
        return datetime.fromisoformat(value)
    return json_value(column, value) if column.kind == "json" else value


def open_bus(redis_url: str | None) -> Bus:
    """The bus of the settings: over Redis when one is configured, else in-process."""
    return RedisBus(redis_url) if redis_url else Bus()
