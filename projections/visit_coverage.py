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
  capped visits of the quarter it happens in to its new tags, so done never exceeds due
  under a tag; earlier quarters keep the figures they had.
- A household that moved out drops out: from the dues, and its visits from the done
  count of the quarter it moved out in.
- Household events carry their grid and tags, so the view keeps no table of households:
  only counters per grid, per grid and quarter, and the visits of visited households.
- The due side is kept per grid, not per quarter, so a quarter with no visits yet already
  shows its due; figures are read for the quarter of `now`, on a view folded up to `now`
  (time travel folds up to a past instant).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from domain.visits import Tag, is_key_household, visits_due_a_year
from projections.periods import instant, quarter
from projections.records import Record
from projections.store import Page, ViewStore, Where
from projections.view import Rows, Table, row_type

name = "visit_coverage"
version = 2

ALL, KEY = "all", "key"
"""Pseudo-tags: every household, and the key households (重点户)."""


@row_type
class GridRow:
    """The due side of a grid, by tag: households and the visits they are due a quarter.
    One row a grid keeps registering a household to one read and one write."""

    grid: str
    households: dict[str, int]
    due: dict[str, int]


@row_type
class QuarterRow:
    """Visits done in a grid in a quarter, by tag, each household's capped at its due."""

    grid: str
    quarter: str
    done: dict[str, int]


@row_type
class VisitsRow:
    """A visited household's visits in one quarter: only visited households have rows,
    since household events carry their grid and tags."""

    id: str
    quarter: str
    grid: str
    visits: int


grids = Table("visit_coverage_grids", GridRow, key=("grid",))
quarters = Table("visit_coverage_quarters", QuarterRow, key=("grid", "quarter"))
visits = Table("visit_coverage_visits", VisitsRow, key=("id", "quarter"))
tables = (grids, quarters, visits)
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
    """Move the grid's counters by what the event changed for its household."""
    grid, tags = record["grid"], tuple(record["tags"])
    match record.name:
        case "HouseholdRegistered":
            _add_due(rows, grid, tags, 1)
        case "HouseholdTagged" | "HouseholdUntagged":
            tag = record["tag"]
            before = (*tags, tag) if record.name == "HouseholdUntagged" else _without(tags, tag)
            seen = _visits(rows, record)
            _add_due(rows, grid, before, -1)
            _add_done(rows, grid, seen, before, -1)
            _add_due(rows, grid, tags, 1)
            _add_done(rows, grid, seen, tags, 1)
        case "HouseholdMovedOut":
            _add_due(rows, grid, tags, -1)
            _add_done(rows, grid, _visits(rows, record), tags, -1)
        case "VisitRecorded":
            seen = _visits(rows, record)
            _, groups, due = _profile(tags)
            now = VisitsRow(record.id, _quarter(record), grid, (seen.visits if seen else 0) + 1)
            rows.put(visits, now)
            if now.visits <= due:
                _count(rows, quarters, (grid, now.quarter), groups, 1)
    if rows.notices:
        rows.tell(name, grid)


def due_a_quarter(tags: Iterable[str]) -> int:
    """A year's visits due divided by four, rounded up."""
    return _profile(tuple(tags))[2]


@cache
def _profile(tags: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], int]:
    """(the tags in order, the tags it counts under, visits due a quarter). Households
    share a few dozen tag sets, so each is worked out once."""
    known = frozenset(Tag(t) for t in tags)
    ordered = tuple(sorted(tag.value for tag in known))
    groups = (ALL, KEY, *ordered) if is_key_household(known) else (ALL, *ordered)
    return ordered, groups, -(-visits_due_a_year(known) // 4)


def _without(tags: tuple[str, ...], tag: str) -> tuple[str, ...]:
    return tuple(t for t in tags if t != tag)


def _visits(rows: Rows, record: Record) -> VisitsRow | None:
    """The household's visits in the quarter of the event, if it was visited in it."""
    found: VisitsRow | None = rows.get(visits, (record.id, _quarter(record)))
    return found


def _quarter(record: Record) -> str:
    """The quarter of the event's local day."""
    return _quarter_of_day(record.day)


@cache
def _quarter_of_day(day: str) -> str:
    """Cached by the day: a quarter's visits are recorded on some ninety of them."""
    return quarter(instant(date.fromisoformat(day)))


def _add_due(rows: Rows, grid: str, tags: tuple[str, ...], sign: int) -> None:
    """A household coming (+1) or going (-1): the grid's households and dues by tag."""
    _, groups, due = _profile(tags)
    row: GridRow = rows.edit(grids, (grid,), _new_grid, grid)
    counts, owed = row.households, row.due
    for tag in groups:
        households = counts.get(tag, 0) + sign
        if households:
            counts[tag] = households
            owed[tag] = owed.get(tag, 0) + sign * due
        else:
            del counts[tag], owed[tag]
    if not counts:
        rows.delete(grids, (grid,))


def _add_done(
    rows: Rows, grid: str, seen: VisitsRow | None, tags: tuple[str, ...], sign: int
) -> None:
    """A household's capped visits of a quarter coming or going under its tags."""
    if seen is not None:
        _, groups, due = _profile(tags)
        _count(rows, quarters, (grid, seen.quarter), groups, sign * min(seen.visits, due))


def _count(
    rows: Rows, table: Table, key: tuple[str, str], groups: tuple[str, ...], change: int
) -> None:
    if not change:
        return
    done = rows.edit(table, key, _new_quarter, key).done
    for tag in groups:
        done[tag] = done.get(tag, 0) + change
        if not done[tag]:
            del done[tag]
    if not done:
        rows.delete(table, key)


def _new_grid(grid: str) -> GridRow:
    return GridRow(grid, {}, {})


def _new_quarter(key: tuple[str, str]) -> QuarterRow:
    return QuarterRow(*key, {})


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
    counts: dict[str, int] = {}
    owed: dict[str, int] = {}
    for row in store.select(grids, Page(where=where)):
        _sum(counts, row.households)
        _sum(owed, row.due)
    made: dict[str, int] = {}
    for found in store.select(quarters, Page(where=(*where, Where("quarter", "=", period)))):
        _sum(made, found.done)
    tags = sorted({ALL} | counts.keys() | made.keys(), key=lambda t: (t != ALL, t != KEY, t))
    figures = []
    for tag in tags:
        due, visits = owed.get(tag, 0), made.get(tag, 0)
        share = visits / due if due else None
        figures.append(TagCoverage(tag, counts.get(tag, 0), due, visits, share))
    return Coverage(area, period, tuple(figures))


def _sum(total: dict[str, int], more: dict[str, int]) -> None:
    for tag, count in more.items():
        total[tag] = total.get(tag, 0) + count
