"""Handling limits and the work-time arithmetic that turns them into deadlines.

Pure and exact: instants must be aware (a naive one raises ValueError), results are in UTC,
work time is counted in `timedelta` on the district's wall clock, day by day, never by
float hours or minute steps, so a deadline recomputed on replay is always the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from domain.calendar import WorkCalendar

_DAY = timedelta(days=1)


class TimeUnit(StrEnum):
    WORK_HOURS = "work_hours"  # 工作时
    WORK_DAYS = "work_days"  # 工作日
    CLOCK_HOURS = "clock_hours"  # 自然小时

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class Limit:
    """A handling limit from the catalog, e.g. 4 work hours or 20 work days."""

    amount: int
    unit: TimeUnit

    def __str__(self) -> str:
        unit = self.unit.label if self.amount != 1 else self.unit.label.rstrip("s")
        return f"{self.amount} {unit}"

    @classmethod
    def parse(cls, text: str) -> Limit:
        """'4 work_hours' / '20 work_days' / '6 clock_hours', as written in data files."""
        amount, _, unit = text.strip().partition(" ")
        return cls(int(amount), TimeUnit(unit.strip()))


def deadline_after(start: datetime, limit: Limit, calendar: WorkCalendar) -> datetime:
    """The deadline of a limit counted from `start` (派遣: the clock starts at dispatch).

    Clock hours ignore the calendar. Work hours run only through the work periods of work
    days; a work day is `calendar.day_length` of work time, so 10:00 plus one work day is
    10:00 on the next work day. Outside work time counting starts with the next period,
    and a deadline is the earliest instant the work time is used up: one that lands on a
    period end stays there (12:00, 17:30) rather than moving to the next start.
    """
    return add_time(start, _allowance(limit, calendar), limit.unit, calendar)


def work_time_between(start: datetime, end: datetime, calendar: WorkCalendar) -> timedelta:
    """Work time from `start` to `end`; negative when `end` comes first."""
    if _utc(end) < _utc(start):
        return -work_time_between(end, start, calendar)
    first, last = calendar.local(start), calendar.local(end)
    per_day = calendar.day_length
    total = _worked_by(last, calendar) - _worked_by(first, calendar)
    day = first.date()
    while day < last.date():
        if calendar.is_workday(day):
            total += per_day
        day += _DAY
    return total


def time_used(start: datetime, end: datetime, unit: TimeUnit, calendar: WorkCalendar) -> timedelta:
    """Time from `start` to `end` in the unit's measure (work time or clock time), signed."""
    if unit is TimeUnit.CLOCK_HOURS:
        return _utc(end) - _utc(start)
    return work_time_between(start, end, calendar)


def add_time(
    start: datetime, amount: timedelta, unit: TimeUnit, calendar: WorkCalendar
) -> datetime:
    """The instant `amount` of the unit's measure after `start`: the inverse of `time_used`.

    Forwards it is the earliest such instant (a period end stays a period end), backwards
    the latest (a period start stays a period start); a zero amount leaves `start` as is.
    """
    if unit is TimeUnit.CLOCK_HOURS:
        return _utc(start) + amount
    local = calendar.local(start)
    if amount >= timedelta():
        moved = _forwards(local, amount, calendar)
    else:
        moved = _backwards(local, -amount, calendar)
    return moved.replace(tzinfo=calendar.zone).astimezone(UTC)


def extended(deadline: datetime, extension: Limit, calendar: WorkCalendar) -> datetime:
    """延期: the deadline moved by a granted extension, counted in the extension's unit."""
    return add_time(deadline, _allowance(extension, calendar), extension.unit, calendar)


def resumed(
    deadline: datetime,
    suspended_at: datetime,
    resumed_at: datetime,
    unit: TimeUnit,
    calendar: WorkCalendar,
) -> datetime:
    """挂账: the clock was paused, so the deadline moves by the time that passed meanwhile.

    Measured in the limit's unit: a work-time case suspended over a weekend or a holiday
    gains only the work time that passed, not the days off.
    """
    paused = time_used(suspended_at, resumed_at, unit, calendar)
    if paused < timedelta():
        raise ValueError(f"a case cannot resume ({resumed_at}) before it was suspended")
    return add_time(deadline, paused, unit, calendar)


def warning_instant(
    started: datetime, deadline: datetime, share: float, unit: TimeUnit, calendar: WorkCalendar
) -> datetime:
    """预警: when `share` of the time allowed from `started` to `deadline` has been used."""
    if not 0 < share < 1:
        raise ValueError(f"a warning share lies strictly between 0 and 1, not {share}")
    allowed = _allowed(started, deadline, unit, calendar)
    return add_time(started, allowed * share, unit, calendar)


def overrun_multiple(
    started: datetime,
    deadline: datetime,
    finished: datetime,
    unit: TimeUnit,
    calendar: WorkCalendar,
) -> float:
    """超时倍数: time used past the deadline over the time allowed, in the unit's measure.

    0.0 when finished on time, 1.0 when late by as much again as was allowed. Lateness
    counts in the same measure as the limit, so a work-time case finished after its
    deadline but before any more work time passed (lunch, night, weekend) has 0.0.
    """
    allowed = _allowed(started, deadline, unit, calendar)
    if allowed == timedelta():
        raise ValueError(f"no time was allowed between {started} and {deadline}")
    late = time_used(deadline, finished, unit, calendar)
    return max(late, timedelta()) / allowed


def _allowance(limit: Limit, calendar: WorkCalendar) -> timedelta:
    if limit.amount < 0:
        raise ValueError(f"a limit or extension cannot be negative: {limit}")
    if limit.unit is TimeUnit.WORK_DAYS:
        return limit.amount * calendar.day_length
    return timedelta(hours=limit.amount)


def _allowed(
    started: datetime, deadline: datetime, unit: TimeUnit, calendar: WorkCalendar
) -> timedelta:
    allowed = time_used(started, deadline, unit, calendar)
    if allowed < timedelta():
        raise ValueError(f"the deadline {deadline} comes before the start {started}")
    return allowed


def _utc(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{instant} has no time zone; pass an aware datetime")
    return instant.astimezone(UTC)


def _periods(day: date, calendar: WorkCalendar) -> list[tuple[datetime, datetime]]:
    """The work periods of a local day as wall-clock datetimes; none on a day off."""
    if not calendar.is_workday(day):
        return []
    return [
        (datetime.combine(day, start), datetime.combine(day, end))
        for start, end in calendar.work_periods
    ]


def _worked_by(moment: datetime, calendar: WorkCalendar) -> timedelta:
    """Work time of the local day of `moment` that lies before it."""
    return sum(
        (
            max(min(moment, end) - start, timedelta())
            for start, end in _periods(moment.date(), calendar)
        ),
        timedelta(),
    )


def _forwards(moment: datetime, remaining: timedelta, calendar: WorkCalendar) -> datetime:
    if not remaining:
        return moment
    day, cursor = moment.date(), moment
    while True:
        for start, end in _periods(day, calendar):
            begin = max(start, cursor)
            if begin >= end:
                continue
            if remaining <= end - begin:
                return begin + remaining
            remaining -= end - begin
        day += _DAY
        cursor = datetime.combine(day, time())


def _backwards(moment: datetime, remaining: timedelta, calendar: WorkCalendar) -> datetime:
    day, cursor = moment.date(), moment
    while True:
        for start, end in reversed(_periods(day, calendar)):
            finish = min(end, cursor)
            if finish <= start:
                continue
            if remaining <= finish - start:
                return finish - remaining
            remaining -= finish - start
        cursor = datetime.combine(day, time())
        day -= _DAY
