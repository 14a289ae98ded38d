"""The raw baseline of the fan-out benchmark: a plain websockets server — no GraphQL, no
views, no database, no Redis — speaking just enough graphql-transport-ws for the same
subscribers (an ack, then a first answer with every grid), that broadcasts frames of
the very shape gridcenter sends (one changed grid, its `lastReport` the instant the
frame goes out) at the rate asked, to every connection at once with
websockets.broadcast. One such process stands for each API node, with the same share
of the subscribers."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from typing import Any

import orjson
from websockets.asyncio.server import ServerConnection, broadcast, serve

from infra.bench.fanout.figures import Sent
from infra.bench.fanout.subscribers import PROTOCOL
from infra.descriptors import allow_open_files


def frame(grids: Sequence[dict[str, Any]], operation: str = "1") -> str:
    """A graphql-transport-ws `next` frame of the wall map, as gridcenter writes it."""
    payload = orjson.dumps({"data": {"gridStatus": list(grids)}}).decode()
    return '{"id":' + orjson.dumps(operation).decode() + ',"type":"next","payload":' + payload + "}"


class Broadcaster:
    def __init__(self, codes: Sequence[str]) -> None:
        self.codes = list(codes)
        self.connections: set[ServerConnection] = set()
        self._sent = 0
        blank = {"level": "normal", "open": 0, "lastReport": None}
        self._first = [{"code": code, **blank} for code in self.codes]

    async def handle(self, ws: ServerConnection) -> None:
        await ws.recv()  # connection_init
        await ws.send('{"type":"connection_ack"}')
        subscribe = orjson.loads(await ws.recv())
        await ws.send(frame(self._first, subscribe["id"]))
        self.connections.add(ws)
        try:
            await ws.wait_closed()
        finally:
            self.connections.discard(ws)

    async def broadcast(self, rate: float, seconds: float) -> Sent:
        """`rate` frames a second for `seconds`, each to every connection, open loop."""
        loop = asyncio.get_running_loop()
        count = max(1, round(rate * seconds))
        start = loop.time() + 0.01
        for n in range(count):
            delay = start + n / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            code = self.codes[self._sent % len(self.codes)]
            self._sent += 1
            grid = {
                "code": code,
                "level": "attention",
                "open": self._sent // len(self.codes) + 1,
                "lastReport": datetime.now(UTC).isoformat(),
            }
            broadcast(self.connections, frame([grid]))
        return Sent(count, count, 0, loop.time() - start + 1 / rate)


def run(port: int, codes: Sequence[str], control: Connection) -> None:
    """A baseline server process on 127.0.0.1:`port`, obeying the benchmark's pipe."""
    allow_open_files()
    asyncio.run(_serve(port, codes, control))


async def _serve(port: int, codes: Sequence[str], control: Connection) -> None:
    broadcaster = Broadcaster(codes)
    async with serve(
        broadcaster.handle,
        "127.0.0.1",
        port,
        subprotocols=[PROTOCOL],
        compression=None,
        max_size=None,
        ping_interval=None,
        backlog=4096,
    ):
        control.send("listening")
        while True:
            command, *args = await asyncio.to_thread(control.recv)
            if command == "broadcast":
                control.send(await broadcaster.broadcast(*args))
            else:
                return
