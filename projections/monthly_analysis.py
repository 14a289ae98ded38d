"""The monthly analysis (民情分析): what people raised, counted per month, category, area and
channel, with the change against the month before, so a district sees which problems
grow where.

Rules:
- Every report (CaseReported) counts once, in the month (China Standard Time) it was
  reported, in the grid it lies in, whatever became of it: rejected reports and
  duplicates merged into another case still say what people raised.
- A report counts under the category the center filed it under (立案 may correct the
  reported one); until it is filed, or if it never is, under the reported category.
- Areas are code prefixes: a community or street sums its grids.
- The change against the previous month is absolute and relative; relative is None when
  the previous month had no report to compare with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from projections.records import Record
from projections.store import Page, ViewStore, Where
from projections.view import Rows, Table, changed, row_type

name = "monthly_analysis"
version = 2

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@row_type
class ReportRow:
    """Where a report is counted, so that filing under another category can move it."""

    id: str
    month: str
    grid: str
    category: str
    channel: str


@dataclass
class CountRow:
    """Reports of one month, grid, category and channel. Counts are not frozen: the fold
    counts in its working copy (`Rows.edit`)."""

    month: str
    grid: str
    category: str
    channel: str
    reports: int


@dataclass
class MonthRow:
    """Reports of one month in the whole district."""

    month: str
    reports: int


reports = Table("monthly_analysis_reports", ReportRow, key=("id",))
counts = Table("monthly_analysis_counts", CountRow, key=("month", "grid", "category", "channel"))
totals = Table("monthly_analysis_months", MonthRow, key=("month",))
tables = (reports, counts, totals)
events = frozenset({"CaseReported", "CaseFiled"})


def apply(record: Record, rows: Rows) -> None:
    """Fold the report's row, then move one count from where it was to where it is. A
    report is a new case: it has no row to read (a read the live worker would make of
    the store, for every report, only to miss)."""
    reported = record.name == "CaseReported"
    before: ReportRow | None = None if reported else rows.get(reports, (record.id,))
    after = evolve(before, record)
    if after is None or after == before:
        return
    rows.put(reports, after)
    if before is not None:
        _count(rows, before, -1)
    _count(rows, after, 1)
    if before is None:
        rows.edit(totals, (after.month,), MonthRow, after.month, 0).reports += 1
    rows.tell(name, after.month)


def evolve(row: ReportRow | None, record: Record) -> ReportRow | None:
    """Where the report counts after the event."""
    if record.name == "CaseReported":
        return ReportRow(
            id=record.id,
            month=record.day[:7],
            grid=record["grid"],
            category=record["category"],
            channel=record["channel"],
        )
    if row is None:
        return None  # a case this view never saw reported: nothing to count
    if record.name == "CaseFiled":
        return changed(row, category=record["category"])
    return row


def _count(rows: Rows, report: ReportRow, step: int) -> None:
    key = (report.month, report.grid, report.category, report.channel)
    row: CountRow = rows.edit(counts, key, CountRow, *key, 0)
    row.reports += step
    if not row.reports:
        rows.delete(counts, key)


# Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """Reports under one heading (a category code, a channel, or 'all') in the month and
    the month before; `relative` = change / previous, None when the previous month had
    none."""

    heading: str
    reports: int
    previous: int
    change: int
    relative: float | None


@dataclass(frozen=True)
class Analysis:
    month: str
    previous: str
    area: str  # a grid, community, street or district code; '' for everywhere
    total: Change
    categories: tuple[Change, ...]  # most reports first, then by code
    channels: tuple[Change, ...]


def analysis(store: ViewStore, month: str, area: str | None = None) -> Analysis:
    """A month ('2026-03') in an area, against the month before."""
    if not MONTH.fullmatch(month):
        raise ValueError(f"not a month: {month!r}; a month reads like '2026-03'")
    previous = previous_month(month)
    where = [Where("month", "in", (month, previous))]
    if area:
        where.append(Where("grid", "prefix", area))
    by_category: dict[str, list[int]] = {}  # heading -> [this month, previous month]
    by_channel: dict[str, list[int]] = {}
    for row in store.select(counts, Page(where=tuple(where))):
        slot = 0 if row.month == month else 1
        by_category.setdefault(row.category, [0, 0])[slot] += row.reports
        by_channel.setdefault(row.channel, [0, 0])[slot] += row.reports
    now = sum(pair[0] for pair in by_category.values())
    before = sum(pair[1] for pair in by_category.values())
    return Analysis(
        month=month,
        previous=previous,
        area=area or "",
        total=_change("all", now, before),
        categories=_changes(by_category),
        channels=_changes(by_channel),
    )


def months(store: ViewStore) -> list[str]:
    """The months with reports, oldest first."""
    return [row.month for row in store.select(totals, Page(order="month"))]


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 2
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _changes(pairs: dict[str, list[int]]) -> tuple[Change, ...]:
    found = [_change(heading, now, before) for heading, (now, before) in pairs.items()]
    return tuple(sorted(found, key=lambda c: (-c.reports, c.heading)))


def _change(heading: str, now: int, before: int) -> Change:
    change = now - before
    return Change(heading, now, before, change, change / before if before else None)
