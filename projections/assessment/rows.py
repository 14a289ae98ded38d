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


tallies = Table("assessment_tallies", Tally, key=("subject", "code", "day"))
facts = Table("assessment_cases", CaseFacts, key=("id",))
duties = Table("assessment_grids", GridDuty, key=("grid",))
"""Each grid as it stands now, that is at the end of the last day it changed."""
duty_days = Table("assessment_grid_days", GridDuty, key=("grid", "day"))
"""Each grid as it stood at the end of the earlier days it changed."""

Item = tuple[str, str, str, str, int]
"""(subject, code, day, counter, amount): one change to a tally."""


def items(day: str, counts: dict[str, int], *whom: tuple[str, str | None]) -> list[Item]:
    """The counts of one day for each (subject, code) named; a code None is nobody."""
    return [
        (subject, code, day, counter, n)
        for subject, code in whom
        if code is not None
        for counter, n in counts.items()
        if n
    ]


def count(found: list[Item], rows: Rows) -> None:
    """Add the items up by tally and write the tallies they change; a tally whose
    counters all come back to 0 goes."""
    by_tally: dict[tuple[str, str, str], dict[str, int]] = {}
    for subject, code, day, counter, n in found:
        key = (subject, code, day)
        amounts = by_tally.get(key)
        if amounts is None:
            by_tally[key] = {counter: n}
        else:
            amounts[counter] = amounts.get(counter, 0) + n
    for key, amounts in by_tally.items():
        subject, code, day = key
        counts = rows.edit(tallies, key, partial(Tally, subject, code, day, {})).counts
        for counter, n in amounts.items():
            total = counts.get(counter, 0) + n
            if total:
                counts[counter] = total
            else:
                counts.pop(counter, None)
        if not counts:
            rows.delete(tallies, key)
        rows.tell(NAME, f"{key[0]}/{key[1]}")


@lru_cache(maxsize=1 << 16)
def day_of(at: datetime) -> str:
    """Cached: a survey records thousands of events at one instant."""
    return local_day(at).isoformat()
