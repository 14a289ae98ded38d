"""`gridcenter bench fanout`: the live wall map delivered to many websocket subscribers,
beside a raw websockets broadcast of the same payloads to the same subscribers, in the
same run.

The deployment (deployment.py) runs on loopback: PostgreSQL, Redis, two API nodes and
a projection worker, each a process. Client processes (subscribers.py) hold the
subscribers, spread evenly over the two nodes; the benchmark's own process sends the
reports (commands.py). For each number of subscribers, each system runs at the first
rate (50 commands a second) a few seconds unmeasured (warm_up), holds it for a while,
then climbs a ramp of rates, a few seconds each, until one is not sustained (figures.py
says when a rate is) — or, if the first is not, steps down until one is. The raw
baseline (baseline.py) then does the same with its own broadcasts, one server process
in the place of each node."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from infra.bench.fanout import baseline, subscribers
from infra.bench.fanout.commands import Commands
from infra.bench.fanout.commits import Commits
from infra.bench.fanout.deployment import deployed
from infra.bench.fanout.figures import Sent, Step, Tally, cores_between, cpu_times
from infra.loopback import ServerUnavailableError, free_port
from infra.settings import Settings

__all__ = ["FanoutFailed", "Options", "Run", "Step", "bench_fanout"]

RATES: tuple[int, ...] = (1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300, 400)
RATES += (600, 800, 1200, 1600, 2400, 3200, 4800, 6400)
"""The ramp's rates, commands (or broadcasts) a second."""
QUIET = 2.0
"""Seconds without a delivery after which a step's stragglers are not waited for."""
DRAIN_LIMIT = 30.0
"""Seconds a step waits for its deliveries after the last command at most."""

Say = Callable[[str], None]
Sender = Callable[[float, float], Awaitable[Sent]]


class FanoutFailed(RuntimeError):
    """The benchmark could not run: a server did not start, subscribers could not connect."""


@dataclass(frozen=True)
class Options:
    subscribers: tuple[int, ...] = (1000, 5000)
    clients: int = 4
    """Client processes holding the subscribers."""
    rate: float = 50.0
    """The first rate, commands a second."""
    seconds: float = 10.0
    """Seconds the first rate is held."""
    step_seconds: float = 5.0
    """Seconds each further rate of the ramp is held."""
    steps: int = 16
    """Rates tried at most, the first included."""
    warm_up: float = 3.0
    """Seconds each system runs at the first rate, unmeasured, before its first step: a
    node opens the database connections it needs as commands first come, a second or
    two of slow commands that are not what a rate costs."""


@dataclass(frozen=True)
class Run:
    subscribers: int
    clients: int
    steps: tuple[Step, ...]
    opened: Mapping[str, float]
    """Seconds each system took to take all subscribers in (their first answers)."""

    def of(self, system: str) -> list[Step]:
        return [step for step in self.steps if step.system == system]

    def best(self, system: str) -> Step | None:
        """The highest rate `system` sustained."""
        held = [step for step in self.of(system) if step.sustained]
        return max(held, key=lambda step: step.rate, default=None)

    def at(self, system: str, rate: float) -> Step | None:
        return next((step for step in self.of(system) if step.rate == rate), None)


def bench_fanout(settings: Settings, options: Options, say: Say) -> list[Run]:
    try:
        return asyncio.run(_bench(settings, options, say))
    except ServerUnavailableError as error:
        raise FanoutFailed(str(error)) from error


async def _bench(settings: Settings, options: Options, say: Say) -> list[Run]:
    runs = []
    with (
        deployed(settings, say) as deployment,
        _processes(options.clients, deployment.codes) as (clients, baselines),
    ):
        commands = Commands(deployment.addresses, deployment.tokens, deployment.targets)
        commits = Commits(deployment.database)
        if not commits.known:
            say("PostgreSQL keeps no commit timestamps: latencies count from each report's stamp")
        signed_in = {"Authorization": f"Bearer {deployment.tokens[0]}"}
        try:
            for count in options.subscribers:
                steps, opened = [], {}
                for system, urls, init, send, committed in (
                    ("gridcenter", deployment.urls, signed_in, commands.send, commits),
                    ("baseline", baselines.urls, {}, baselines.broadcast, None),
                ):
                    measured = _Measured(system, count, clients, urls, init, send, say, committed)
                    opened[system] = await measured.open()
                    await measured.warm_up(options.rate, options.warm_up)
                    steps += await _ramp(measured.step, options)
                    await clients.call("close")
                runs.append(Run(count, options.clients, tuple(steps), opened))
        finally:
            await commands.close()
    return runs


class _Measured:
    """One system at one number of subscribers: its steps, measured the same way."""

    def __init__(
        self,
        system: str,
        count: int,
        clients: _Clients,
        urls: list[str],
        init: Mapping[str, Any],
        send: Sender,
        say: Say,
        commits: Commits | None,
    ) -> None:
        """`commits`: where the reports' commit instants are read (gridcenter only)."""
        self.system, self.count, self.clients, self.urls = system, count, clients, urls
        self.init, self.send, self.say, self.commits = init, send, say, commits

    async def open(self) -> float:
        started = time.monotonic()
        errors = await self.clients.top_up(self.urls, self.count, self.init)
        if errors:
            raise FanoutFailed(
                f"{len(errors)} of {self.count:,} subscribers could not subscribe to "
                f"{self.system}: {errors[0]}"
            )
        opened = time.monotonic() - started
        self.say(f"{self.system}: {self.count:,} subscribers took in, in {opened:.1f} s")
        return opened

    async def warm_up(self, rate: float, seconds: float) -> None:
        """Send at `rate` for `seconds` and let the updates arrive, counting nothing."""
        sent = await self.send(rate, seconds)
        await self.clients.drained(sent.recorded * self.count)
        await self.clients.take()

    async def step(self, rate: float, seconds: float) -> Step:
        await self.clients.top_up(self.urls, self.count, self.init)  # any closed, again
        await self.clients.take()
        head = await asyncio.to_thread(self.commits.head) if self.commits else 0
        before = cpu_times()
        sent = await self.send(rate, seconds)
        await self.clients.drained(sent.recorded * self.count)
        cores = cores_between(before, cpu_times())
        tally = await self.clients.take()
        committed = await asyncio.to_thread(self.commits.since, head) if self.commits else {}
        step = Step(self.system, rate, self.count, sent, tally, committed, cores)
        verdict = "sustained" if step.sustained else "not sustained: " + "; ".join(step.failures)
        machine = (
            "" if cores is None else f" (cores idle {cores.idle:.0%}, stolen {cores.stolen:.0%})"
        )
        self.say(
            f"{self.system} {self.count:,} subscribers, {rate:g}/s: "
            f"{step.deliveries:,.0f} deliveries/s, p50 {step.p50 * 1000:.1f} ms, "
            f"p99 {step.p99 * 1000:.1f} ms from commit, {verdict}{machine}"
        )
        return step


async def _ramp(measure: Callable[[float, float], Awaitable[Step]], options: Options) -> list[Step]:
    """The first rate, then up the ramp while sustained (or down it until sustained)."""
    first = await measure(options.rate, options.seconds)
    steps = [first]
    up = [rate for rate in RATES if rate > options.rate]
    down = [rate for rate in reversed(RATES) if rate < options.rate]
    for rate in up if first.sustained else down:
        if len(steps) >= options.steps:
            break
        step = await measure(rate, options.step_seconds)
        steps.append(step)
        if step.sustained != first.sustained:
            break
    return steps


class _Clients:
    """The client processes, driven over their pipes."""

    def __init__(self, pipes: Sequence[Connection]) -> None:
        self.pipes = list(pipes)
        self._opened = 0

    async def call(self, *command: Any) -> list[Any]:
        for pipe in self.pipes:
            pipe.send(command)
        return list(await asyncio.gather(*(asyncio.to_thread(p.recv) for p in self.pipes)))

    async def top_up(self, urls: list[str], count: int, init: Mapping[str, Any]) -> list[str]:
        """Spread `count` subscribers over the processes and, in each, over the urls."""
        shares = [
            count // len(self.pipes) + (n < count % len(self.pipes)) for n in range(len(self.pipes))
        ]
        for n, (pipe, share) in enumerate(zip(self.pipes, shares, strict=True)):
            pipe.send(("top up", urls, share, dict(init), n))
        found = await asyncio.gather(*(asyncio.to_thread(p.recv) for p in self.pipes))
        return [error for errors in found for error in errors]

    async def take(self) -> Tally:
        total = Tally()
        for tally in await self.call("take"):
            total.add(tally)
        return total

    async def drained(self, due: int) -> None:
        """Wait until `due` updates arrived, or none for QUIET seconds."""
        deadline = time.monotonic() + DRAIN_LIMIT
        seen, quiet_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            now, received = time.monotonic(), sum(await self.call("count"))
            if received >= due:
                return
            if received != seen:
                seen, quiet_since = received, now
            elif now - quiet_since > QUIET:
                return
            await asyncio.sleep(0.2)


class _Baselines:
    """The raw broadcast servers, one in the place of each node."""

    def __init__(self, pipes: Sequence[Connection], ports: Sequence[int]) -> None:
        self.pipes, self.urls = list(pipes), [f"ws://127.0.0.1:{port}/" for port in ports]

    async def broadcast(self, rate: float, seconds: float) -> Sent:
        for pipe in self.pipes:
            pipe.send(("broadcast", rate, seconds))
        sent = await asyncio.gather(*(asyncio.to_thread(p.recv) for p in self.pipes))
        offered = min(s.offered for s in sent)
        return Sent(offered, min(s.recorded for s in sent), 0, max(s.seconds for s in sent))


@contextmanager
def _processes(clients: int, codes: Sequence[str]) -> Iterator[tuple[_Clients, _Baselines]]:
    """The client processes and the two baseline servers, stopped at the end."""
    spawn = multiprocessing.get_context("spawn")
    started: list[tuple[multiprocessing.context.SpawnProcess, Connection]] = []
    try:
        ours = []
        for _ in range(clients):
            mine, theirs = spawn.Pipe()
            process = spawn.Process(target=subscribers.run, args=(theirs,), daemon=True)
            process.start()
            started.append((process, mine))
            ours.append(mine)
        pipes, ports = [], [free_port(), free_port()]
        for port in ports:
            mine, theirs = spawn.Pipe()
            process = spawn.Process(target=baseline.run, args=(port, codes, theirs), daemon=True)
            process.start()
            started.append((process, mine))
            pipes.append(mine)
            if not mine.poll(60) or mine.recv() != "listening":
                raise FanoutFailed(f"the baseline server on port {port} did not start")
        yield _Clients(ours), _Baselines(pipes, ports)
    finally:
        for process, pipe in started:
            with suppress(OSError):
                pipe.send(("stop",))
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
