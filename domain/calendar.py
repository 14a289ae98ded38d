"""The work calendar: which local days and hours count as work time for deadlines.

Pure on purpose: the zone, the official schedule and the work hours come in as arguments
(`infra/calendar.py` builds the district's calendar), so deadline arithmetic can be tested
with tables of dates and replayed identically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

_SATURDAY = 5  # date.weekday(): Monday is 0


@dataclass(frozen=True)
class WorkCalendar:
    """Work days and work hours of one district, on its local wall clock.

    For a year in `covered_years` the official schedule decides: `holidays` are days off
    even on weekdays, `make_up_days` (调休上班) are work days even on weekends. A year
    without a published schedule falls back to Monday–Friday work days and no holidays.
    The fallback is never silent: callers ask `uncovered_years` for the span a deadline
    crosses and record or warn about it (the loader warns for this year and the next).
    """

    zone: tzinfo
    holidays: frozenset[date]
    make_up_days: frozenset[date]
    covered_years: frozenset[int]
    work_periods: tuple[tuple[time, time], ...] = (
        (time(9), time(12)),
        (time(13, 30), time(17, 30)),
    )

    def __post_init__(self) -> None:
        if not self.work_periods:
            raise ValueError("a work calendar needs at least one work period")
        previous: tuple[time, time] | None = None
        for period in self.work_periods:
            start, end = period
            if start >= end:
                raise ValueError(f"work period {_span_text(period)} does not end after it starts")
            if previous is not None and start < previous[1]:
                raise ValueError(
                    f"work periods must be in order and must not overlap: "
                    f"{_span_text(previous)} then {_span_text(period)}"
                )
            previous = period
        both = self.holidays & self.make_up_days
        if both:
            raise ValueError(f"{min(both)} cannot be both a holiday and a make-up working day")
        stray = sorted(
            day for day in self.holidays | self.make_up_days if day.year not in self.covered_years
        )
        if stray:
            raise ValueError(
                f"{stray[0]} is listed as a holiday or make-up day, but {stray[0].year} "
                "is not a covered year (its schedule is unknown)"
            )

    def is_workday(self, day: date) -> bool:
        """Whether `day` (a local date) has work hours."""
        if isinstance(day, datetime):
            raise TypeError(f"is_workday takes a local date, not the datetime {day}")
        if day in self.make_up_days:
            return True
        return day.weekday() < _SATURDAY and day not in self.holidays

    def covers(self, year: int) -> bool:
        """Whether `year` follows an official schedule rather than the weekday fallback."""
        return year in self.covered_years

    @property
    def day_length(self) -> timedelta:
        """Work time in one work day: what one work day of a limit is worth."""
        return sum(
            (_since_midnight(end) - _since_midnight(start) for start, end in self.work_periods),
            timedelta(),
        )

    def uncovered_years(self, start: datetime, end: datetime) -> tuple[int, ...]:
        """Local years touched by the span (either order) that use the weekday fallback."""
        first, last = sorted((self.local(start).year, self.local(end).year))
        return tuple(year for year in range(first, last + 1) if not self.covers(year))

    def local(self, instant: datetime) -> datetime:
        """`instant` as a naive wall-clock time in the district's zone.

        Work time is measured on the local wall clock; naive input is refused because
        its zone would be a guess.
        """
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError(f"{instant} has no time zone; pass an aware datetime")
        return instant.astimezone(self.zone).replace(tzinfo=None)


def _since_midnight(moment: time) -> timedelta:
    return timedelta(
        hours=moment.hour,
        minutes=moment.minute,
        seconds=moment.second,
        microseconds=moment.microsecond,
    )


def _span_text(period: tuple[time, time]) -> str:
    return f"{period[0].isoformat('minutes')}-{period[1].isoformat('minutes')}"
