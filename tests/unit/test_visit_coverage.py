"""Visit coverage: visits done this quarter against visits due, per grid and household tag,
folded from households registered and visited through the real application."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import orjson
import pytest

from domain.service import GridCenter, HouseholdPlan
from domain.visits import Tag
from projections import visit_coverage
from projections.replay import as_of
from projections.runner import ProjectionRunner
from projections.store.memory import MemoryViewStore
from projections.visit_coverage import Coverage, TagCoverage, coverage, due_a_quarter, grid
from tests.fixtures import (
    COMMUNITY,
    CST,
    DISTRICT,
    GRID_A,
    GRID_B,
    IN_A,
    IN_B,
    MONDAY,
    OTHER_COMMUNITY,
    WORKER_A,
    WORKER_B,
)
from tests.histories import contents

ELDER, FAMILY, RENTER = f"{GRID_A}0001", f"{GRID_A}0002", f"{GRID_A}0003"
NEIGHBOUR = f"{GRID_B}0001"
LAST_OF_Q1 = datetime(2026, 3, 31, 23, 0, tzinfo=CST)
FIRST_OF_Q2 = datetime(2026, 4, 1, 7, 0, tzinfo=CST)  # still 31 March in UTC


def register(app: GridCenter, code: str, *tags: Tag) -> None:
    worker, where = (WORKER_A, IN_A) if code.startswith(GRID_A) else (WORKER_B, IN_B)
    plan = HouseholdPlan(code, f"门牌 {code[-4:]}", where, 2, tags, "户主", "13900000000")
    app.register_households([plan], worker, MONDAY)


def visit(app: GridCenter, code: str, at: datetime, times: int = 1) -> None:
    worker = WORKER_A if code.startswith(GRID_A) else WORKER_B
    for n in range(times):
        app.record_visit(code, findings="一切正常", by=worker, at=at + timedelta(minutes=n))


def folded(app: GridCenter) -> MemoryViewStore:
    store = MemoryViewStore()
    ProjectionRunner(app.recorder, store, [visit_coverage]).catch_up()
    return store


def figures(found: Coverage) -> dict[str, tuple[int, int, int]]:
    """tag -> (households, due, done)"""
    return {t.tag: (t.households, t.due, t.done) for t in found.tags}


def tag(found: Coverage, name: str) -> TagCoverage:
    (chosen,) = [t for t in found.tags if t.tag == name]
    return chosen


@pytest.mark.parametrize(
    ("tags", "due"),
    [((), 1), ((Tag.RENTED,), 1), ((Tag.LOW_INCOME,), 2), ((Tag.ELDERLY_ALONE, Tag.VETERAN), 3)],
)
def test_a_quarter_is_due_a_fourth_of_the_years_visits_rounded_up(
    tags: tuple[Tag, ...], due: int
) -> None:
    assert due_a_quarter(tags) == due


def test_an_elderly_household_living_alone_is_due_three_visits_a_quarter_and_an_ordinary_one(
    app: GridCenter,
) -> None:
    register(app, ELDER, Tag.ELDERLY_ALONE)
    register(app, FAMILY)
    found = grid(folded(app), GRID_A, MONDAY)
    assert found.quarter == "2026Q1"
    assert figures(found) == {"all": (2, 4, 0), "key": (1, 3, 0), "elderly_alone": (1, 3, 0)}
    assert tag(found, "all").share == 0.0


def test_visiting_one_household_more_often_does_not_cover_another(app: GridCenter) -> None:
    register(app, FAMILY)
    register(app, RENTER, Tag.RENTED)
    visit(app, RENTER, MONDAY, times=3)
    found = grid(folded(app), GRID_A, MONDAY)
    assert figures(found) == {"all": (2, 2, 1), "rented": (1, 1, 1)}
    assert tag(found, "all").share == 0.5


def test_a_key_household_counts_each_visit_up_to_its_due(app: GridCenter) -> None:
    register(app, ELDER, Tag.ELDERLY_ALONE)
    visit(app, ELDER, MONDAY, times=2)
    assert tag(grid(folded(app), GRID_A, MONDAY), "key").done == 2
    visit(app, ELDER, MONDAY + timedelta(days=1), times=2)
    assert figures(grid(folded(app), GRID_A, MONDAY))["key"] == (1, 3, 3)


def test_a_household_that_moved_out_drops_out_of_due_and_done(app: GridCenter) -> None:
    register(app, ELDER, Tag.ELDERLY_ALONE)
    register(app, FAMILY)
    visit(app, ELDER, MONDAY)
    app.move_out(ELDER, by=WORKER_A, at=MONDAY + timedelta(days=2))
    assert figures(grid(folded(app), GRID_A, MONDAY)) == {"all": (1, 1, 0)}


def test_a_visit_in_the_next_quarter_counts_there_in_china_standard_time(app: GridCenter) -> None:
    register(app, ELDER, Tag.ELDERLY_ALONE)
    visit(app, ELDER, LAST_OF_Q1)
    visit(app, ELDER, FIRST_OF_Q2)
    store = folded(app)
    assert figures(grid(store, GRID_A, FIRST_OF_Q2))["all"] == (1, 3, 1)
    assert grid(store, GRID_A, FIRST_OF_Q2).quarter == "2026Q2"
    assert figures(grid(store, GRID_A, LAST_OF_Q1))["all"] == (1, 3, 1)


def test_a_new_quarter_shows_its_due_before_any_visit(app: GridCenter) -> None:
    register(app, ELDER, Tag.ELDERLY_ALONE)
    visit(app, ELDER, MONDAY, times=3)
    found = grid(folded(app), GRID_A, FIRST_OF_Q2)
    assert figures(found)["all"] == (1, 3, 0)
    assert tag(found, "all").share == 0.0


def test_a_tag_given_during_the_quarter_sets_the_due_and_counts_its_visits(
    app: GridCenter,
) -> None:
    register(app, FAMILY)
    visit(app, FAMILY, MONDAY, times=2)
    assert figures(grid(folded(app), GRID_A, MONDAY)) == {"all": (1, 1, 1)}
    app.tag_household(FAMILY, Tag.LOW_INCOME, by=WORKER_A, at=MONDAY + timedelta(days=1))
    assert figures(grid(folded(app), GRID_A, MONDAY)) == {
        "all": (1, 2, 2),
        "key": (1, 2, 2),
        "low_income": (1, 2, 2),
    }
    app.untag_household(FAMILY, Tag.LOW_INCOME, by=WORKER_A, at=MONDAY + timedelta(days=2))
    assert figures(grid(folded(app), GRID_A, MONDAY)) == {"all": (1, 1, 1)}


def test_a_tag_given_in_a_later_quarter_leaves_the_earlier_quarter_as_it_was(
    app: GridCenter,
) -> None:
    register(app, FAMILY)
    visit(app, FAMILY, MONDAY)
    app.tag_household(FAMILY, Tag.DISABLED, by=WORKER_A, at=FIRST_OF_Q2)
    store = folded(app)
    assert figures(grid(store, GRID_A, FIRST_OF_Q2))["disabled"] == (1, 2, 0)
    (first_quarter,) = [r for r in store.select(visit_coverage.quarters) if r.quarter == "2026Q1"]
    assert first_quarter.done == {"all": 1}


def test_an_area_sums_its_grids(app: GridCenter) -> None:
    register(app, ELDER, Tag.ELDERLY_ALONE)
    register(app, NEIGHBOUR, Tag.LOW_INCOME)
    visit(app, ELDER, MONDAY)
    visit(app, NEIGHBOUR, MONDAY, times=2)
    store = folded(app)
    for area in (COMMUNITY, DISTRICT, None):
        found = coverage(store, MONDAY, area)
        assert figures(found)["all"] == (2, 5, 3)
        assert figures(found)["key"] == (2, 5, 3)
        assert tag(found, "all").share == pytest.approx(0.6)
    assert figures(grid(store, GRID_B, MONDAY))["all"] == (1, 2, 2)


def test_an_area_without_households_has_no_share(app: GridCenter) -> None:
    register(app, ELDER, Tag.ELDERLY_ALONE)
    found = coverage(folded(app), MONDAY, OTHER_COMMUNITY)
    assert found.tags == (TagCoverage("all", 0, 0, 0, None),)


def test_coverage_as_of_a_past_instant_shows_that_quarter(app: GridCenter) -> None:
    register(app, ELDER, Tag.ELDERLY_ALONE)
    visit(app, ELDER, MONDAY, times=2)
    visit(app, ELDER, FIRST_OF_Q2)
    app.move_out(ELDER, by=WORKER_A, at=FIRST_OF_Q2 + timedelta(hours=1))
    past = as_of(app.recorder, [visit_coverage], instant=LAST_OF_Q1)
    assert figures(coverage(past, LAST_OF_Q1))["all"] == (1, 3, 2)
    assert figures(coverage(folded(app), FIRST_OF_Q2)) == {"all": (0, 0, 0)}


def test_folding_event_by_event_gives_the_rows_of_one_fold(app: GridCenter) -> None:
    register(app, ELDER, Tag.ELDERLY_ALONE)
    register(app, FAMILY)
    register(app, NEIGHBOUR)
    visit(app, ELDER, MONDAY, times=4)
    visit(app, FAMILY, MONDAY)
    app.tag_household(FAMILY, Tag.DISABLED, by=WORKER_A, at=MONDAY + timedelta(days=1))
    visit(app, FAMILY, LAST_OF_Q1)
    visit(app, FAMILY, FIRST_OF_Q2, times=3)
    app.untag_household(FAMILY, Tag.DISABLED, by=WORKER_A, at=FIRST_OF_Q2 + timedelta(days=1))
    app.move_out(ELDER, by=WORKER_A, at=FIRST_OF_Q2 + timedelta(days=2))
    one_by_one = MemoryViewStore()
    ProjectionRunner(app.recorder, one_by_one, [visit_coverage], batch=1).catch_up()
    assert contents(one_by_one, [visit_coverage]) == contents(folded(app), [visit_coverage])
    assert figures(coverage(one_by_one, FIRST_OF_Q2)) == {"all": (2, 2, 1)}


def test_no_personal_data_goes_into_the_view(app: GridCenter) -> None:
    register(app, ELDER, Tag.ELDERLY_ALONE)
    visit(app, ELDER, MONDAY)
    rows = contents(folded(app), [visit_coverage])
    assert "户主" not in repr(rows) and "13900000000" not in repr(rows)


def test_rows_hold_plain_values_that_sql_stores_keep_as_json(app: GridCenter) -> None:
    register(app, ELDER, Tag.ELDERLY_ALONE, Tag.RENTED)
    visit(app, ELDER, MONDAY)
    for rows in contents(folded(app), [visit_coverage]).values():
        for row in rows:
            orjson.dumps(dataclasses.asdict(row))  # raises on a Tag (a str subclass) as a key
