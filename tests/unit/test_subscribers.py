"""How an answer reaches a broadcast's subscribers: written at once while a connection
takes it, queued in order when it does not, and a subscriber that falls behind closed,
not buffered without bound."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from websockets.frames import Frame
from websockets.streams import StreamReader

from api.sockets import WRITE_NOW
from api.subscribers import MAX_QUEUED, Answer, Member


class Handler:
    """A connection as the broadcast sees it. `room` answers fit into its buffer at once
    (api/sockets.py's WRITE_NOW; None: the server offers no such thing); the rest wait
    for `send_text`, which waits until the screen reads (`reading` is set)."""

    def __init__(self, room: int | None = 0) -> None:
        self.closed, self.room = 0, room
        self.written: list[tuple[str, str]] = []
        self.reading = asyncio.Event()
        extensions = {} if room is None else {WRITE_NOW: self._write_now}
        self.websocket = SimpleNamespace(ws=SimpleNamespace(scope={"extensions": extensions}))

    def _write_now(self, text: str, frame: bytes) -> bool:
        assert frame.endswith(text.encode())  # the same message, framed
        if not self.room:
            return False
        self.room -= 1
        self.written.append(("at once", text))
        return True

    async def send_text(self, text: str) -> None:
        await self.reading.wait()
        self.written.append(("awaited", text))

    async def fell_behind(self) -> None:
        self.closed += 1


def _member(handler: Handler) -> Member:
    return Member(handler, "1")


def test_a_subscriber_that_falls_behind_is_closed_once() -> None:
    async def offer() -> int:
        handler = Handler(room=None)
        member = _member(handler)
        for n in range(MAX_QUEUED + 50):
            member.offer(Answer(f'{{"n": {n}}}'))
        await asyncio.sleep(0)
        assert member.queue.qsize() == MAX_QUEUED
        return handler.closed

    assert asyncio.run(offer()) == 1


def test_answers_go_out_at_once_while_the_connection_takes_them_and_in_order_after() -> None:
    async def scenario() -> list[tuple[str, str]]:
        handler = Handler(room=2)
        member = _member(handler)
        sending = asyncio.ensure_future(member.send())
        await asyncio.sleep(0)  # the first answer is out: it waits in send()
        for n in range(5):  # two fit, then the buffer is full: the rest queue
            member.offer(Answer(str(n)))
        assert [how for how, _ in handler.written] == ["at once", "at once"]
        handler.room = 10  # room again, but 2..4 are queued: 5 must not overtake them
        member.offer(Answer("5"))
        handler.reading.set()
        while len(handler.written) < 6:
            await asyncio.sleep(0)
        member.offer(Answer("6"))  # none waits any more: at once again
        member.offer(None)
        await asyncio.wait_for(sending, 5)
        return handler.written

    written = asyncio.run(scenario())
    prefix = '{"id":"1","type":"next","payload":'
    assert [text for _, text in written] == [f"{prefix}{n}}}" for n in range(7)]
    assert [how for how, _ in written] == ["at once"] * 2 + ["awaited"] * 4 + ["at once"]


def test_without_the_servers_extension_every_answer_is_awaited() -> None:
    async def scenario() -> list[str]:
        handler = Handler(room=None)
        handler.reading.set()
        member = _member(handler)
        sending = asyncio.ensure_future(member.send())
        for n in range(3):
            member.offer(Answer(str(n)))
        member.offer(None)
        await asyncio.wait_for(sending, 5)
        return [how for how, _ in handler.written]

    assert asyncio.run(scenario()) == ["awaited"] * 3


def test_an_answer_is_framed_once_for_each_operation_id() -> None:
    answer = Answer('{"data":{"gridStatus":[{"code":"110101001001001"}]}}')
    one, same, other = (
        answer.frame(_prefix("1")),
        answer.frame(_prefix("1")),
        answer.frame(_prefix("a")),
    )
    assert one is same and one != other
    reader = StreamReader()
    reader.feed_data(one)
    parser = Frame.parse(reader.read_exact, mask=False)  # as a client reads a server's frame
    with pytest.raises(StopIteration) as done:
        next(parser)  # the whole frame is there: parsed without asking for more
    assert done.value.value.data.decode() == answer.text(_prefix("1"))


def _prefix(operation_id: str) -> str:
    return '{"id":"' + operation_id + '","type":"next","payload":'
