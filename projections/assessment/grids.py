"""The grids in the assessment: who is on duty (for whom a check is due and whose grids
miss reports), the households and the visits they are due a year — as each grid stands
now and as it stood at the end of each earlier day it changed — and the visits made."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from domain.visits import Tag, visits_due_a_year
from projections.assessment.rows import (
    NAME,
    GridDuty,
    count,
    day_of,
    duties,
    duty_days,
    items,
)
from projections.records import Record
from projections.view import Rows, changed


def _staffed(r: Record, rows: Rows) -> None:
    _duty_changed(r, rows, r["code"], worker=r["worker"])


def _registered(r: Record, rows: Rows) -> None:
    _duty_changed(r, rows, r["grid"], households=1, visits_due=_visits_due(tuple(r["tags"])))


def _retagged(r: Record, rows: Rows) -> None:
    """Household events carry the grid and the tags after the change."""
    tags, tag = tuple(r["tags"]), r["tag"]
    before = (*tags, tag) if r.name == "HouseholdUntagged" else tuple(t for t in tags if t != tag)
    change = _visits_due(tags) - _visits_due(before)
    if change:
        _duty_changed(r, rows, r["grid"], visits_due=change)


def _moved_out(r: Record, rows: Rows) -> None:
    _duty_changed(r, rows, r["grid"], households=-1, visits_due=-_visits_due(tuple(r["tags"])))


def _visited(r: Record, rows: Rows) -> None:
    count(items(day_of(r.at), {"visits": 1}, ("grid", r["grid"]), ("worker", r.by["id"])), rows)


FOLDS: dict[str, Callable[[Record, Rows], None]] = {
    "GridStaffed": _staffed,
    "HouseholdRegistered": _registered,
    "HouseholdTagged": _retagged,
    "HouseholdUntagged": _retagged,
    "HouseholdMovedOut": _moved_out,
    "VisitRecorded": _visited,
}


def _duty_changed(
    r: Record,
    rows: Rows,
    grid: str,
    households: int = 0,
    visits_due: int = 0,
    worker: str | None = None,
) -> None:
    """The grid as it stands now; the first change of a later day keeps how it stood at
    the end of the day before. (A change recorded late, dated before the grid's last
    change, counts from the day of that last change.)"""
    day = day_of(r.at)
    duty = rows.edit(duties, (grid,), lambda: GridDuty(grid, day, worker, 0, 0))
    if day > duty.day:
        rows.put(duty_days, changed(duty))  # how it stood at the end of its last day
        duty.day = day
    duty.worker = worker or duty.worker
    duty.households += households
    duty.visits_due += visits_due
    rows.tell(NAME, f"grid/{grid}")


@cache
def _visits_due(tags: tuple[str, ...]) -> int:
    """A year; households share a few combinations of tags (in any order)."""
    return visits_due_a_year(frozenset(Tag(tag) for tag in tags))
