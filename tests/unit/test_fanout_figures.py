"""The fan-out benchmark's arithmetic: latencies count from each report's commit."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import pytest

from infra.bench.fanout.figures import (
    BUCKET,
    Cores,
    Sent,
    Step,
    Tally,
    cores_between,
    cpu_times,
    stamp_of,
)

STAMP = stamp_of(datetime(2026, 12, 2, 3, 0, tzinfo=UTC))
OTHER = STAMP + 20_000  # stamped 20 ms later


def tally(*arrivals: tuple[int, float, int]) -> Tally:
    """(stamp, seconds from the stamp to the receive instant, how many)."""
    found = Tally()
    for stamp, seconds, count in arrivals:
        found.arrivals[stamp, int(seconds * BUCKET)] += count
        found.updates += count
    return found


def step(received: Tally, committed: dict[int, float]) -> Step:
    return Step("gridcenter", 50, 2, Sent(2, 2, 0, 1.0), received, committed)


def test_a_latency_counts_from_its_reports_commit_not_its_stamp() -> None:
    measured = step(tally((STAMP, 0.120, 2), (OTHER, 0.300, 2)), {STAMP: 0.050, OTHER: 0.100})
    assert measured.p50 == pytest.approx(0.0701)  # 120 ms from the stamp, 50 ms writing
    assert measured.p99 == pytest.approx(0.2001)
    assert measured.stamped_p99 == pytest.approx(0.3001)
    assert measured.commit_p50 == pytest.approx(0.100)


def test_a_report_without_a_known_commit_counts_from_its_stamp() -> None:
    measured = step(tally((STAMP, 0.120, 1)), {})
    assert measured.p50 == measured.stamped_p99 == pytest.approx(0.1201)
    assert math.isnan(measured.commit_p50)


def test_tallies_of_client_processes_add_up_by_stamp() -> None:
    total = tally((STAMP, 0.120, 1))
    total.add(tally((STAMP, 0.120, 2), (OTHER, 0.010, 1)))
    assert total.arrivals == {(STAMP, 1200): 3, (OTHER, 100): 1}
    assert total.updates == 4


def test_a_step_knows_the_shares_of_cpu_time_idle_and_stolen_by_the_host(tmp_path: Path) -> None:
    stat = tmp_path / "stat"
    stat.write_text("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3\n")
    before = cpu_times(str(stat))
    stat.write_text("cpu  600 0 150 1000 100 0 0 150 70 0\ncpu0 1 2 3\n")  # guest: in user
    cores = cores_between(before, cpu_times(str(stat)))
    assert cores == Cores(idle=pytest.approx(0.25), stolen=pytest.approx(0.15))


def test_without_proc_stat_a_step_says_nothing_of_the_cores(tmp_path: Path) -> None:
    assert cpu_times(str(tmp_path / "missing")) is None
    assert cores_between(None, (1, 2, 3, 4, 5, 6, 7, 8)) is None
