"""The monthly analysis (民情分析): reports per month, category, area and channel, with the
change against the month before, folded from reports made through the real application."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.cases import Channel
from domain.grids.geometry import Point
from domain.service import GridCenter
from domain.staff import Actor
from projections import monthly_analysis
from projections.monthly_analysis import Analysis, Change, analysis, months, previous_month
from projections.runner import ProjectionRunner
from projections.store.memory import MemoryViewStore
from tests.fixtures import (
    COMMUNITY,
    CST,
    GRID_A,
    GRID_B,
    GRID_C,
    IN_A,
    IN_B,
    IN_C,
    MONDAY,
    OPERATOR,
    OTHER_COMMUNITY,
    RESIDENT,
    STREET,
    WORKER_A,
    WORKER_B,
)
from tests.histories import contents

MARCH = MONDAY  # 2026-03-09
APRIL = datetime(2026, 4, 1, 7, 0, tzinfo=CST)  # still 31 March in UTC
GARBAGE, ROADS, HEATING = "E0101", "E0501", "E0903"
PLACES = {GRID_A: IN_A, GRID_B: IN_B, GRID_C: IN_C}
PATROLS = {GRID_A: WORKER_A, GRID_B: WORKER_B}


def report(
    app: GridCenter,
    category: str,
    at: datetime,
    grid: str = GRID_A,
    channel: Channel = Channel.PATROL,
) -> int:
    by: Actor = {Channel.HOTLINE: OPERATOR, Channel.APP: RESIDENT}.get(channel) or PATROLS[grid]
    where: Point = PLACES[grid]
    recorded = app.report_case(
        channel=channel, category=category, location=where, description="问题", by=by, at=at
    )
    assert recorded.number is not None
    return recorded.number


def folded(app: GridCenter) -> MemoryViewStore:
    store = MemoryViewStore()
    ProjectionRunner(app.recorder, store, [monthly_analysis]).catch_up()
    return store


def by_category(found: Analysis) -> dict[str, tuple[int, int, int, float | None]]:
    return {c.heading: (c.reports, c.previous, c.change, c.relative) for c in found.categories}


def test_reports_are_counted_per_category_against_the_month_before(app: GridCenter) -> None:
    for n, category in enumerate((GARBAGE, GARBAGE, ROADS, ROADS)):
        report(app, category, MARCH + timedelta(hours=n))
    for n, category in enumerate((GARBAGE, GARBAGE, GARBAGE, HEATING)):
        report(app, category, APRIL + timedelta(hours=n))
    found = analysis(folded(app), "2026-04")
    assert (found.month, found.previous) == ("2026-04", "2026-03")
    assert found.total == Change("all", 4, 4, 0, 0.0)
    assert by_category(found) == {
        GARBAGE: (3, 2, 1, 0.5),
        HEATING: (1, 0, 1, None),
        ROADS: (0, 2, -2, -1.0),
    }
    assert [c.heading for c in found.categories] == [GARBAGE, HEATING, ROADS]


def test_a_month_is_counted_in_china_standard_time(app: GridCenter) -> None:
    report(app, GARBAGE, datetime(2026, 3, 31, 23, 59, tzinfo=CST))
    report(app, GARBAGE, APRIL)
    store = folded(app)
    assert months(store) == ["2026-03", "2026-04"]
    assert analysis(store, "2026-04").total.reports == 1


def test_reports_are_counted_per_channel(app: GridCenter) -> None:
    report(app, GARBAGE, MARCH)
    report(app, GARBAGE, APRIL, channel=Channel.HOTLINE)
    report(app, ROADS, APRIL + timedelta(hours=1), channel=Channel.HOTLINE)
    report(app, ROADS, APRIL + timedelta(hours=2), channel=Channel.APP)
    channels = {c.heading: c for c in analysis(folded(app), "2026-04").channels}
    assert channels["hotline"] == Change("hotline", 2, 0, 2, None)
    assert channels["app"] == Change("app", 1, 0, 1, None)
    assert channels["patrol"] == Change("patrol", 0, 1, -1, -1.0)


def test_an_area_sums_the_grids_its_code_begins(app: GridCenter) -> None:
    report(app, GARBAGE, APRIL, grid=GRID_A)
    report(app, GARBAGE, APRIL + timedelta(hours=1), grid=GRID_B)
    report(app, ROADS, APRIL + timedelta(hours=2), grid=GRID_C, channel=Channel.HOTLINE)
    store = folded(app)
    assert by_category(analysis(store, "2026-04", COMMUNITY)) == {GARBAGE: (2, 0, 2, None)}
    assert by_category(analysis(store, "2026-04", GRID_B)) == {GARBAGE: (1, 0, 1, None)}
    assert by_category(analysis(store, "2026-04", OTHER_COMMUNITY)) == {ROADS: (1, 0, 1, None)}
    assert analysis(store, "2026-04", STREET).total.reports == 3
    assert analysis(store, "2026-04", STREET).area == STREET


def test_a_report_filed_under_another_category_counts_under_that_one(app: GridCenter) -> None:
    number = report(app, GARBAGE, MARCH)
    report(app, GARBAGE, MARCH + timedelta(hours=1))
    app.file_case(number, by=OPERATOR, at=MARCH + timedelta(hours=2), category=ROADS)
    found = analysis(folded(app), "2026-03")
    assert by_category(found) == {GARBAGE: (1, 0, 1, None), ROADS: (1, 0, 1, None)}
    assert found.total.reports == 2


def test_a_rejected_report_still_counts_as_raised(app: GridCenter) -> None:
    number = report(app, GARBAGE, MARCH)
    app.reject_case(number, reason="重复", by=OPERATOR, at=MARCH + timedelta(hours=1))
    assert analysis(folded(app), "2026-03").total.reports == 1


def test_a_month_without_reports_has_no_relative_change(app: GridCenter) -> None:
    report(app, GARBAGE, MARCH)
    found = analysis(folded(app), "2026-05")
    assert found.total == Change("all", 0, 0, 0, None)
    assert found.categories == () and found.channels == ()


@pytest.mark.parametrize(
    ("month", "previous"), [("2026-03", "2026-02"), ("2026-01", "2025-12"), ("2026-12", "2026-11")]
)
def test_the_month_before(month: str, previous: str) -> None:
    assert previous_month(month) == previous


@pytest.mark.parametrize("month", ["2026-13", "2026-3", "March", "2026-03-01"])
def test_a_month_is_asked_for_as_year_and_month(app: GridCenter, month: str) -> None:
    with pytest.raises(ValueError, match="not a month"):
        analysis(MemoryViewStore(), month)


def test_folding_event_by_event_gives_the_rows_of_one_fold(app: GridCenter) -> None:
    first = report(app, GARBAGE, MARCH)
    report(app, ROADS, MARCH + timedelta(hours=1), grid=GRID_B)
    app.file_case(first, by=OPERATOR, at=MARCH + timedelta(hours=2), category=HEATING)
    report(app, GARBAGE, APRIL, channel=Channel.APP)
    report(app, GARBAGE, APRIL + timedelta(hours=1), grid=GRID_C, channel=Channel.HOTLINE)
    one_by_one = MemoryViewStore()
    ProjectionRunner(app.recorder, one_by_one, [monthly_analysis], batch=1).catch_up()
    assert contents(one_by_one, [monthly_analysis]) == contents(folded(app), [monthly_analysis])
    assert by_category(analysis(one_by_one, "2026-03")) == {
        HEATING: (1, 0, 1, None),
        ROADS: (1, 0, 1, None),
    }
