"""Deadline arithmetic on the 2026 calendar, as a dispatcher in Shanghai would read it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import WorkCalendar
from domain.deadlines import (
    Limit,
    TimeUnit,
    add_time,
    deadline_after,
    extended,
    overrun_multiple,
    resumed,
    time_used,
    warning_instant,
    work_time_between,
)
from infra.calendar import load_work_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
WORK_UNITS = [TimeUnit.WORK_HOURS, TimeUnit.WORK_DAYS]


def local(text: str) -> datetime:
    """'2026-03-09 09:00' on the district's wall clock."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def hours(amount: float) -> timedelta:
    return timedelta(hours=amount)


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return load_work_calendar(today=date(2025, 6, 1))


# fmt: off
DEADLINES = [
    # plain weekdays (Mon 2026-03-09 … Fri 03-13)
    ("2026-03-09 09:00", "4 work_hours",  "2026-03-09 14:30"),
    ("2026-03-09 14:00", "2 work_hours",  "2026-03-09 16:00"),
    ("2026-03-09 15:30", "2 work_hours",  "2026-03-09 17:30"),  # lands on the period end
    ("2026-03-09 16:30", "4 work_hours",  "2026-03-10 12:00"),
    ("2026-03-09 10:00", "1 work_days",   "2026-03-10 10:00"),
    ("2026-03-09 09:00", "1 work_days",   "2026-03-09 17:30"),  # a whole day is used up
    # lunch break
    ("2026-03-09 11:00", "1 work_hours",  "2026-03-09 12:00"),  # stays at 12:00, not 13:30
    ("2026-03-09 11:00", "2 work_hours",  "2026-03-09 14:30"),
    ("2026-03-09 12:00", "1 work_hours",  "2026-03-09 14:30"),
    ("2026-03-09 12:30", "1 work_hours",  "2026-03-09 14:30"),
    ("2026-03-09 12:30", "1 work_days",   "2026-03-10 12:00"),
    # outside hours
    ("2026-03-09 07:45", "4 work_hours",  "2026-03-09 14:30"),
    ("2026-03-09 17:30", "1 work_hours",  "2026-03-10 10:00"),
    ("2026-03-09 18:00", "4 work_hours",  "2026-03-10 14:30"),
    ("2026-03-09 23:30", "6 work_hours",  "2026-03-10 16:30"),
    ("2026-03-10 02:00", "1 work_hours",  "2026-03-10 10:00"),
    ("2026-03-09 20:00", "1 work_days",   "2026-03-10 17:30"),
    # Fridays into Mondays
    ("2026-03-13 16:00", "4 work_hours",  "2026-03-16 11:30"),
    ("2026-03-13 18:00", "4 work_hours",  "2026-03-16 14:30"),
    ("2026-03-14 10:00", "4 work_hours",  "2026-03-16 14:30"),  # Saturday
    ("2026-03-13 10:00", "1 work_days",   "2026-03-16 10:00"),
    # Spring Festival: Sat 02-14 works, 02-15 … 02-23 off, Sat 02-28 works
    ("2026-02-13 16:00", "4 work_hours",  "2026-02-14 11:30"),
    ("2026-02-14 16:00", "4 work_hours",  "2026-02-24 11:30"),
    ("2026-02-14 10:00", "1 work_days",   "2026-02-24 10:00"),
    ("2026-02-18 10:00", "1 work_hours",  "2026-02-24 10:00"),
    ("2026-02-13 10:00", "5 work_days",   "2026-02-27 10:00"),
    ("2026-02-27 16:30", "2 work_hours",  "2026-02-28 10:00"),
    ("2026-02-27 10:00", "1 work_days",   "2026-02-28 10:00"),
    # Mid-Autumn 09-25 … 09-27 and National Day 10-01 … 10-07 off; Sun 09-20, Sat 10-10 work
    ("2026-09-19 10:00", "1 work_hours",  "2026-09-20 10:00"),
    ("2026-09-18 17:00", "1 work_hours",  "2026-09-20 09:30"),
    ("2026-09-30 16:00", "4 work_hours",  "2026-10-08 11:30"),
    ("2026-09-30 10:00", "1 work_days",   "2026-10-08 10:00"),
    ("2026-10-09 15:30", "4 work_hours",  "2026-10-10 11:00"),
    ("2026-09-24 10:00", "20 work_days",  "2026-10-29 10:00"),
    ("2026-09-14 09:00", "20 work_days",  "2026-10-15 17:30"),
    # New Year: 01-01 … 01-03 off, Sun 01-04 works
    ("2025-12-31 16:00", "4 work_hours",  "2026-01-04 11:30"),
    ("2026-01-04 16:30", "2 work_hours",  "2026-01-05 10:00"),
    ("2025-12-31 10:00", "2 work_days",   "2026-01-05 10:00"),
    # clock hours run through nights, weekends and holidays
    ("2026-03-09 22:00", "6 clock_hours", "2026-03-10 04:00"),
    ("2026-09-30 20:00", "6 clock_hours", "2026-10-01 02:00"),
    ("2026-02-14 20:00", "24 clock_hours", "2026-02-15 20:00"),
    ("2026-03-13 18:00", "72 clock_hours", "2026-03-16 18:00"),
    # zero allowed: the start itself, even outside work time
    ("2026-03-09 20:00", "0 work_hours",  "2026-03-09 20:00"),
]
# fmt: on


@pytest.mark.parametrize(("start", "limit", "due"), DEADLINES)
def test_deadline_after_counts_the_limit_on_the_work_calendar(
    calendar: WorkCalendar, start: str, limit: str, due: str
) -> None:
    assert deadline_after(local(start), Limit.parse(limit), calendar) == local(due)


def test_deadlines_come_back_in_utc(calendar: WorkCalendar) -> None:
    due = deadline_after(local("2026-03-09 09:00"), Limit.parse("4 work_hours"), calendar)

    assert due.tzinfo is UTC
    assert due == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)


def test_a_negative_limit_is_refused(calendar: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        deadline_after(local("2026-03-09 09:00"), Limit(-1, TimeUnit.WORK_HOURS), calendar)


NAIVE, AWARE = datetime(2026, 3, 9, 9), local("2026-03-09 09:00")


@pytest.mark.parametrize(
    "call",
    [
        lambda c: deadline_after(NAIVE, Limit.parse("4 work_hours"), c),
        lambda c: deadline_after(NAIVE, Limit.parse("6 clock_hours"), c),
        lambda c: work_time_between(AWARE, NAIVE, c),
        lambda c: time_used(NAIVE, AWARE, TimeUnit.CLOCK_HOURS, c),
        lambda c: resumed(AWARE, NAIVE, AWARE, TimeUnit.WORK_DAYS, c),
    ],
)
def test_a_naive_instant_is_refused(
    calendar: WorkCalendar, call: Callable[[WorkCalendar], object]
) -> None:
    with pytest.raises(ValueError, match="no time zone"):
        call(calendar)


# fmt: off
WORK_TIME = [
    ("2026-03-09 09:00", "2026-03-09 17:30", hours(7)),
    ("2026-03-09 11:00", "2026-03-09 14:00", hours(1.5)),
    ("2026-03-09 12:10", "2026-03-09 13:20", hours(0)),
    ("2026-03-13 16:00", "2026-03-16 11:30", hours(4)),
    ("2026-02-13 17:00", "2026-02-24 09:30", hours(8)),     # Sat 02-14 works
    ("2026-09-30 17:30", "2026-10-08 09:00", hours(0)),     # National Day
    ("2026-03-16 11:30", "2026-03-13 16:00", hours(-4)),    # signed
    ("2026-01-01 00:00", "2027-01-01 00:00", 248 * hours(7)),  # the whole of 2026
]
# fmt: on


@pytest.mark.parametrize(("start", "end", "expected"), WORK_TIME)
def test_work_time_between_counts_only_work_periods_of_work_days(
    calendar: WorkCalendar, start: str, end: str, expected: timedelta
) -> None:
    assert work_time_between(local(start), local(end), calendar) == expected


def test_time_used_in_clock_hours_is_elapsed_time(calendar: WorkCalendar) -> None:
    used = time_used(
        local("2026-09-30 20:00"), local("2026-10-08 08:00"), TimeUnit.CLOCK_HOURS, calendar
    )

    assert used == timedelta(days=7, hours=12)


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        ("2026-03-09 14:30", hours(-4), TimeUnit.WORK_HOURS, "2026-03-09 09:00"),
        ("2026-03-09 14:30", hours(-1), TimeUnit.WORK_HOURS, "2026-03-09 13:30"),  # not 12:00
        ("2026-03-16 09:00", hours(-1), TimeUnit.WORK_HOURS, "2026-03-13 16:30"),
        ("2026-02-24 10:00", hours(-3), TimeUnit.WORK_DAYS, "2026-02-14 15:30"),
        ("2026-03-09 20:00", hours(0), TimeUnit.WORK_HOURS, "2026-03-09 20:00"),
        ("2026-03-09 20:00", hours(-2), TimeUnit.CLOCK_HOURS, "2026-03-09 18:00"),
    ],
)
def test_add_time_moves_backwards_to_the_latest_matching_instant(
    calendar: WorkCalendar, start: str, amount: timedelta, unit: TimeUnit, expected: str
) -> None:
    assert add_time(local(start), amount, unit, calendar) == local(expected)


instants = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2026, 12, 31), timezones=st.just(SHANGHAI)
)
amounts = st.timedeltas(min_value=-timedelta(days=10), max_value=timedelta(days=10))


@given(start=instants, amount=amounts, unit=st.sampled_from(WORK_UNITS))
def test_time_used_undoes_add_time_for_work_units(
    calendar: WorkCalendar, start: datetime, amount: timedelta, unit: TimeUnit
) -> None:
    assert time_used(start, add_time(start, amount, unit, calendar), unit, calendar) == amount


@given(start=instants, amount=amounts)
def test_time_used_undoes_add_time_for_clock_hours(
    calendar: WorkCalendar, start: datetime, amount: timedelta
) -> None:
    moved = add_time(start, amount, TimeUnit.CLOCK_HOURS, calendar)

    assert time_used(start, moved, TimeUnit.CLOCK_HOURS, calendar) == amount


@given(start=instants, first=amounts, second=amounts, unit=st.sampled_from(list(TimeUnit)))
def test_add_time_never_goes_back_for_a_larger_amount(
    calendar: WorkCalendar, start: datetime, first: timedelta, second: timedelta, unit: TimeUnit
) -> None:
    smaller, larger = sorted((first, second))

    assert add_time(start, smaller, unit, calendar) <= add_time(start, larger, unit, calendar)


@given(start=instants, end=instants)
def test_adding_a_measured_span_lands_on_the_nearest_instant_with_that_work_time(
    calendar: WorkCalendar, start: datetime, end: datetime
) -> None:
    used = work_time_between(start, end, calendar)
    reached = add_time(start, used, TimeUnit.WORK_HOURS, calendar)

    assert work_time_between(start, reached, calendar) == used
    if used > timedelta():
        assert reached <= end
    elif used < timedelta():
        assert reached >= end
    else:
        assert reached == start


@given(first=instants, second=instants, third=instants)
def test_work_time_adds_up_across_consecutive_spans(
    calendar: WorkCalendar, first: datetime, second: datetime, third: datetime
) -> None:
    one, two = (
        work_time_between(first, second, calendar),
        work_time_between(second, third, calendar),
    )

    assert one + two == work_time_between(first, third, calendar)


@pytest.mark.parametrize(
    ("deadline", "extension", "moved"),
    [
        ("2026-03-13 17:30", "2 work_days", "2026-03-17 17:30"),
        ("2026-09-30 12:00", "1 work_days", "2026-10-08 12:00"),
        ("2026-03-09 14:30", "4 work_hours", "2026-03-10 10:00"),
        ("2026-03-13 17:30", "48 clock_hours", "2026-03-15 17:30"),
    ],
)
def test_an_extension_moves_the_deadline_in_its_own_unit(
    calendar: WorkCalendar, deadline: str, extension: str, moved: str
) -> None:
    assert extended(local(deadline), Limit.parse(extension), calendar) == local(moved)


@pytest.mark.parametrize(
    ("deadline", "suspended", "resumed_at", "unit", "moved"),
    [
        # over a weekend: Fri 16:30–17:30 and Mon 09:00–10:00 passed, 2 work hours
        ("2026-03-16 12:00", "2026-03-13 16:30", "2026-03-16 10:00", "work_hours",
         "2026-03-16 15:30"),
        # over the Spring Festival: only Fri 02-13's last half hour, the make-up Saturday
        # and Tue 02-24's first half hour passed, 8 work hours
        ("2026-02-25 10:00", "2026-02-13 17:00", "2026-02-24 09:30", "work_hours",
         "2026-02-26 11:00"),
        # over National Day, from one closing time to the next opening: nothing passed
        ("2026-10-09 10:00", "2026-09-30 17:30", "2026-10-08 09:00", "work_days",
         "2026-10-09 10:00"),
        ("2026-03-10 04:00", "2026-03-09 22:00", "2026-03-11 22:00", "clock_hours",
         "2026-03-12 04:00"),
    ],
)  # fmt: skip
def test_resuming_moves_the_deadline_by_the_time_that_passed_while_suspended(
    calendar: WorkCalendar, deadline: str, suspended: str, resumed_at: str, unit: str, moved: str
) -> None:
    after = resumed(local(deadline), local(suspended), local(resumed_at), TimeUnit(unit), calendar)

    assert after == local(moved)


def test_a_case_cannot_resume_before_it_was_suspended(calendar: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="before it was suspended"):
        resumed(
            local("2026-03-16 12:00"),
            local("2026-03-13 16:30"),
            local("2026-03-13 10:00"),
            TimeUnit.WORK_HOURS,
            calendar,
        )


@pytest.mark.parametrize(
    ("started", "deadline", "share", "unit", "warned"),
    [
        ("2026-03-09 09:00", "2026-03-09 14:30", 0.5, "work_hours", "2026-03-09 11:00"),
        ("2026-03-09 09:00", "2026-03-09 14:30", 0.75, "work_hours", "2026-03-09 12:00"),
        ("2026-03-13 16:00", "2026-03-16 11:30", 0.5, "work_hours", "2026-03-16 09:30"),
        ("2026-09-30 10:00", "2026-10-08 10:00", 0.5, "work_days", "2026-09-30 15:00"),
        ("2026-03-09 22:00", "2026-03-10 04:00", 0.5, "clock_hours", "2026-03-10 01:00"),
    ],
)
def test_the_warning_falls_when_the_share_of_the_allowed_time_is_used(
    calendar: WorkCalendar, started: str, deadline: str, share: float, unit: str, warned: str
) -> None:
    at = warning_instant(local(started), local(deadline), share, TimeUnit(unit), calendar)

    assert at == local(warned)


@pytest.mark.parametrize("share", [0.0, 1.0, -0.5, 1.5])
def test_a_warning_share_outside_zero_and_one_is_refused(
    calendar: WorkCalendar, share: float
) -> None:
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        warning_instant(AWARE, local("2026-03-09 14:30"), share, TimeUnit.WORK_HOURS, calendar)


@pytest.mark.parametrize(
    ("finished", "unit", "multiple"),
    [
        ("2026-03-09 13:00", "work_hours", 0.0),  # early
        ("2026-03-09 14:30", "work_hours", 0.0),  # exactly on the deadline
        ("2026-03-09 16:30", "work_hours", 0.5),
        ("2026-03-10 10:00", "work_hours", 1.0),  # as late again as allowed: 4 work hours
        ("2026-03-10 17:30", "work_hours", 2.5),
        ("2026-03-09 16:30", "clock_hours", 2 / 5.5),
    ],
)
def test_the_overrun_multiple_is_lateness_over_the_time_allowed(
    calendar: WorkCalendar, finished: str, unit: str, multiple: float
) -> None:
    started, deadline = local("2026-03-09 09:00"), local("2026-03-09 14:30")

    overrun = overrun_multiple(started, deadline, local(finished), TimeUnit(unit), calendar)

    assert overrun == pytest.approx(multiple)


def test_a_case_finished_in_the_lunch_break_after_its_deadline_overruns_no_work_time(
    calendar: WorkCalendar,
) -> None:
    started, deadline = local("2026-03-09 09:00"), local("2026-03-09 12:00")
    finished = local("2026-03-09 13:00")

    assert overrun_multiple(started, deadline, finished, TimeUnit.WORK_HOURS, calendar) == 0.0


def test_an_overrun_needs_some_time_allowed(calendar: WorkCalendar) -> None:
    started, deadline = local("2026-03-09 12:10"), local("2026-03-09 13:20")  # lunch break

    with pytest.raises(ValueError, match="no time was allowed"):
        overrun_multiple(started, deadline, AWARE, TimeUnit.WORK_HOURS, calendar)


def test_a_deadline_in_an_uncovered_year_counts_monday_to_friday(calendar: WorkCalendar) -> None:
    start = local("2026-12-31 16:00")  # Thursday; 2027's New Year holiday is not known yet

    due = deadline_after(start, Limit.parse("4 work_hours"), calendar)

    assert due == local("2027-01-01 11:30")
    assert calendar.uncovered_years(start, due) == (2027,)
