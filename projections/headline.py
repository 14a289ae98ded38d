"""Headline figures (今日概况): what happened in the district each local day, grid by grid —
reports, filings, dispatches, closings — for the wall's big numbers, summed over any area.

Rules:
- A step counts on the local day (China Standard Time) of its business instant, in the
  grid the case was reported in: `reported` (CaseReported, every channel), `filed`,
  `rejected`, `merged`, `dispatched` (each dispatch, re-dispatches after a return too),
  `returned`, `handled`, `closed`, `resolved_on_spot`, `overdue` (deadlines passed that
  day, CaseOverdue) and `rework`.
- Only counters that are not zero are kept.
- Notices name the grid code.
"""

from __future__ import annotations

from datetime import datetime

from projections.periods import local_day
from projections.records import Record
from projections.store import Page, ViewStore, Where
from projections.view import Rows, Table, row_type

name = "headline"
version = 1

COUNTERS = {
    "CaseReported": "reported",
    "CaseFiled": "filed",
    "CaseRejected": "rejected",
    "CaseMerged": "merged",
    "CaseDispatched": "dispatched",
    "CaseReturned": "returned",
    "CaseHandled": "handled",
    "CaseClosed": "closed",
    "CaseResolvedOnSpot": "resolved_on_spot",
    "CaseOverdue": "overdue",
    "ReworkOrdered": "rework",
}


@row_type
class DayCounts:
    """One grid's counters of one local day. Not changed in place but through
    `Rows.edit`, which gives the fold a working copy of its own."""

    day: str  # 'YYYY-MM-DD', China Standard Time
    grid: str
    counts: dict[str, int]


@row_type
class CaseGrid:
    """The grid a case was reported in: the later events of a case do not carry it."""

    id: str
    grid: str


days = Table("headline_days", DayCounts, key=("day", "grid"))
cases = Table("headline_cases", CaseGrid, key=("id",))
tables = (days, cases)
events = frozenset(COUNTERS)


def apply(record: Record, rows: Rows) -> None:
    if record.name == "CaseReported":
        grid = record["grid"]
        rows.put(cases, CaseGrid(record.id, grid))
    else:
        found: CaseGrid | None = rows.get(cases, (record.id,))
        if found is None:
            return  # a case this view never saw reported
        grid = found.grid
    key = (record.day, grid)
    counts = rows.edit(days, key, _new_day, key).counts
    counter = COUNTERS[record.name]
    counts[counter] = counts.get(counter, 0) + 1
    rows.tell(name, grid)


def _new_day(key: tuple[str, str]) -> DayCounts:
    return DayCounts(*key, {})


# Reading ------------------------------------------------------------------------------------


def day_counts(store: ViewStore, now: datetime, area: str = "") -> dict[str, int]:
    """Every counter of the local day holding `now`, summed over the grids under an area
    code (the whole district if none); 0 for what did not happen."""
    where = [Where("day", "=", local_day(now).isoformat())]
    if area:
        where.append(Where("grid", "prefix", area))
    total = dict.fromkeys(COUNTERS.values(), 0)
    for row in store.select(days, Page(tuple(where))):
        for counter, n in row.counts.items():
            total[counter] += n
    return total
