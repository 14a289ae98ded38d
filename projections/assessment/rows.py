"""The assessment view's tables — day tallies per subject, the facts of each case that
decide where it counts, and the grids' duty and the visits their households are due — and the
writing of tallies, which every part of the fold shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial

from projections.periods import local_day
from projections.view import Rows, Table

NAME = "assessment"


@dataclass(frozen=True)
class Tally:
    """What one subject counted on one local day: a department's, a grid's or a grid
    worker's counters (domain.assessment's CaseCounts and FieldCounts, but visits due),
    only those not zero. Weeks and months are the sums of their days."""

    subject: str  # department, grid, worker
    code: str  # department code, grid code, staff id
    day: str  # the local (CST) day, 'YYYY-MM-DD'
    counts: dict[str, int]


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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

Item = tuple[str, str, str, dict[str, int]]
"""(subject, code, day, counter changes): one change to a tally."""


def items(day: str, counts: dict[str, int], *whom: tuple[str, str | None]) -> list[Item]:
    """The counts of one day for each (subject, code) named; a code None is nobody."""
    moved = {counter: n for counter, n in counts.items() if n}
    if not moved:
        return []
    return [(subject, code, day, moved) for subject, code in whom if code is not None]


def recounted(before: list[Item], after: list[Item]) -> list[Item]:
    """What counting `after` instead of `before` changes: only the counters that move
    (closing a handled case moves two of its five), so fewer tallies are written."""
    net: dict[tuple[str, str, str], dict[str, int]] = {}
    for subject, code, day, moved in before:
        net[(subject, code, day)] = {counter: -n for counter, n in moved.items()}
    for subject, code, day, moved in after:
        change = net.get((subject, code, day))
        if change is None:
            net[(subject, code, day)] = dict(moved)
        else:
            add(change, moved)
    return [(s, c, d, change) for (s, c, d), change in net.items() if change]


def count(found: list[Item], rows: Rows) -> None:
    """Write the tallies the items change; a tally whose counters all come back to 0
    goes (and comes back as a new row if a later item counts in it again)."""
    for subject, code, day, moved in found:
        key = (subject, code, day)
        counts = rows.edit(tallies, key, partial(Tally, subject, code, day, {})).counts
        add(counts, moved)
        if not counts:
            rows.delete(tallies, key)
        if rows.notices:
            rows.tell(NAME, f"{subject}/{code}")


def add(counts: dict[str, int], moved: dict[str, int]) -> None:
    """Add counter changes in place; a counter that comes to 0 goes."""
    for counter, n in moved.items():
        total = counts.get(counter, 0) + n
        if total:
            counts[counter] = total
        else:
            del counts[counter]


@lru_cache(maxsize=1 << 16)
def day_of(at: datetime) -> str:
    """Cached: a survey records thousands of events at one instant."""
    return local_day(at).isoformat()
