"""The subscribers of a broadcast (api/broadcasts.py): how one answer reaches each of them.

An answer's frame differs from one subscriber to the next only by the operation id the
subscriber chose (every gql client picks "1"), so its text and its websocket frame are
made once for each id, not once for each subscriber (`Answer`). Once a subscriber's
first answer is out, the next ones are written at once when its connection takes them
(api/sockets.py), with no task or await; a connection whose buffer is full (a screen that
reads slowly) gets its answers queued for its own task, which waits for room, and answers
queued go first, so none overtakes another. A subscriber MAX_QUEUED answers behind is
closed with FELL_BEHIND rather than buffered without bound: it reconnects and reads the
view afresh."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

import orjson
from websockets.frames import Frame, Opcode

from api.sockets import write_now_of
from infra.metrics import ANSWERS, NOTICES_DROPPED

MAX_QUEUED = 200
FELL_BEHIND = 1013
"""WebSocket close code 'try again later': the subscriber did not keep up."""
AT_ONCE, AWAITED = ANSWERS.labels("at once"), ANSWERS.labels("awaited")


class Connection(Protocol):
    """The protocol handler of a subscriber's connection (api/broadcasts.py)."""

    @property
    def websocket(self) -> Any: ...

    async def send_text(self, frame: str) -> None: ...

    async def fell_behind(self) -> None: ...


class Answer:
    """One answer of a broadcast, as each subscriber's text and frame, made once an id."""

    def __init__(self, payload: str) -> None:
        self.payload = payload
        self._texts: dict[str, str] = {}
        self._frames: dict[str, bytes] = {}

    def text(self, prefix: str) -> str:
        found = self._texts.get(prefix)
        if found is None:
            found = self._texts[prefix] = prefix + self.payload + "}"
        return found

    def frame(self, prefix: str) -> bytes:
        """The text as an unmasked, uncompressed websocket frame (a server's)."""
        found = self._frames.get(prefix)
        if found is None:
            data = self.text(prefix).encode()
            found = self._frames[prefix] = Frame(Opcode.TEXT, data).serialize(
                mask=False, extensions=[]
            )
        return found


class Member:
    """A subscriber of a broadcast."""

    def __init__(self, connection: Connection, operation_id: str):
        self.connection = connection
        self.queue: asyncio.Queue[str | None] = asyncio.Queue(MAX_QUEUED)
        self.prefix = '{"id":' + orjson.dumps(operation_id).decode() + ',"type":"next","payload":'
        self.closing: asyncio.Future[None] | None = None
        self.write_now = write_now_of(connection.websocket.ws.scope)
        self._direct = False
        """Whether answers may be written at once: the first is out, none waits."""

    def offer(self, answer: Answer | None) -> bool:
        """Write or queue an answer (None: the broadcast ended), True if written at once;
        close a subscriber too far behind."""
        if self.closing is not None:
            return False
        if self._direct and answer is not None:
            assert self.write_now is not None
            if self.write_now(answer.text(self.prefix), answer.frame(self.prefix)):
                return True
            self._direct = False  # the connection is full: queue until it drains
        try:
            self.queue.put_nowait(None if answer is None else answer.text(self.prefix))
        except asyncio.QueueFull:
            NOTICES_DROPPED.labels("fell behind").inc()
            self.closing = asyncio.ensure_future(self.connection.fell_behind())
        return False

    async def send(self) -> None:
        """Send queued answers until the broadcast ends; whenever none waits, let the
        next be written at once."""
        while True:
            if self.queue.empty() and self.write_now is not None:
                self._direct = True
            text = await self.queue.get()
            if text is None:
                return
            await self.connection.send_text(text)
            AWAITED.inc()


def offered(members: set[Member], answer: Answer) -> None:
    """The answer to every member, in one go. (Letting the loop serve commands between
    slices of a round made the commands quicker and the frames later: in alternating runs
    of the fan-out benchmark, a p99 from commit of 279-427 ms against 130-365 ms.)"""
    AT_ONCE.inc(sum(member.offer(answer) for member in list(members)))
