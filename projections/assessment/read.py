"""Reading the assessment: the figures of a department, a grid or area, or a grid worker
over the day, week or month (CST) that holds a given local day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.assessment import (
    CASE_COUNTS,
    FIELD_COUNTS,
    Assessment,
    CaseCounts,
    FieldCounts,
    assess_department,
    assess_grid,
    assess_worker,
)
from projections.assessment.rows import GridDuty, Tally, duties, duty_days, tallies
from projections.periods import instant, period_end, period_start
from projections.store import Page, ViewStore, Where

TALLIED = frozenset(CASE_COUNTS + FIELD_COUNTS) - {"visit_days"}
"""Visits due are not tallied: they accrue by the day from the grids' duty."""


def department(store: ViewStore, code: str, kind: str, day: date) -> Assessment:
    """A department (by its code) over the day, week or month holding `day`."""
    start, end = _period(kind, day)
    return assess_department(_case_counts(_tallies(store, "department", "=", code, start, end)))


def grid(store: ViewStore, code: str, kind: str, day: date) -> Assessment:
    """A grid, or any area holding grids (community, street, district) by its code."""
    start, end = _period(kind, day)
    found = _tallies(store, "grid", "prefix", code, start, end)
    days = _grid_days(store, Where("grid", "prefix", code), end)
    return assess_grid(_case_counts(found), _field_counts(found, _visit_days(days, start, end)))


def worker(store: ViewStore, staff_id: str, kind: str, day: date) -> Assessment:
    """A grid worker or supervisor (by staff id); visits due are those of the grids while
    they were on duty there."""
    start, end = _period(kind, day)
    found = _tallies(store, "worker", "=", staff_id, start, end)
    their_grids = {d.grid for d in _grid_days(store, Where("worker", "=", staff_id), end)}
    days = [d for g in sorted(their_grids) for d in _grid_days(store, Where("grid", "=", g), end)]
    return assess_worker(_field_counts(found, _visit_days(days, start, end, staff_id)))


def _period(kind: str, day: date) -> tuple[date, date]:
    start = period_start(instant(day), kind)
    return start, period_end(start, kind)


def _tallies(
    store: ViewStore, subject: str, op: str, code: str, start: date, end: date
) -> list[Tally]:
    where = (
        Where("subject", "=", subject),
        Where("code", op, code),
        Where("day", ">=", start.isoformat()),
        Where("day", "<", end.isoformat()),
    )
    return store.select(tallies, Page(where))


def _grid_days(store: ViewStore, which: Where, end: date) -> list[GridDuty]:
    """How the grids stood at the end of each day they changed before `end`, by grid and
    day: the earlier days, and now."""
    page = Page((which, Where("day", "<", end.isoformat())))
    found = store.select(duty_days, page) + store.select(duties, page)
    return sorted(found, key=lambda d: (d.grid, d.day))


def _case_counts(found: Sequence[Tally]) -> CaseCounts:
    return CaseCounts(**_sums(found, CASE_COUNTS))


def _field_counts(found: Sequence[Tally], visit_days: int) -> FieldCounts:
    return FieldCounts(**_sums(found, FIELD_COUNTS), visit_days=visit_days)


def _sums(found: Sequence[Tally], names: Sequence[str]) -> dict[str, int]:
    return {name: sum(t.counts.get(name, 0) for t in found) for name in names if name in TALLIED}


def _visit_days(days: Sequence[GridDuty], start: date, end: date, worker: str | None = None) -> int:
    """Σ over the period's days of the yearly visits due in each grid (only while `worker`
    was on duty, if named). A grid's duty row holds from its day to the next one's."""
    total = 0
    for at, row in enumerate(days):
        following = days[at + 1] if at + 1 < len(days) else None
        if worker is not None and row.worker != worker:
            continue
        since = max(date.fromisoformat(row.day), start)
        until = end
        if following is not None and following.grid == row.grid:
            until = min(date.fromisoformat(following.day), end)
        total += max((until - since).days, 0) * row.visits_due
    return total
