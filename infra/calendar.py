"""Builds the district's work calendar from the official holiday schedules.

The State Council publishes each year's holidays and make-up working days (调休) in
November of the year before. `chinese_calendar` carries the schedules published before
its release; schedule files (the packaged `infra/data/calendar.toml` and an admin's file
in the same format) add later years without waiting for a new release. A year nobody
covers falls back to Monday–Friday, and loading warns about it for this year and the next.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import chinese_calendar

from domain.calendar import WorkCalendar

log = logging.getLogger("gridcenter.calendar")

PACKAGED_SCHEDULE = "infra/data/calendar.toml"
_SATURDAY = 5  # date.weekday(): Monday is 0
_YEAR_KEYS = frozenset({"source", "holidays", "make_up_days"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PERIOD = re.compile(r"(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})")


@dataclass(frozen=True)
class _YearSchedule:
    """One year's official schedule and where it was read, for error messages."""

    holidays: frozenset[date]
    make_up_days: frozenset[date]
    origin: str

    def calendar(self, year: int) -> WorkCalendar:
        """The year on its own, so files are checked by the same rule deadlines use."""
        return WorkCalendar(UTC, self.holidays, self.make_up_days, frozenset({year}))


def load_work_calendar(
    schedule_file: Path | None = None,
    *,
    zone: str = "Asia/Shanghai",
    work_hours: str = "09:00-12:00,13:30-17:30",
    today: date | None = None,
) -> WorkCalendar:
    """The district's calendar: library schedules, then the packaged and admin files.

    A year given by several sources must agree day for day with the first, so a typo in a
    file cannot quietly change deadlines. Raises ValueError naming the file and the date.
    """
    district_zone = _zone(zone)
    periods = _parse_work_hours(work_hours)
    schedules = _library_schedules()
    packaged = resources.files("infra").joinpath("data", "calendar.toml")
    _merge(schedules, _parse_schedule(packaged.read_text(encoding="utf-8"), PACKAGED_SCHEDULE))
    if schedule_file is not None:
        text = schedule_file.read_text(encoding="utf-8")
        _merge(schedules, _parse_schedule(text, str(schedule_file)))
    calendar = WorkCalendar(
        zone=district_zone,
        holidays=frozenset(day for year in schedules.values() for day in year.holidays),
        make_up_days=frozenset(day for year in schedules.values() for day in year.make_up_days),
        covered_years=frozenset(schedules),
        work_periods=periods,
    )
    _warn_uncovered(calendar, today or datetime.now(district_zone).date(), schedule_file)
    return calendar


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}, expected e.g. 'Asia/Shanghai'") from error


def _parse_work_hours(text: str) -> tuple[tuple[time, time], ...]:
    """'HH:MM-HH:MM,…' into periods; the calendar itself checks their order."""
    periods = []
    for part in (part.strip() for part in text.split(",")):
        match = _PERIOD.fullmatch(part)
        if match is None:
            raise ValueError(
                f"work hours {text!r}: {part!r} is not HH:MM-HH:MM; "
                "expected e.g. '09:00-12:00,13:30-17:30'"
            )
        hour, minute, end_hour, end_minute = map(int, match.groups())
        try:
            periods.append((time(hour, minute), time(end_hour, end_minute)))
        except ValueError as error:
            raise ValueError(f"work hours {text!r}: {part!r} has no such time ({error})") from error
    return tuple(periods)


def _library_schedules() -> dict[int, _YearSchedule]:
    """The schedules chinese_calendar carries, for every year between its first and last."""
    origin = f"the State Council schedule in chinesecalendar {chinese_calendar.__version__}"
    holidays: set[date] = set(chinese_calendar.holidays)
    workdays: set[date] = set(chinese_calendar.workdays)
    first, last = min(holidays).year, max(holidays).year
    return {
        year: _YearSchedule(
            holidays=frozenset(day for day in holidays if day.year == year),
            make_up_days=frozenset(
                day for day in workdays if day.year == year and day.weekday() >= _SATURDAY
            ),
            origin=origin,
        )
        for year in range(first, last + 1)
    }


def _parse_schedule(text: str, origin: str) -> dict[int, _YearSchedule]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{origin}: not valid TOML: {error}") from error
    unknown = sorted(set(document) - {"years"})
    if unknown:
        raise ValueError(f"{origin}: unknown key {unknown[0]!r}; only [years.YYYY] tables belong")
    years = document.get("years", {})
    if not isinstance(years, dict):
        raise ValueError(f"{origin}: 'years' must be a table of [years.YYYY] tables")
    return {_year(key, origin): _year_schedule(key, entry, origin) for key, entry in years.items()}


def _year(key: str, origin: str) -> int:
    if not re.fullmatch(r"\d{4}", key):
        raise ValueError(f"{origin}: [years.{key}] is not a four-digit year")
    return int(key)


def _year_schedule(key: str, entry: Any, origin: str) -> _YearSchedule:
    where = f"{origin}: [years.{key}]"
    if not isinstance(entry, dict):
        raise ValueError(f"{where} must be a table")
    if unknown := sorted(set(entry) - _YEAR_KEYS):
        raise ValueError(f"{where}: unknown key {unknown[0]!r}, expected {sorted(_YEAR_KEYS)}")
    if missing := sorted(_YEAR_KEYS - set(entry)):
        raise ValueError(f"{where}: missing {missing[0]!r} (an empty list is fine for no dates)")
    source = entry["source"]
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"{where}: 'source' must name the State Council notice")
    holidays = _dates(entry["holidays"], f"{where} holidays", int(key))
    make_up_days = _dates(entry["make_up_days"], f"{where} make_up_days", int(key))
    for day in sorted(make_up_days):
        if day.weekday() < _SATURDAY:
            raise ValueError(
                f"{where} make_up_days: {day} is a {day:%A}; "
                "make-up working days (调休上班) are weekend days"
            )
    if both := sorted(holidays & make_up_days):
        raise ValueError(f"{where}: {both[0]} is listed both as a holiday and as a make-up day")
    return _YearSchedule(holidays, make_up_days, origin)


def _dates(value: Any, where: str, year: int) -> frozenset[date]:
    if not isinstance(value, list):
        raise ValueError(f'{where} must be a list of "YYYY-MM-DD" dates')
    days = set()
    for item in value:
        day = _date(item, where)
        if day.year != year:
            raise ValueError(f"{where}: {day} is not in {year}")
        days.add(day)
    return frozenset(days)


def _date(item: Any, where: str) -> date:
    if type(item) is date:  # a bare TOML date; a TOML datetime is no day
        return item
    if isinstance(item, str) and _ISO_DATE.fullmatch(item):
        try:
            return date.fromisoformat(item)
        except ValueError as error:
            raise ValueError(f"{where}: {item!r} is not a real date ({error})") from error
    raise ValueError(f'{where}: {item!r} is not a date written as "YYYY-MM-DD"')


def _merge(schedules: dict[int, _YearSchedule], extra: dict[int, _YearSchedule]) -> None:
    """Add the years `extra` brings; a year already known must agree day for day."""
    for year, schedule in sorted(extra.items()):
        known = schedules.setdefault(year, schedule)
        if known is not schedule:
            _require_agreement(year, known, schedule)


def _require_agreement(year: int, known: _YearSchedule, schedule: _YearSchedule) -> None:
    first, second = known.calendar(year), schedule.calendar(year)
    day = date(year, 1, 1)
    while day.year == year:
        if first.is_workday(day) != second.is_workday(day):
            raise ValueError(
                f"{schedule.origin}: [years.{year}] makes {day} ({day:%A}) "
                f"{_kind(second.is_workday(day))}, but {known.origin} makes it "
                f"{_kind(first.is_workday(day))}; correct the entry or remove it"
            )
        day += timedelta(days=1)


def _kind(works: bool) -> str:
    return "a work day" if works else "a day off"


def _warn_uncovered(calendar: WorkCalendar, today: date, schedule_file: Path | None) -> None:
    """One warning for this year and the next, so nobody learns of the fallback late."""
    missing = [year for year in (today.year, today.year + 1) if not calendar.covers(year)]
    if not missing:
        return
    years = " and ".join(map(str, missing))
    hours = ", ".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in calendar.work_periods)
    target = schedule_file or "a schedule file named by GRIDCENTER_CALENDAR_FILE"
    log.warning(
        "no official holiday schedule for %s: deadlines falling in %s count Monday–Friday "
        "%s as work time and ignore holidays; add the State Council's %s schedule to %s "
        "(see %s)",
        years,
        years,
        hours,
        years,
        target,
        PACKAGED_SCHEDULE,
    )
