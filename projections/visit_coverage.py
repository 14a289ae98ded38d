"""Visit coverage (走访覆盖): per grid and household tag, the visits done this quarter
against the visits due, so supervisors see which households are being missed.

Rules:
- A household is due `visits_due_a_year(tags)` visits a year (four; key households more),
  and a quarter's due is that divided by four, rounded up: an ordinary household 1, a
  low-income one 2, an elderly one living alone 3. A household registered during a
  quarter is due that quarter's full count.
- Done counts a household's visits in the quarter (China Standard Time) capped at its
  due: visiting one household more often does not make up for another not visited.
- A household counts under each of its tags, under "key" if it is a key household, and
  under "all". Dues follow the current tags. A tag change also moves the household's
  capped visits of its latest quarter (the quarter of the change, or a later one it was
  already visited in) to its new tags, so done never exceeds due within a tag; earlier
  quarters keep the figures they had.
- A household that moved out drops out: from the dues, and its visits from the done
  count of the quarter it moved out in.
- The due side is kept per grid and tag, not per quarter, so a quarter with no visits
  yet already shows its due; figures are read for the quarter of `now`, on a view folded
  up to `now` (time travel folds up to a past instant).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from domain.visits import Tag, is_key_household, visits_due_a_year
from projections.periods import quarter
from projections.records import Record
from projections.store import Page, ViewStore, Where
from projections.view import Rows, Table

name = "visit_coverage"
version = 1

ALL, KEY = "all", "key"
"""Pseudo-tags: every household, and the key households (重点户)."""


@dataclass(frozen=True)
class HouseholdRow:
    """A household present in its grid and its visits in the latest quarter it was in."""

    id: str
    code: str
    grid: str
    tags: tuple[str, ...]
    key: bool
    due: int  # visits due a quarter
    quarter: str  # '2026Q1': the latest quarter the household was seen in
    visits: int  # visits in that quarter
    last_visit: datetime | None = None


@dataclass(frozen=True)
class DueRow:
    """Households of a grid under a tag, and the visits they are due each quarter."""

    grid: str
    tag: str
    households: int
    due: int


@dataclass(frozen=True)
class DoneRow:
    """Visits done in a grid under a tag in a quarter, each household's capped at its due."""

    grid: str
    tag: str
    quarter: str
    done: int


households = Table("visit_coverage_households", HouseholdRow, key=("id",))
dues = Table("visit_coverage_due", DueRow, key=("grid", "tag"))
done = Table("visit_coverage_done", DoneRow, key=("grid", "tag", "quarter"))
tables = (households, dues, done)
events = frozenset(
    {
        "HouseholdRegistered",
        "HouseholdTagged",
        "HouseholdUntagged",
        "HouseholdMovedOut",
        "VisitRecorded",
    }
)


def apply(record: Record, rows: Rows) -> None:
    """Fold the household's row, then move the counters by what it changed."""
    stored: HouseholdRow | None = rows.get(households, (record.id,))
    before = None if stored is None else _in_quarter(stored, quarter(record.at))
    after = evolve(before, record)
    if after is not None:
        rows.put(households, after)
    elif stored is not None:
        rows.delete(households, (record.id,))
    _recount(rows, before, after)


def evolve(row: HouseholdRow | None, record: Record) -> HouseholdRow | None:
    """The household after the event; `row` is already in the event's quarter."""
    if record.name == "HouseholdRegistered":
        return _tagged(
            HouseholdRow(
                id=record.id,
                code=record["code"],
                grid=record["grid"],
                tags=(),
                key=False,
                due=0,
                quarter=quarter(record.at),
                visits=0,
            ),
            record["tags"],
        )
    if row is None:
        return None  # a household this view never saw registered, or one that moved out
    match record.name:
        case "VisitRecorded":
            return dataclasses.replace(row, visits=row.visits + 1, last_visit=record.at)
        case "HouseholdTagged":
            return _tagged(row, {*row.tags, record["tag"]})
        case "HouseholdUntagged":
            return _tagged(row, set(row.tags) - {record["tag"]})
        case "HouseholdMovedOut":
            return None
        case _:
            return row


def due_a_quarter(tags: Iterable[str]) -> int:
    """A year's visits due divided by four, rounded up."""
    return -(-visits_due_a_year(frozenset(Tag(t) for t in tags)) // 4)


def _tagged(row: HouseholdRow, tags: Iterable[str]) -> HouseholdRow:
    chosen = tuple(sorted(tags))
    key = is_key_household(frozenset(Tag(t) for t in chosen))
    return dataclasses.replace(row, tags=chosen, key=key, due=due_a_quarter(chosen))


def _in_quarter(row: HouseholdRow, current: str) -> HouseholdRow:
    """The row as of a later quarter starts that quarter with no visits; the quarter it
    leaves keeps its counts."""
    if row.quarter >= current:
        return row
    return dataclasses.replace(row, quarter=current, visits=0)


def _groups(row: HouseholdRow) -> tuple[str, ...]:
    return (ALL, KEY, *row.tags) if row.key else (ALL, *row.tags)


def _recount(rows: Rows, before: HouseholdRow | None, after: HouseholdRow | None) -> None:
    """Take the household's old share out of the counters and put its new one in. Both
    rows are of one household in one quarter, so only that quarter's done count moves."""
    changes: dict[str, list[int]] = {}  # tag -> [households, due, done]
    for row, sign in ((before, -1), (after, 1)):
        if row is not None:
            capped = min(row.visits, row.due)
            for tag in _groups(row):
                change = changes.setdefault(tag, [0, 0, 0])
                change[0] += sign
                change[1] += sign * row.due
                change[2] += sign * capped
    one = after or before
    if one is None:
        return
    grid, period = one.grid, one.quarter
    for tag, (count, due, visits) in changes.items():
        if count or due:
            owed = rows.get(dues, (grid, tag)) or DueRow(grid, tag, 0, 0)
            if owed.households + count:
                rows.put(dues, DueRow(grid, tag, owed.households + count, owed.due + due))
            else:
                rows.delete(dues, (grid, tag))
        if visits:
            made = rows.get(done, (grid, tag, period)) or DoneRow(grid, tag, period, 0)
            if made.done + visits:
                rows.put(done, DoneRow(grid, tag, period, made.done + visits))
            else:
                rows.delete(done, (grid, tag, period))
    rows.tell(name, grid)


# Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagCoverage:
    """Under one tag: households, visits due and done this quarter, and done / due (None
    when nothing is due)."""

    tag: str
    households: int
    due: int
    done: int
    share: float | None


@dataclass(frozen=True)
class Coverage:
    area: str  # a grid, community, street or district code; '' for everywhere
    quarter: str
    tags: tuple[TagCoverage, ...]  # 'all' (always), 'key', then the tags by name


def coverage(store: ViewStore, now: datetime, area: str | None = None) -> Coverage:
    """The quarter of `now` in an area (a code prefix), every grid in it summed."""
    where = (Where("grid", "prefix", area),) if area else ()
    return _covered(store, area or "", quarter(now), where)


def grid(store: ViewStore, code: str, now: datetime) -> Coverage:
    """The quarter of `now` in one grid."""
    return _covered(store, code, quarter(now), (Where("grid", "=", code),))


def _covered(store: ViewStore, area: str, period: str, where: tuple[Where, ...]) -> Coverage:
    owed: dict[str, list[int]] = {}  # tag -> [households, due]
    for row in store.select(dues, Page(where=where)):
        counts = owed.setdefault(row.tag, [0, 0])
        counts[0] += row.households
        counts[1] += row.due
    made: dict[str, int] = {}
    for row in store.select(done, Page(where=(*where, Where("quarter", "=", period)))):
        made[row.tag] = made.get(row.tag, 0) + row.done
    tags = sorted({ALL} | owed.keys() | made.keys(), key=lambda t: (t != ALL, t != KEY, t))
    figures = []
    for tag in tags:
        count, due = owed.get(tag, [0, 0])
        visits = made.get(tag, 0)
        figures.append(TagCoverage(tag, count, due, visits, visits / due if due else None))
    return Coverage(area, period, tuple(figures))
