"""The subscribers of the fan-out benchmark: a client process of its own holding many
websocket connections, each subscribed to the wall map over graphql-transport-ws. No
GraphQL client, nor a task and a message queue for each connection: picows reads the
frames in Cython and calls each connection's listener with them, and answers the
server's pings. The measuring instrument must cost the shared cores little, gridcenter
and the raw baseline alike: against the websockets library's sans-I/O protocol driven
from Python, it took the raw broadcast's p99 from 55-70 ms to 27-34 ms in alternating
runs of `gridcenter bench fanout` on one 2-core machine.

Every grid in a frame is one commit delivered; it is tallied by the grid's
`lastReport`, the instant the report was recorded (its stamp), with the receive instant
less that stamp (same machine, same clock); the benchmark then counts from the report's
commit instead. Frames are identical for every connection but the operation id, and every
connection uses the same one, so a frame is decoded once per process. The benchmark
drives the process over a pipe: top the connections up, count, tally, close, stop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Mapping
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any

import orjson
import uvloop
from picows import WSCloseCode, WSFrame, WSListener, WSMsgType, WSTransport, ws_connect
from websockets.typing import Subprotocol

from infra.bench.fanout.figures import BUCKET, Stamp, Tally, stamp_of
from infra.descriptors import allow_open_files

GRIDS = "subscription { gridStatus { code level open lastReport } }"
"""The command center's wall map: every grid now, then the grids that change."""
SUBSCRIBE = orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": GRIDS}})
PROTOCOL = Subprotocol("graphql-transport-ws")
OPENING = 32
"""Connections a process opens at once: each first answer is a read of every grid."""
OPEN_TIMEOUT = 120.0
"""Seconds a connection may take to get its first answer."""
REMEMBERED = 4096
"""Frames whose decoding is kept (a frame reaches every connection of the process)."""


class Subscribers:
    def __init__(self) -> None:
        self.tally = Tally()
        self.live: set[_Subscriber] = set()
        self.grids = 0
        """Grids in a first answer: a frame with as many is a full refresh."""
        self.closing = False
        self._decoded: dict[bytes, tuple[Stamp, ...] | None] = {}
        self._opening = asyncio.Semaphore(OPENING)

    async def top_up(
        self, urls: list[str], count: int, init: Mapping[str, Any], start: int
    ) -> list[str]:
        """Open connections until `count` live, the k-th (from `start`, over the whole
        benchmark) to urls[k % len(urls)]; returns the errors of those that failed."""
        self.closing = False
        first = start + len(self.live)
        wanted = range(first, first + max(count - len(self.live), 0))
        opened = await asyncio.gather(
            *(self._open(urls[k % len(urls)], init) for k in wanted), return_exceptions=True
        )
        return [repr(error) for error in opened if isinstance(error, BaseException)]

    async def close(self) -> None:
        self.closing = True
        for subscriber in list(self.live):
            subscriber.close()
        for _ in range(50):  # the closing handshakes, a moment at most
            if not self.live:
                break
            await asyncio.sleep(0.1)
        self.live.clear()

    def take(self) -> Tally:
        taken, self.tally = self.tally, Tally()
        return taken

    def received(self, message: bytes, now: float) -> None:
        tally = self.tally
        tally.frames += 1
        tally.octets += len(message)
        decoded = self._decoded
        commits = decoded[message] if message in decoded else self._decode(message)
        if commits is None:
            tally.refreshes += 1
            return
        tally.updates += len(commits)
        tally.first = min(tally.first, now)
        tally.last = now
        arrivals = tally.arrivals
        for stamp in commits:
            arrivals[stamp, max(int((now - stamp / 1e6) * BUCKET), 0)] += 1

    def _decode(self, message: bytes) -> tuple[Stamp, ...] | None:
        """The reports' stamps of the grids in a frame; None for a full refresh."""
        if len(self._decoded) >= REMEMBERED:
            self._decoded.clear()
        grids = orjson.loads(message)["payload"]["data"]["gridStatus"]
        found = None
        if len(grids) < self.grids:
            found = tuple(
                stamp_of(datetime.fromisoformat(grid["lastReport"]))
                for grid in grids
                if grid["lastReport"]
            )
        self._decoded[message] = found
        return found

    async def _open(self, url: str, init: Mapping[str, Any]) -> None:
        """One subscriber, counted live once its first answer came."""
        loop = asyncio.get_running_loop()
        async with self._opening:
            subscriber = _Subscriber(self, init, loop.create_future())
            await ws_connect(
                lambda: subscriber,
                url,
                extra_headers={"Sec-WebSocket-Protocol": PROTOCOL},
                websocket_handshake_timeout=OPEN_TIMEOUT,
            )
            try:
                async with asyncio.timeout(OPEN_TIMEOUT):
                    await subscriber.ready
            except BaseException:
                subscriber.close()
                raise
        if subscriber.lost:  # between its first answer and now
            if not self.closing:
                self.tally.closed[subscriber.code] += 1
        else:
            self.live.add(subscriber)


class _Subscriber(WSListener):
    """One connection: connection_init and its ack, the subscription and its first
    answer (then `ready`), then every frame to the tally. picows reads the frames (in
    Cython) and answers the server's pings."""

    def __init__(
        self, subscribers: Subscribers, init: Mapping[str, Any], ready: asyncio.Future[None]
    ) -> None:
        self.subscribers, self.ready, self.lost = subscribers, ready, False
        self._init = orjson.dumps({"type": "connection_init", "payload": dict(init)})
        self._stage = "ack"
        self._transport: WSTransport | None = None

    @property
    def code(self) -> int:
        """The close code the server sent; 1006 if none."""
        transport = self._transport
        handshake = None if transport is None else transport.close_handshake
        if handshake is None or handshake.recv is None:
            return 1006
        code: int = handshake.recv.code.value
        return code

    def on_ws_connected(self, transport: WSTransport) -> None:
        self._transport = transport
        transport.send(WSMsgType.TEXT, self._init)

    def on_ws_frame(self, transport: WSTransport, frame: WSFrame) -> None:
        kind = frame.msg_type
        if kind is WSMsgType.TEXT:
            if self._stage == "open":
                self.subscribers.received(frame.get_payload_as_bytes(), time.time())
            else:
                self._opening(transport, frame.get_payload_as_bytes())
        elif kind is WSMsgType.CLOSE:
            transport.send_close(frame.get_close_code())
            transport.disconnect()

    def _opening(self, transport: WSTransport, data: bytes) -> None:
        if self._stage == "ack":
            if orjson.loads(data).get("type") != "connection_ack":
                self._fail(ValueError(f"not acknowledged: {data[:200]!r}"))
                return
            transport.send(WSMsgType.TEXT, SUBSCRIBE)
            self._stage = "first"
        elif self._stage == "first":
            grids = orjson.loads(data)["payload"]["data"]["gridStatus"]
            self.subscribers.grids = max(self.subscribers.grids, len(grids))
            self._stage = "open"
            if not self.ready.done():
                self.ready.set_result(None)

    def on_ws_disconnected(self, transport: WSTransport) -> None:
        self.lost = True
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(f"closed ({self.code})"))
            return
        subscribers = self.subscribers
        if self in subscribers.live:
            subscribers.live.discard(self)
            if not subscribers.closing:
                subscribers.tally.closed[self.code] += 1

    def close(self) -> None:
        transport = self._transport
        if transport is None or transport.is_disconnected:
            return
        with contextlib.suppress(Exception):
            transport.send_close(WSCloseCode.OK)
        transport.disconnect()

    def _fail(self, error: Exception) -> None:
        if not self.ready.done():
            self.ready.set_exception(error)
        if self._transport is not None:
            self._transport.disconnect()


def run(control: Connection) -> None:
    """A client process: obey the benchmark's commands until told to stop. It runs as a
    batch task (SCHED_BATCH): the same share of the cores, but a frame arriving does not
    preempt the process that wrote it, so a node's round of writes is not broken up by
    its readers. The receive instant can only come later for it, never earlier."""
    allow_open_files()
    os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    uvloop.run(_obey(control))  # the nodes' loop too (uvicorn's): a cheaper instrument


async def _obey(control: Connection) -> None:
    subscribers = Subscribers()
    while True:
        command, *args = await asyncio.to_thread(control.recv)
        if command == "top up":
            control.send(await subscribers.top_up(*args))
        elif command == "count":
            control.send(subscribers.tally.updates)
        elif command == "take":
            control.send(subscribers.take())
        elif command == "close":
            await subscribers.close()
            control.send(None)
        else:
            with contextlib.suppress(Exception):
                await subscribers.close()
            return
