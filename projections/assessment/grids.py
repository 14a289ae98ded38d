"""The grids in the assessment, a view of their own: each grid's worker on duty and the
visits its households are due a year, as it stands now and as it stood at the end of
each earlier day it changed (the visits due of a period accrue from these by the day).

Household events are most of the log and nothing else in the assessment needs them, so
this part is a separate fold from the case tallies: a rebuild runs the two side by side."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from domain.visits import Tag, visits_due_a_year
from projections.assessment.rows import GridDuty, duties, duty_days
from projections.records import Record
from projections.view import Rows, changed

name = "assessment_grids"
version = 2
tables = (duties, duty_days)


def apply(record: Record, rows: Rows) -> None:
    FOLDS[record.name](record, rows)


def _staffed(r: Record, rows: Rows) -> None:
    duty = _duty(r, rows, r["code"])
    duty.worker = r["worker"] or duty.worker


def _registered(r: Record, rows: Rows) -> None:
    duty = _duty(r, rows, r["grid"])
    duty.households += 1
    duty.visits_due += _visits_due(tuple(r["tags"]))


def _retagged(r: Record, rows: Rows) -> None:
    """Household events carry the grid and the tags after the change."""
    tags, tag = tuple(r["tags"]), r["tag"]
    before = (*tags, tag) if r.name == "HouseholdUntagged" else tuple(t for t in tags if t != tag)
    change = _visits_due(tags) - _visits_due(before)
    if change:
        _duty(r, rows, r["grid"]).visits_due += change


def _moved_out(r: Record, rows: Rows) -> None:
    duty = _duty(r, rows, r["grid"])
    duty.households -= 1
    duty.visits_due -= _visits_due(tuple(r["tags"]))


FOLDS: dict[str, Callable[[Record, Rows], None]] = {
    "GridStaffed": _staffed,
    "HouseholdRegistered": _registered,
    "HouseholdTagged": _retagged,
    "HouseholdUntagged": _retagged,
    "HouseholdMovedOut": _moved_out,
}
events = frozenset(FOLDS)


def _duty(r: Record, rows: Rows, grid: str) -> GridDuty:
    """The grid as it stands now, for the event to change: the first change of a later
    day keeps how it stood at the end of the day before. (A change recorded late, dated
    before the grid's last change, counts from the day of that last change.)"""
    day = r.day
    duty: GridDuty = rows.edit(duties, (grid,), GridDuty, grid, day, None, 0, 0)
    if day > duty.day:
        rows.put(duty_days, changed(duty))  # how it stood at the end of its last day
        duty.day = day
    if rows.notices:
        rows.tell(name, grid)
    return duty


@cache
def _visits_due(tags: tuple[str, ...]) -> int:
    """A year; households share a few combinations of tags (in any order)."""
    return visits_due_a_year(frozenset(Tag(tag) for tag in tags))
