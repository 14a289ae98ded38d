"""The subscribers of the fan-out benchmark: a client process of its own holding many
websocket connections, each subscribed to the wall map over graphql-transport-ws. Plain
asyncio and the websockets library, no GraphQL client: the measuring instrument must
cost the shared cores little, gridcenter and the raw baseline alike.

Every grid in a frame is one commit delivered; its latency is the receive instant less
the grid's `lastReport`, the instant the report was recorded (same machine, same
clock). Frames are identical for every connection but the operation id, and every
connection uses the same one, so a frame is decoded once per process. The benchmark
drives the process over a pipe: top the connections up, count, tally, close, stop."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.typing import Subprotocol

from infra.bench.fanout.figures import BUCKET, Tally
from infra.descriptors import allow_open_files

GRIDS = "subscription { gridStatus { code level open lastReport } }"
"""The command center's wall map: every grid now, then the grids that change."""
PROTOCOL = Subprotocol("graphql-transport-ws")
OPENING = 32
"""Connections a process opens at once: each first answer is a read of every grid."""
REMEMBERED = 4096
"""Frames whose decoding is kept (a frame reaches every connection of the process)."""


class Subscribers:
    def __init__(self) -> None:
        self.tally = Tally()
        self.live: set[asyncio.Task[None]] = set()
        self.grids = 0
        """Grids in a first answer: a frame with as many is a full refresh."""
        self._decoded: dict[str, tuple[float, ...] | None] = {}
        self._closing = False
        self._opening = asyncio.Semaphore(OPENING)

    async def top_up(
        self, urls: list[str], count: int, init: Mapping[str, Any], start: int
    ) -> list[str]:
        """Open connections until `count` live, the k-th (from `start`, over the whole
        benchmark) to urls[k % len(urls)]; returns the errors of those that failed."""
        self._closing = False
        wanted = count - len(self.live)
        loop = asyncio.get_running_loop()
        ready = [loop.create_future() for _ in range(max(wanted, 0))]
        for k, future in enumerate(ready, start + len(self.live)):
            task = asyncio.create_task(self._subscribe(urls[k % len(urls)], init, future))
            self.live.add(task)
            task.add_done_callback(self.live.discard)
        results = await asyncio.gather(*ready, return_exceptions=True)
        return [repr(error) for error in results if isinstance(error, BaseException)]

    async def close(self) -> None:
        self._closing = True
        for task in list(self.live):
            task.cancel()
        await asyncio.gather(*self.live, return_exceptions=True)

    def take(self) -> Tally:
        taken, self.tally = self.tally, Tally()
        return taken

    def received(self, message: str, now: float) -> None:
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
        latencies = tally.latencies
        for commit in commits:
            latencies[max(int((now - commit) * BUCKET), 0)] += 1

    def _decode(self, message: str) -> tuple[float, ...] | None:
        """The commit instants of the grids in a frame; None for a full refresh."""
        if len(self._decoded) >= REMEMBERED:
            self._decoded.clear()
        grids = orjson.loads(message)["payload"]["data"]["gridStatus"]
        found = None
        if len(grids) < self.grids:
            found = tuple(
                datetime.fromisoformat(grid["lastReport"]).timestamp()
                for grid in grids
                if grid["lastReport"]
            )
        self._decoded[message] = found
        return found

    async def _subscribe(
        self, url: str, init: Mapping[str, Any], ready: asyncio.Future[None]
    ) -> None:
        await self._opening.acquire()
        try:
            async with connect(
                url,
                subprotocols=[PROTOCOL],
                compression=None,
                max_size=None,
                ping_interval=None,
                open_timeout=120,
                close_timeout=1,
            ) as ws:
                await _subscribed(ws, init)
                first = orjson.loads(await ws.recv())
                self.grids = max(self.grids, len(first["payload"]["data"]["gridStatus"]))
                self._opening.release()
                ready.set_result(None)
                async for message in ws:
                    self.received(message, time.time())  # type: ignore[arg-type]
            if not self._closing:
                self.tally.closed[ws.close_code or 0] += 1
        except ConnectionClosed as closed:
            if not ready.done():
                ready.set_exception(closed)
            elif not self._closing:
                self.tally.closed[closed.rcvd.code if closed.rcvd else 1006] += 1
        except (OSError, TimeoutError, WebSocketException, KeyError, ValueError) as error:
            if not ready.done():
                ready.set_exception(error)
        finally:
            if not ready.done():
                ready.cancel()
                self._opening.release()


async def _subscribed(ws: ClientConnection, init: Mapping[str, Any]) -> None:
    """graphql-transport-ws: connection_init, its ack, then the subscription."""
    await ws.send(orjson.dumps({"type": "connection_init", "payload": init}).decode())
    ack = orjson.loads(await ws.recv())
    if ack.get("type") != "connection_ack":
        raise ValueError(f"not acknowledged: {ack}")
    subscribe = {"id": "1", "type": "subscribe", "payload": {"query": GRIDS}}
    await ws.send(orjson.dumps(subscribe).decode())


def run(control: Connection) -> None:
    """A client process: obey the benchmark's commands until told to stop."""
    allow_open_files()
    asyncio.run(_obey(control))


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
