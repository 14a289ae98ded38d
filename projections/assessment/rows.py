"""The assessment view's tables — day tallies per subject, the facts of each case that
decide where it counts, and the grids' duty and the visits their households are due — and the
writing of tallies, which every part of the fold shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from projections.periods import local_day
from projections.view import Rows, Table, row_type

NAME = "assessment"


@row_type
class Tally:
    """What one subject counted on one local day: a department's, a grid's or a grid
    worker's counters (domain.assessment's CaseCounts and FieldCounts, but visits due),
    only those not zero. Weeks and months are the sums of their days."""

    subject: str  # department, grid, worker
    code: str  # department code, grid code, staff id
    day: str  # the local (CST) day, 'YYYY-MM-DD'
    counts: dict[str, int]


@row_type
class CaseFacts:
    """Where a case counts, and for whom. Days are local days; who is a staff id."""

    id: str
    grid: str
    reported_day: str
    reporter: str | None = None  # the grid worker or supervisor who reported it
    public: bool = False  # first reported through a public channel: needs 核实
    status: str = "reported"  # reported, filed, resolved (on the spot), rejected, merged
    valid: bool = False  # a valid report (有效上报)
    ended_at: datetime | None = None  # rejected or merged
    filed_day: str | None = None
    filed_duty: str | None = None  # the grid's worker on duty when it was filed
    check_due: datetime | None = None  # 核实 limit
    check_duty: str | None = None  # the grid's worker on duty when it was reported
    checked_at: datetime | None = None
    checker: str | None = None
    department: str | None = None  # dispatched to, until it returns the case
    dispatched_day: str | None = None
    handled_day: str | None = None  # its last handling
    on_time: bool = False
    handling_seconds: int = 0
    overdue_day: str | None = None  # its deadline in force passed, unhandled
    closed: bool = False
    verify_due: datetime | None = None  # 核查 limit of the handling awaiting verification
    verify_duty: str | None = None  # the grid's worker on duty when it was handled


@dataclass
class GridDuty:
    """A grid as it stood at the end of a local day on which it changed: its worker on
    duty, households and the visits they are due a year. Not frozen: the fold edits its
    working copy in place (`Rows.edit`) rather than copy it for every household."""

    grid: str
    day: str
    worker: str | None
    households: int
    visits_due: int


@row_type
class OnDuty:
    """A grid's worker on duty, as the case tallies need it: for whom a check is due and
    whose grid missed a report."""

    grid: str
    worker: str


tallies = Table("assessment_tallies", Tally, key=("subject", "code", "day"))
facts = Table("assessment_cases", CaseFacts, key=("id",))
on_duty = Table("assessment_on_duty", OnDuty, key=("grid",))
duties = Table("assessment_grids", GridDuty, key=("grid",))
"""Each grid as it stands now, that is at the end of the last day it changed."""
duty_days = Table("assessment_grid_days", GridDuty, key=("grid", "day"))
"""Each grid as it stood at the end of the earlier days it changed."""


class Counted(NamedTuple):
    """What one part of a case (or one event) counts: counter changes, none of them 0, in
    the tallies named, of one day: a grid's, and a department's or a grid worker's. Parts
    are compared before and after an event, so what did not move costs a comparison of
    small tuples, and what did is written as the difference of the two."""

    moved: dict[str, int]
    keys: tuple[TallyKey, ...]  # (subject, code, day) of each tally counted in


TallyKey = tuple[str, str, str]


def counted(
    day: str, counts: dict[str, int], grid: str, subject: str, code: str | None
) -> Counted | None:
    """The counts of one day for a grid and for one other subject, a department or a grid
    worker (a code None is nobody). `counts` is kept as it is if none of them is 0: a
    part gives a dict of its own, and counting only reads it."""
    moved = counts if 0 not in counts.values() else {c: n for c, n in counts.items() if n}
    if not moved:
        return None
    key = ("grid", grid, day)
    return Counted(moved, (key,) if code is None else (key, (subject, code, day)))


def recount(rows: Rows, before: Counted | None, after: Counted | None) -> None:
    """Count `after` instead of `before`: only the counters that move (closing a handled
    case moves two of its five), so fewer tallies are written."""
    if before is None:
        if after is not None:
            count(rows, after)
    elif after is None:
        count(rows, before, -1)
    elif before.keys == after.keys:
        moved = dict(after.moved)
        add(moved, before.moved, -1)
        if moved:
            count(rows, Counted(moved, after.keys))
    else:  # another day or someone else: net what the two share
        net = {key: {c: -n for c, n in before.moved.items()} for key in before.keys}
        for key in after.keys:
            add(net.setdefault(key, {}), after.moved)
        for key, change in net.items():
            if change:
                count(rows, Counted(change, (key,)))


def count(rows: Rows, found: Counted, sign: int = 1) -> None:
    """Add what `found` counts (or take it back, sign -1) in the tallies it names; a tally
    whose counters all come back to 0 goes (and comes back as a new row if a later event
    counts in it again)."""
    moved = found.moved
    for key in found.keys:
        counts = rows.edit(tallies, key, _blank, key).counts
        add(counts, moved, sign)
        if not counts:
            rows.delete(tallies, key)
        if rows.notices:
            rows.tell(NAME, f"{key[0]}/{key[1]}")


def _blank(key: TallyKey) -> Tally:
    return Tally(*key, {})


def add(counts: dict[str, int], moved: dict[str, int], sign: int = 1) -> None:
    """Add counter changes in place (or take them off, sign -1); a counter at 0 goes."""
    for counter, n in moved.items():
        total = counts.get(counter, 0) + sign * n
        if total:
            counts[counter] = total
        else:
            del counts[counter]


@lru_cache(maxsize=1 << 16)
def day_of(at: datetime) -> str:
    """Cached: a survey records thousands of events at one instant."""
    return local_day(at).isoformat()
