"""`gridcenter bench fanout` at a tiny size: the whole harness — PostgreSQL, a throwaway
Redis, two API nodes, a projection worker, client processes and the raw broadcast
servers — runs, and reports figures for gridcenter beside the baseline. The real sizes
(1,000 and 5,000 subscribers) run only from the command."""

from __future__ import annotations

import asyncio
import math
import re
from collections import Counter

import pytest
from rich.console import Console
from typer.testing import CliRunner
from websockets.asyncio.server import serve

from api.subscribers import FELL_BEHIND
from infra.bench.fanout import Options, bench_fanout
from infra.bench.fanout.baseline import Broadcaster
from infra.bench.fanout.figures import Tally
from infra.bench.fanout.report import summary, table
from infra.bench.fanout.subscribers import PROTOCOL, Subscribers
from infra.cli import cli
from infra.loopback import PostgresServer
from infra.settings import Settings

TINY = Options(subscribers=(20,), clients=2, seconds=2, step_seconds=1, steps=2)


@pytest.mark.postgres
def test_the_benchmark_reports_gridcenter_beside_the_raw_broadcast(
    postgres_server: PostgresServer,
) -> None:
    said: list[str] = []
    settings = Settings(database_url=postgres_server.create_database())  # Redis: throwaway
    (run,) = bench_fanout(settings, TINY, said.append)

    for system in ("gridcenter", "baseline"):
        first = run.of(system)[0]
        assert first.rate == 50 and first.subscribers == 20
        assert first.sent.recorded > 0, said
        assert first.tally.updates > 0 and first.deliveries > 0, said
        assert not math.isnan(first.p50) and first.p50 <= first.p99, said
        assert 0 < first.delivered <= 1.0, said
        assert first.cores is not None and 0 <= first.cores.stolen <= 1, said  # /proc/stat
    ours = run.of("gridcenter")[0]
    assert ours.sent.answers  # the mutations' answer times
    # every report's commit instant was read, and it came after its stamp
    assert len(ours.committed) == ours.sent.recorded, said
    assert all(0 <= seconds < 30 for seconds in ours.committed.values())
    assert ours.p99 <= ours.stamped_p99
    assert not run.of("baseline")[0].committed

    console = Console(width=200, record=True)
    console.print(table([run]))
    shown = console.export_text()
    assert "gridcenter" in shown and "baseline" in shown
    lines = summary(run, 50)
    assert any(line.startswith("  at 50/s: gridcenter p50") for line in lines)
    assert any(re.match(r"  the cores meanwhile: gridcenter idle \d+%, stolen", n) for n in lines)


def test_the_numbers_of_subscribers_must_be_numbers() -> None:
    answer = CliRunner().invoke(cli, ["bench", "fanout", "--subscribers", "many"])
    assert answer.exit_code == 2
    assert "--subscribers" in answer.output


def test_the_subscribers_tally_frames_and_the_close_code_of_a_server_that_closes() -> None:
    async def run() -> tuple[Tally, int]:
        broadcaster = Broadcaster(["A", "B", "C"])
        async with serve(broadcaster.handle, "127.0.0.1", 0, subprotocols=[PROTOCOL]) as server:
            port = server.sockets[0].getsockname()[1]
            subscribers = Subscribers()
            failed = await subscribers.top_up([f"ws://127.0.0.1:{port}/"], 3, {}, 0)
            assert not failed
            assert len(subscribers.live) == 3 and subscribers.grids == 3
            await broadcaster.broadcast(rate=50, seconds=0.1)  # five frames, one grid each
            for connection in list(broadcaster.connections):
                await connection.close(FELL_BEHIND, "fell behind")
            for _ in range(50):
                if not subscribers.live:
                    break
                await asyncio.sleep(0.05)
            return subscribers.take(), len(subscribers.live)

    tally, live = asyncio.run(run())
    assert live == 0
    assert tally.frames == 15 and tally.updates == 15 and not tally.refreshes
    assert tally.closed == Counter({FELL_BEHIND: 3})
