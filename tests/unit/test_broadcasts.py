"""Fan-out of live views: which subscriptions are shared, and first answers shared by
those who ask while a read runs."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from api.broadcasts import NextRead, _field


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
