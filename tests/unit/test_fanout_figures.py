"""The fan-out benchmark's arithmetic: latencies count from each report's commit."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from infra.bench.fanout.figures import BUCKET, Sent, Step, Tally, stamp_of

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
