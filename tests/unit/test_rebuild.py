"""Sharing views out among rebuild processes: groups that finish together, counting the
reading of events their views share once."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest

from infra.rebuild import Costs, balance
from projections.replay import Effort


def view(name: str, *events: str) -> Any:
    return SimpleNamespace(name=name, events=frozenset(events))


HOUSEHOLDS = view("households", "HouseholdRegistered")
COVERAGE = view("coverage", "HouseholdRegistered", "VisitRecorded")
BOARD = view("board", "CaseReported")
TALLIES = view("tallies", "CaseReported", "VisitRecorded")
COUNTS = {"HouseholdRegistered": 1000, "VisitRecorded": 100, "CaseReported": 100}


def measured(read: float, **fold: float) -> Costs:
    costs = Costs()
    costs.read, costs.fold = read, fold
    return costs


def test_views_that_read_the_same_events_go_together_when_reading_dominates() -> None:
    costs = measured(1.0, households=100, coverage=100, board=100, tallies=100)
    groups = balance([HOUSEHOLDS, BOARD, COVERAGE, TALLIES], COUNTS, costs, workers=2)
    assert sorted(map(sorted, groups)) == [["board", "tallies"], ["coverage", "households"]]


def test_a_costly_fold_is_given_a_process_of_its_own() -> None:
    costs = measured(0.001, households=1, coverage=1, board=1, tallies=50)
    groups = balance([HOUSEHOLDS, BOARD, COVERAGE, TALLIES], COUNTS, costs, workers=2)
    assert sorted(map(sorted, groups)) == [["board", "coverage", "households"], ["tallies"]]


def test_before_any_rebuild_folding_an_event_costs_as_much_as_reading_it() -> None:
    costs = Costs()
    assert costs.of([HOUSEHOLDS], COUNTS) == 2000  # read 1000, fold 1000
    assert costs.of([HOUSEHOLDS, COVERAGE], COUNTS) == 1100 + 1000 + 1100  # read once


def test_the_costliest_group_is_as_cheap_as_any_sharing_allows() -> None:
    """Costliest first, each to the cheaper group, would give 3+2+2 | 3+2 = 7; trying every
    sharing finds 3+3 | 2+2+2 = 6."""
    names = {"a": 3, "b": 3, "c": 2, "d": 2, "e": 2}
    views = [view(name, f"E{name}") for name in names]
    costs = measured(0.0, **{name: float(cost) for name, cost in names.items()})
    groups = balance(views, {}, costs, workers=2)
    assert sorted(map(sorted, groups)) == [["a", "b"], ["c", "d", "e"]]


def test_fewer_views_than_processes_leaves_no_group_empty() -> None:
    groups = balance([HOUSEHOLDS, BOARD], COUNTS, Costs(), workers=4)
    assert sorted(map(sorted, groups)) == [["board"], ["households"]]


def test_past_the_search_limit_views_are_shared_out_costliest_first() -> None:
    views = [view(f"v{n}", f"E{n}") for n in range(14)]
    costs = measured(0.0, **{f"v{n}": float(n + 1) for n in range(14)})
    groups = balance(views, {}, costs, workers=3)  # 3**13 sharings: too many to try
    assert sorted(name for group in groups for name in group) == sorted(v.name for v in views)
    loads = [sum(costs.fold[name] for name in group) for group in groups]
    assert max(loads) - min(loads) <= 14  # within one view of even


def test_costs_are_averaged_with_what_the_rebuilds_before_measured() -> None:
    costs = Costs()
    costs.learn([Effort(seconds=3.0, events=1000, views={"board": 1.0, "tallies": 1.0})])
    assert costs.read == pytest.approx(0.001)
    assert costs.fold == {"board": 1.0, "tallies": 1.0}
    costs.learn([Effort(seconds=2.0, events=500, views={"board": 0.5}), Effort(1.5, 500)])
    assert costs.read == pytest.approx(0.002)  # 3 s of reading for 1,000 events, and before
    assert costs.fold == {"board": 0.75, "tallies": 1.0}


def test_once_the_log_is_counted_the_events_read_keep_the_counts_current() -> None:
    costs = Costs()
    read = Effort(events=3, topics=Counter({"a:Case.CaseReported": 3}))
    costs.learn([read])
    assert costs.topics == {}  # what one rebuild read is not all there is
    costs.topics = {"a:Case.CaseReported": 2, "b:Household.HouseholdRegistered": 9}
    costs.learn([read, read])
    assert costs.topics == {"a:Case.CaseReported": 3, "b:Household.HouseholdRegistered": 9}


def test_a_group_that_reads_few_events_still_pays_for_walking_the_log() -> None:
    """Two groups of a rebuild read 80,000 and 250,000 events in 0.55 s and 1.0 s: the
    line through them is 0.34 s a walk through the log and 2.6 µs an event."""
    costs = Costs()
    costs.learn([Effort(seconds=0.55, events=80_000), Effort(seconds=1.0, events=250_000)])
    assert costs.scan == pytest.approx(0.338, abs=0.001)
    assert costs.read == pytest.approx(0.45 / 170_000)
    assert costs.of([BOARD], COUNTS) == pytest.approx(0.338 + 200 * costs.read, abs=0.001)
