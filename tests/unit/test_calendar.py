"""The work calendar: official schedules, the uncovered-year fallback, schedule files."""

from __future__ import annotations

import logging
import tomllib
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from domain.calendar import WorkCalendar
from infra.calendar import load_work_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The State Council's 2026 notice, as tabled in /work/shared/holidays-2026.md.
HOLIDAYS_2026 = {
    "New Year 元旦": ("2026-01-01", "2026-01-03"),
    "Spring Festival 春节": ("2026-02-15", "2026-02-23"),
    "Qingming 清明节": ("2026-04-04", "2026-04-06"),
    "Labour Day 劳动节": ("2026-05-01", "2026-05-05"),
    "Dragon Boat 端午节": ("2026-06-19", "2026-06-21"),
    "Mid-Autumn 中秋节": ("2026-09-25", "2026-09-27"),
    "National Day 国庆节": ("2026-10-01", "2026-10-07"),
}
MAKE_UP_DAYS_2026 = [
    "2026-01-04",  # Sunday, New Year
    "2026-02-14",  # Saturday, Spring Festival
    "2026-02-28",  # Saturday, Spring Festival
    "2026-05-09",  # Saturday, Labour Day
    "2026-09-20",  # Sunday, National Day
    "2026-10-10",  # Saturday, National Day
]
CHECKS_2026 = [
    ("2026-02-14", True),  # Saturday, make-up working day
    ("2026-02-23", False),  # Monday, Spring Festival
    ("2026-10-10", True),  # Saturday, make-up working day
    ("2026-10-07", False),  # Wednesday, National Day
]

# An invented schedule, for these tests only: nobody knows the real 2027 one yet.
SCHEDULE_2027 = """
[years.2027]
source = "test fixture, not the State Council's notice"
holidays = ["2027-01-01", "2027-01-04"]
make_up_days = ["2027-01-09"]
"""


def days(first: str, last: str) -> set[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return {start + timedelta(days=n) for n in range((end - start).days + 1)}


def schedule(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return load_work_calendar(today=date(2025, 6, 1))


def small_calendar(**overrides: Any) -> WorkCalendar:
    """October 2026 in miniature: National Day off, the make-up Saturday on."""
    fields: dict[str, Any] = {
        "zone": SHANGHAI,
        "holidays": frozenset({date(2026, 10, 1)}),
        "make_up_days": frozenset({date(2026, 10, 10)}),
        "covered_years": frozenset({2026}),
    }
    return WorkCalendar(**(fields | overrides))


def test_chinese_calendar_carries_the_state_councils_2026_schedule() -> None:
    holidays = set().union(*(days(*span) for span in HOLIDAYS_2026.values()))
    make_up_days = {date.fromisoformat(day) for day in MAKE_UP_DAYS_2026}

    assert {day for day in chinese_calendar.holidays if day.year == 2026} == holidays
    assert {day for day in chinese_calendar.workdays if day.year == 2026} == make_up_days


@pytest.mark.parametrize(("day", "works"), CHECKS_2026)
def test_the_loaded_calendar_passes_the_2026_checks(
    calendar: WorkCalendar, day: str, works: bool
) -> None:
    assert calendar.is_workday(date.fromisoformat(day)) is works
    assert chinese_calendar.is_workday(date.fromisoformat(day)) is works


def test_the_loaded_calendar_covers_the_years_the_library_carries(calendar: WorkCalendar) -> None:
    first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year

    assert calendar.covered_years == frozenset(range(first, last + 1))
    assert calendar.covers(2004) and calendar.covers(2026)


def test_the_packaged_schedule_invents_no_years() -> None:
    text = resources.files("infra").joinpath("data", "calendar.toml").read_text("utf-8")

    assert tomllib.loads(text) == {"years": {}}


def test_a_year_without_a_schedule_counts_monday_to_friday_and_no_holidays(
    calendar: WorkCalendar,
) -> None:
    assert not calendar.covers(2027)
    assert calendar.is_workday(date(2027, 1, 1))  # a Friday; its holiday is not known yet
    assert not calendar.is_workday(date(2027, 1, 2))
    assert not calendar.is_workday(date(2027, 1, 3))


def test_uncovered_years_names_the_fallback_years_a_span_touches(calendar: WorkCalendar) -> None:
    start = datetime(2026, 12, 31, 20, tzinfo=SHANGHAI)

    assert calendar.uncovered_years(start, start + timedelta(days=400)) == (2027, 2028)
    assert calendar.uncovered_years(start + timedelta(days=400), start) == (2027, 2028)
    assert calendar.uncovered_years(start, start + timedelta(hours=1)) == ()
    # 2026-12-31 16:30 UTC is already 2027 in Shanghai
    assert calendar.uncovered_years(start, start + timedelta(hours=4)) == (2027,)


def test_loading_warns_once_when_next_year_has_no_schedule(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="gridcenter.calendar"):
        load_work_calendar(today=date(2026, 11, 20))

    [record] = caplog.records
    assert record.name == "gridcenter.calendar"
    assert record.getMessage().startswith(
        "no official holiday schedule for 2027: deadlines falling in 2027 count "
        "Monday–Friday 09:00–12:00, 13:30–17:30 as work time and ignore holidays; "
        "add the State Council's 2027 schedule to "
    )


def test_loading_names_every_uncovered_year_in_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="gridcenter.calendar"):
        load_work_calendar(today=date(2027, 3, 1), work_hours="08:30-12:00,14:00-18:00")

    [record] = caplog.records
    assert "for 2027 and 2028" in record.getMessage()
    assert "08:30–12:00, 14:00–18:00" in record.getMessage()


def test_loading_is_quiet_when_this_year_and_next_are_covered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="gridcenter.calendar"):
        load_work_calendar(today=date(2025, 6, 1))

    assert caplog.records == []


def test_a_schedule_file_covers_a_year_and_its_days_are_honoured(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = schedule(tmp_path, SCHEDULE_2027)
    with caplog.at_level(logging.WARNING, logger="gridcenter.calendar"):
        calendar = load_work_calendar(path, today=date(2026, 11, 20))

    assert caplog.records == []
    assert calendar.covers(2027)
    assert not calendar.is_workday(date(2027, 1, 1))  # Friday, holiday
    assert not calendar.is_workday(date(2027, 1, 4))  # Monday, holiday
    assert calendar.is_workday(date(2027, 1, 9))  # Saturday, make-up day
    assert calendar.is_workday(date(2027, 1, 5))


def test_the_warning_points_at_the_admins_schedule_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = schedule(tmp_path, "")
    with caplog.at_level(logging.WARNING, logger="gridcenter.calendar"):
        load_work_calendar(path, today=date(2026, 11, 20))

    assert f"schedule to {path} (see infra/data/calendar.toml)" in caplog.records[0].getMessage()


def schedule_2026(holidays: list[str], make_up_days: list[str]) -> str:
    return (
        f'[years.2026]\nsource = "2026 notice"\n'
        f"holidays = {holidays}\nmake_up_days = {make_up_days}\n"
    )


LIBRARY_HOLIDAYS_2026 = sorted(
    day.isoformat() for day in chinese_calendar.holidays if day.year == 2026
)


def test_a_schedule_file_restating_a_covered_year_is_accepted(tmp_path: Path) -> None:
    path = schedule(tmp_path, schedule_2026(LIBRARY_HOLIDAYS_2026, MAKE_UP_DAYS_2026))

    calendar = load_work_calendar(path, today=date(2025, 6, 1))

    assert not calendar.is_workday(date(2026, 10, 7))


def test_a_schedule_file_that_disagrees_with_the_library_is_refused(tmp_path: Path) -> None:
    holidays = [day for day in LIBRARY_HOLIDAYS_2026 if day != "2026-10-07"]
    path = schedule(tmp_path, schedule_2026(holidays, MAKE_UP_DAYS_2026))

    with pytest.raises(ValueError, match="makes 2026-10-07 \\(Wednesday\\) a work day") as refused:
        load_work_calendar(path, today=date(2025, 6, 1))
    assert str(refused.value).startswith(f"{path}: [years.2026]")
    assert "chinesecalendar 1.11.0 makes it a day off" in str(refused.value)


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ('holidays = ["2027-02-30"]\nmake_up_days = []', "'2027-02-30' is not a real date"),
        ('holidays = ["2027/01/01"]\nmake_up_days = []', "'2027/01/01' is not a date"),
        ("holidays = [20270101]\nmake_up_days = []", "20270101 is not a date"),
        ('holidays = "2027-01-01"\nmake_up_days = []', "holidays must be a list"),
        ('holidays = ["2028-01-01"]\nmake_up_days = []', "2028-01-01 is not in 2027"),
        ('holidays = []\nmake_up_days = ["2027-01-11"]', "2027-01-11 is a Monday"),
        ('holidays = ["2027-01-09"]\nmake_up_days = ["2027-01-09"]', "both as a holiday"),
        ('holidays = ["2027-01-01"]', "missing 'make_up_days'"),
        ('holidays = []\nmake_up_days = []\nmakeup_days = ["2027-01-09"]', "unknown key"),
    ],
)
def test_a_malformed_schedule_file_is_refused_naming_the_file(
    tmp_path: Path, entry: str, complaint: str
) -> None:
    path = schedule(tmp_path, f'[years.2027]\nsource = "notice"\n{entry}\n')

    with pytest.raises(ValueError, match=complaint) as refused:
        load_work_calendar(path, today=date(2026, 11, 20))
    assert str(refused.value).startswith(f"{path}: [years.2027]")


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("[years.2027", "not valid TOML"),
        ('[years.27]\nsource = "x"\nholidays = []\nmake_up_days = []', "not a four-digit year"),
        ('[years.2027]\nsource = ""\nholidays = []\nmake_up_days = []', "'source' must name"),
        ('holidays = ["2027-01-01"]', "unknown key 'holidays'"),
    ],
)
def test_a_schedule_file_of_the_wrong_shape_is_refused(
    tmp_path: Path, text: str, complaint: str
) -> None:
    with pytest.raises(ValueError, match=complaint):
        load_work_calendar(schedule(tmp_path, text), today=date(2026, 11, 20))


@pytest.mark.parametrize(
    ("work_hours", "complaint"),
    [
        ("9-12", "'9-12' is not HH:MM-HH:MM"),
        ("09:00-12:00;13:30-17:30", "is not HH:MM-HH:MM"),
        ("09:00-25:00", "'09:00-25:00' has no such time"),
        ("09:00-12:00,11:00-17:30", "must not overlap"),
        ("13:30-17:30,09:00-12:00", "must be in order"),
        ("12:00-09:00", "does not end after it starts"),
        ("", "'' is not HH:MM-HH:MM"),
    ],
)
def test_bad_work_hours_are_refused(work_hours: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        load_work_calendar(work_hours=work_hours, today=date(2025, 6, 1))


def test_custom_work_hours_set_the_length_of_a_work_day() -> None:
    calendar = load_work_calendar(work_hours="08:30-12:00, 14:00-18:00", today=date(2025, 6, 1))

    assert calendar.work_periods == ((time(8, 30), time(12)), (time(14), time(18)))
    assert calendar.day_length == timedelta(hours=7, minutes=30)


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Asia/Beijing'"):
        load_work_calendar(zone="Asia/Beijing", today=date(2025, 6, 1))


def test_holidays_and_make_up_days_decide_over_the_weekday() -> None:
    calendar = small_calendar()

    assert not calendar.is_workday(date(2026, 10, 1))  # Thursday, holiday
    assert calendar.is_workday(date(2026, 10, 10))  # Saturday, make-up day
    assert not calendar.is_workday(date(2026, 10, 11))  # Sunday
    assert calendar.is_workday(date(2026, 10, 12))  # Monday
    assert calendar.day_length == timedelta(hours=7)


def test_is_workday_refuses_a_datetime_whose_local_day_would_be_a_guess() -> None:
    with pytest.raises(TypeError, match="local date"):
        small_calendar().is_workday(datetime(2026, 10, 1, 9))


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        small_calendar().uncovered_years(datetime(2026, 1, 1), datetime(2027, 1, 1))


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"work_periods": ()}, "at least one work period"),
        ({"work_periods": ((time(12), time(9)),)}, "does not end after it starts"),
        ({"work_periods": ((time(9), time(12)), (time(11), time(17)))}, "must not overlap"),
        ({"make_up_days": frozenset({date(2026, 10, 1)})}, "both a holiday and a make-up"),
        ({"holidays": frozenset({date(2027, 1, 1)})}, "2027 is not a covered year"),
    ],
)
def test_an_inconsistent_calendar_cannot_be_built(
    overrides: dict[str, object], complaint: str
) -> None:
    with pytest.raises(ValueError, match=complaint):
        small_calendar(**overrides)
