"""Fan-out of live views: which subscriptions are shared, what makes two the same, and
a subscriber that falls behind is closed, not buffered without bound."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from api.broadcasts import MAX_QUEUED, Member, NextRead, _field


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("subscription { gridStatus { code } }", "gridStatus"),
        ('subscription S { caseUpdates(department: "hwj") { number } }', "caseUpdates"),
        ("subscription { a: gridStatus { code } b: gridStatus { level } }", None),
        ("{ grids { code } }", None),
        ("subscription {", None),
    ],
)
def test_a_subscription_is_known_by_its_one_root_field(query: str, field: str | None) -> None:
    assert _field(query) == field


class Handler:
    """A connection that never reads: what a slow subscriber looks like to the server."""

    def __init__(self) -> None:
        self.closed = 0

    async def fell_behind(self) -> None:
        self.closed += 1


def test_a_subscriber_that_falls_behind_is_closed_once() -> None:
    async def offer() -> int:
        handler: Any = Handler()
        member = Member(handler, operation=type("Op", (), {"id": "1"})())  # type: ignore[arg-type]
        for n in range(MAX_QUEUED + 50):
            member.offer(f'{{"n": {n}}}')
        await asyncio.sleep(0)
        assert member.queue.qsize() == MAX_QUEUED
        return int(handler.closed)

    assert asyncio.run(offer()) == 1


def test_first_answers_asked_for_while_a_read_runs_share_the_next_read() -> None:
    async def scenario() -> tuple[list[str], list[str]]:
        reads: list[str] = []
        release = asyncio.Event()

        def reader(name: str) -> Any:
            async def read() -> str:
                reads.append(name)
                await release.wait()
                return f"read by {name}"

            return read

        shared = NextRead[str]()
        first = asyncio.ensure_future(shared.after_now(reader("a")))
        while not reads:  # until a's read has started: those asking now come too late for it
            await asyncio.sleep(0)
        later = [asyncio.ensure_future(shared.after_now(reader(n))) for n in "bcd"]
        await asyncio.sleep(0)
        release.set()
        answers = await asyncio.gather(first, *later)
        return reads, answers

    reads, answers = asyncio.run(asyncio.wait_for(scenario(), 5))
    assert reads == ["a", "b"]  # one read for a, one shared by b, c and d
    assert answers == ["read by a", "read by b", "read by b", "read by b"]
