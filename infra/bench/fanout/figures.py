"""What the fan-out benchmark counts and how it reads it: each client process keeps a
Tally of the frames and grid updates it received and of their latencies from the
report's recorded instant (its stamp), in buckets of 0.1 ms kept by stamp, the tallies
of all client processes are added up, and a Step is one rate held for some seconds, by
gridcenter or by the raw broadcast. A step also knows when each of its reports was
committed (PostgreSQL's commit timestamps): a latency from commit to delivery is one
from the stamp less the time the command took from its stamp to its commit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

BUCKET = 10_000
"""Latency buckets a second: 0.1 ms."""
SUSTAINED_P99 = 1.0
"""Seconds: a rate is sustained while the p99 latency stays below this (no backlog
building up), every update arrives and no subscriber is closed."""
DELIVERED = 0.99
"""The share of the updates due that must arrive for a rate to count as sustained."""
KEPT_UP = 0.95
"""The share of the offered commands (or broadcasts) that must be recorded, and of the
rate offered that they must reach."""


Stamp = int
"""A report's recorded instant in microseconds since the epoch, as a frame carries it."""


def stamp_of(instant: datetime) -> Stamp:
    return round(instant.timestamp() * 1_000_000)


@dataclass
class Tally:
    """What subscribers received: frames, the grid updates in them (one a commit), their
    latencies from each report's stamp by stamp (stamp, bucket), and the close codes of
    connections the server closed."""

    frames: int = 0
    updates: int = 0
    refreshes: int = 0
    """Frames that held every grid again (the server had missed notices): not timed."""
    octets: int = 0
    first: float = float("inf")
    last: float = 0.0
    arrivals: Counter[tuple[Stamp, int]] = field(default_factory=Counter)
    closed: Counter[int] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.frames += other.frames
        self.updates += other.updates
        self.refreshes += other.refreshes
        self.octets += other.octets
        self.first = min(self.first, other.first)
        self.last = max(self.last, other.last)
        self.arrivals.update(other.arrivals)
        self.closed.update(other.closed)

    def latencies(self, committed: Mapping[Stamp, float]) -> Counter[int]:
        """Latencies in buckets, each from its report's commit: `committed` holds the
        seconds from a stamp to its commit (a stamp not in it counts from the stamp)."""
        found: Counter[int] = Counter()
        for (stamp, bucket), count in self.arrivals.items():
            found[max(bucket - round(committed.get(stamp, 0.0) * BUCKET), 0)] += count
        return found

    def percentile(self, share: float, committed: Mapping[Stamp, float]) -> float:
        """Seconds from commit to delivery that `share` of the updates stayed within."""
        latencies = self.latencies(committed)
        total = sum(latencies.values())
        if not total:
            return float("nan")
        wanted, seen = share * total, 0
        for bucket in sorted(latencies):
            seen += latencies[bucket]
            if seen >= wanted:
                return (bucket + 1) / BUCKET
        return max(latencies) / BUCKET

    @property
    def span(self) -> float:
        """Seconds from the first update received to the last."""
        return max(self.last - self.first, 0.0)


@dataclass(frozen=True)
class Sent:
    """What the sender of a step did: commands recorded (mutations answered Recorded, or
    frames broadcast), refused or failed, over how many seconds, and the mutations'
    answer times (gridcenter only)."""

    offered: int
    recorded: int
    failed: int
    seconds: float
    answers: tuple[float, ...] = ()

    @property
    def rate(self) -> float:
        return self.recorded / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Cores:
    """Shares of the machine's CPU time over a step, from /proc/stat: idle, and stolen
    (the host ran another guest while this one had work)."""

    idle: float
    stolen: float


CpuTimes = tuple[int, ...]
"""The machine's CPU time by state (/proc/stat's first line: user, nice, system, idle,
iowait, irq, softirq, steal, ...), in ticks."""


def cpu_times(stat: str = "/proc/stat") -> CpuTimes | None:
    """None where there is no /proc/stat (not Linux)."""
    try:
        with open(stat) as lines:
            first = lines.readline().split()
    except OSError:
        return None
    return tuple(int(ticks) for ticks in first[1:])


def cores_between(before: CpuTimes | None, after: CpuTimes | None) -> Cores | None:
    if before is None or after is None:
        return None
    spent = [late - early for early, late in zip(before[:8], after[:8], strict=True)]
    total = sum(spent)  # the guests' time is in user's already
    if len(spent) < 8 or total <= 0:
        return None
    return Cores(idle=(spent[3] + spent[4]) / total, stolen=spent[7] / total)


@dataclass(frozen=True)
class Step:
    system: str  # "gridcenter" or "baseline"
    rate: float  # commands (or broadcasts) offered a second
    subscribers: int
    sent: Sent
    tally: Tally
    committed: Mapping[Stamp, float] = field(default_factory=dict)
    """Seconds from each report's stamp to its commit (gridcenter only: a raw broadcast
    is 'committed' as it is stamped)."""
    cores: Cores | None = None

    @property
    def due(self) -> int:
        """Updates the subscribers should receive: every commit, to every subscriber."""
        return self.sent.recorded * self.subscribers

    @property
    def delivered(self) -> float:
        return self.tally.updates / self.due if self.due else 0.0

    @property
    def deliveries(self) -> float:
        """Updates delivered a second, over the span they arrived in."""
        span = self.tally.span
        return self.tally.updates / span if span else 0.0

    @property
    def frames(self) -> float:
        span = self.tally.span
        return self.tally.frames / span if span else 0.0

    @cached_property
    def p50(self) -> float:
        """From commit to delivery."""
        return self.tally.percentile(0.50, self.committed)

    @cached_property
    def p99(self) -> float:
        """From commit to delivery."""
        return self.tally.percentile(0.99, self.committed)

    @cached_property
    def stamped_p99(self) -> float:
        """From the report's stamp, the command's write included."""
        return self.tally.percentile(0.99, {})

    @property
    def commit_p50(self) -> float:
        """From a report's stamp to its commit: the command's own write."""
        ordered = sorted(self.committed.values())
        return ordered[len(ordered) // 2] if ordered else float("nan")

    @property
    def kept_up(self) -> bool:
        """The sender recorded (nearly) every command, at (nearly) the rate offered."""
        sent = self.sent
        return sent.recorded >= KEPT_UP * sent.offered and sent.rate >= KEPT_UP * self.rate

    @property
    def sustained(self) -> bool:
        return (
            self.kept_up
            and self.delivered >= DELIVERED
            and not self.tally.closed
            and self.p99 < SUSTAINED_P99
        )

    @property
    def failures(self) -> list[str]:
        """Why the rate is not sustained, in words."""
        found = []
        if not self.kept_up:
            found.append(
                f"{self.sent.recorded} of {self.sent.offered} recorded, {self.sent.rate:,.1f}/s"
            )
        if self.delivered < DELIVERED:
            found.append(f"delivered {self.delivered:.1%}")
        if self.tally.closed:
            codes = ", ".join(f"{n}×{code}" for code, n in sorted(self.tally.closed.items()))
            found.append(f"closed {codes}")
        if not self.p99 < SUSTAINED_P99:
            found.append(f"p99 ≥ {SUSTAINED_P99:g} s")
        return found
