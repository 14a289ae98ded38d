"""The commands of the fan-out benchmark: reports (reportCase, by the operators taking
hotline calls in turn) at one grid after another, sent to the two nodes in turn over HTTP/1.1
keep-alive connections, at a rate held open loop. A command goes when it is due,
whether or not those before it are answered, up to CONNECTIONS in flight a node; past
that the node is not keeping up, the sender waits for a connection and the rate
achieved falls below the rate offered.

The grids come in a shuffled round: two reports in one grid are hundreds of commands
apart, so one grid's change in a frame is one commit."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

import orjson

from infra.bench.fanout.figures import Sent

CONNECTIONS = 32
"""Commands in flight to a node at most."""
ANSWER_TIMEOUT = 30.0
"""Seconds a report may wait for its answer before it counts as failed."""
REPORT = (
    "mutation Report($lon: Float!, $lat: Float!) { reportCase(channel: HOTLINE, "
    'category: "E0101", location: {lon: $lon, lat: $lat}, '
    'description: "路边垃圾堆放 (fan-out benchmark)") { __typename } }'
)


@dataclass(frozen=True)
class Node:
    host: str
    port: int


class Commands:
    def __init__(
        self, nodes: Sequence[Node], tokens: Sequence[str], targets: Sequence[tuple[float, float]]
    ) -> None:
        self._nodes, self._tokens = list(nodes), itertools.cycle(tokens)
        shuffled = list(targets)
        random.Random(7).shuffle(shuffled)
        self._targets = itertools.cycle(shuffled)
        self._idle = [asyncio.LifoQueue[_Connection]() for _ in nodes]
        self._opened = [0 for _ in nodes]

    async def send(self, rate: float, seconds: float) -> Sent:
        """`rate` reports a second for `seconds`; what was recorded, and the answers'
        times."""
        loop = asyncio.get_running_loop()
        count = max(1, round(rate * seconds))
        start = loop.time() + 0.01
        sending: list[asyncio.Task[float | None]] = []
        for n in range(count):
            delay = start + n / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            node = n % len(self._nodes)
            connection = await self._connection(node)
            lon, lat = next(self._targets)
            sending.append(asyncio.create_task(self._report(node, connection, lon, lat)))
        window = loop.time() - start + 1 / rate
        answers = await asyncio.gather(*sending)
        times = tuple(t for t in answers if t is not None)
        return Sent(count, len(times), count - len(times), window, times)

    async def close(self) -> None:
        for idle in self._idle:
            while not idle.empty():
                idle.get_nowait().close()

    async def _connection(self, node: int) -> _Connection:
        idle = self._idle[node]
        while idle.empty() and self._opened[node] >= CONNECTIONS:
            with contextlib.suppress(TimeoutError):  # look again: one may have failed
                return await asyncio.wait_for(idle.get(), 0.1)
        if not idle.empty():
            return idle.get_nowait()
        self._opened[node] += 1
        try:
            return await _Connection.open(self._nodes[node])
        except OSError:
            self._opened[node] -= 1
            raise

    async def _report(
        self, node: int, connection: _Connection, lon: float, lat: float
    ) -> float | None:
        """Seconds the report took to be answered Recorded; None if it was not."""
        body = orjson.dumps({"query": REPORT, "variables": {"lon": lon, "lat": lat}})
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with asyncio.timeout(ANSWER_TIMEOUT):
                answer = await connection.post(body, next(self._tokens))
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
            connection.close()
            self._opened[node] -= 1
            return None
        self._idle[node].put_nowait(connection)
        return loop.time() - started if b'"Recorded"' in answer else None


class _Connection:
    """One HTTP/1.1 keep-alive connection to a node's /graphql."""

    def __init__(self, node: Node, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self._reader, self._writer = reader, writer
        self._head = (
            f"POST /graphql HTTP/1.1\r\nHost: {node.host}:{node.port}\r\n"
            "Content-Type: application/json\r\nAccept: application/json\r\n"
        )

    @classmethod
    async def open(cls, node: Node) -> _Connection:
        reader, writer = await asyncio.open_connection(node.host, node.port)
        return cls(node, reader, writer)

    async def post(self, body: bytes, token: str) -> bytes:
        head = f"{self._head}Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n"
        self._writer.write(head.encode() + body)
        answer = await self._reader.readuntil(b"\r\n\r\n")
        status, *lines = answer.decode("latin-1").split("\r\n")
        if " 200 " not in status:
            raise ValueError(status)
        length = next(
            int(line.split(":", 1)[1])
            for line in lines
            if line.lower().startswith("content-length:")
        )
        return await self._reader.readexactly(length)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._writer.close()
