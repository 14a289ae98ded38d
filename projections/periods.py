"""Calendar periods of the district: days, weeks, months and quarters counted in China
Standard Time. The views are pure folds, so the zone is a constant here rather than a
setting: Asia/Shanghai has been UTC+8 without daylight saving since 1991."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CST = timezone(timedelta(hours=8), "Asia/Shanghai")
KINDS = ("day", "week", "month")


def local_day(at: datetime) -> date:
    return at.astimezone(CST).date()


def period_start(at: datetime, kind: str) -> date:
    """The first day of the day, week (from Monday) or month that `at` falls in."""
    day = local_day(at)
    if kind == "day":
        return day
    if kind == "week":
        return day - timedelta(days=day.weekday())
    if kind == "month":
        return day.replace(day=1)
    raise ValueError(f"no period kind {kind!r}; one of {KINDS}")


def period_end(start: date, kind: str) -> date:
    """The first day after the period that begins on `start`."""
    if kind == "day":
        return start + timedelta(days=1)
    if kind == "week":
        return start + timedelta(days=7)
    if kind == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    raise ValueError(f"no period kind {kind!r}; one of {KINDS}")


def month(at: datetime) -> str:
    """'2026-03'"""
    day = local_day(at)
    return f"{day.year:04d}-{day.month:02d}"


def quarter(at: datetime) -> str:
    """'2026Q1'"""
    day = local_day(at)
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def instant(day: date) -> datetime:
    """The first instant of a local day."""
    return datetime(day.year, day.month, day.day, tzinfo=CST)
