"""The district's map: codes, tiling without gaps or overlaps, locating points, and
boundaries redrawn, split and merged with their history kept."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from threading import Barrier
from typing import Any
from uuid import UUID

import pytest

from domain.errors import NotPermitted, OutsideDistrict, RuleBroken
from domain.grids.district import GridPlan, district_id
from domain.grids.geometry import Point
from domain.service import GridCenter, StaffPlan
from infra.bootstrap import Services
from infra.settings import Settings
from tests.fixtures import (
    ADMIN,
    COMMUNITY,
    DISTRICT,
    GRID_A,
    GRID_B,
    GRID_C,
    IN_A,
    IN_B,
    IN_C,
    MONDAY,
    OPERATOR,
    OUTSIDE,
    WORKER_A,
    head,
    names_since,
    refused,
    square,
)

LATER = MONDAY + timedelta(days=30)


def test_a_point_is_located_in_the_grid_that_contains_it(app: GridCenter) -> None:
    assert [app.locate(p) for p in (IN_A, IN_B, IN_C)] == [GRID_A, GRID_B, GRID_C]


def test_a_point_outside_every_grid_is_an_error(app: GridCenter) -> None:
    with pytest.raises(
        OutsideDistrict, match=r"\(39.800000 N, 116.500000 E\) lies outside every grid"
    ):
        app.locate(OUTSIDE)


def test_a_point_on_a_shared_edge_belongs_to_the_lower_code(app: GridCenter) -> None:
    assert app.locate(Point(116.41, 39.935)) == GRID_A


def test_the_map_must_cover_the_district_without_gaps(app: GridCenter) -> None:
    refused(
        app,
        lambda: app.split_grid(
            GRID_A,
            [
                GridPlan(f"{COMMUNITY}010", "a", "a", square(116.40, 39.93, 116.405, 39.94), 1, 1),
                GridPlan(f"{COMMUNITY}011", "b", "b", square(116.405, 39.93, 116.409, 39.94), 1, 1),
            ],
            ADMIN,
            LATER,
        ),
        RuleBroken,
        "do not cover grid 110101001001001 exactly",
    )


def test_grids_must_not_overlap(app: GridCenter) -> None:
    refused(
        app,
        lambda: app.redraw_grids(
            {
                GRID_A: square(116.40, 39.93, 116.412, 39.94),
                GRID_B: square(116.41, 39.93, 116.42, 39.94),
            },
            ADMIN,
            LATER,
        ),
        RuleBroken,
        "overlap",
    )


def test_a_grid_code_must_start_with_its_community_code(app: GridCenter) -> None:
    refused(
        app,
        lambda: app.split_grid(
            GRID_A,
            [
                GridPlan("110101002001010", "a", "a", square(116.40, 39.93, 116.405, 39.94), 1, 1),
                GridPlan(f"{COMMUNITY}011", "b", "b", square(116.405, 39.93, 116.41, 39.94), 1, 1),
            ],
            ADMIN,
            LATER,
        ),
        Exception,
        "no community 110101002001",
    )


def test_redrawing_moves_a_boundary_and_history_keeps_the_old_shape(app: GridCenter) -> None:
    before = head(app)
    app.redraw_grids(
        {
            GRID_A: square(116.40, 39.93, 116.408, 39.94),
            GRID_B: square(116.408, 39.93, 116.42, 39.94),
        },
        ADMIN,
        LATER,
    )
    assert names_since(app, before) == ["GridsRedrawn"]
    moved = Point(116.409, 39.935)
    assert app.locate(moved) == GRID_B
    assert app.locate(moved, at=LATER - timedelta(days=1)) == GRID_A
    assert app.map().grid(GRID_A).shape_at(LATER - timedelta(days=1)) == square(
        116.40, 39.93, 116.41, 39.94
    )


def test_splitting_a_grid_retires_it_and_draws_its_parts(app: GridCenter) -> None:
    before = head(app)
    west, east = f"{COMMUNITY}010", f"{COMMUNITY}011"
    app.split_grid(
        GRID_A,
        [
            GridPlan(west, "西", "West", square(116.40, 39.93, 116.405, 39.94), 150, 450),
            GridPlan(east, "东", "East", square(116.405, 39.93, 116.41, 39.94), 150, 450),
        ],
        ADMIN,
        LATER,
    )
    assert names_since(app, before) == ["GridRetired", "GridDrawn", "GridDrawn"]
    in_east = Point(116.407, 39.935)
    assert app.locate(in_east) == east
    assert app.locate(in_east, at=LATER - timedelta(hours=1)) == GRID_A
    assert app.map().grid(GRID_A).successors == (west, east)


def test_merging_grids_draws_one_grid_over_both(app: GridCenter) -> None:
    merged = f"{COMMUNITY}009"
    app.merge_grids(
        [GRID_A, GRID_B],
        GridPlan(merged, "合并", "Merged", square(116.40, 39.93, 116.42, 39.94), 580, 1700),
        ADMIN,
        LATER,
    )
    assert app.locate(IN_A) == app.locate(IN_B) == merged
    refused(
        app,
        lambda: app.redraw_grids({GRID_A: square(116.40, 39.93, 116.41, 39.94)}, ADMIN, LATER),
        RuleBroken,
        "was retired",
    )


def test_only_grids_of_one_community_merge(app: GridCenter) -> None:
    refused(
        app,
        lambda: app.merge_grids(
            [GRID_A, GRID_C],
            GridPlan(f"{COMMUNITY}009", "x", "x", square(116.40, 39.92, 116.41, 39.94), 1, 1),
            ADMIN,
            LATER,
        ),
        RuleBroken,
        "different communities",
    )


def test_only_an_admin_draws_the_map(app: GridCenter) -> None:
    refused(
        app,
        lambda: app.redraw_grids({GRID_A: square(116.40, 39.93, 116.41, 39.94)}, OPERATOR, LATER),
        NotPermitted,
        "may not draw map",
    )


def test_a_grid_is_staffed_by_its_own_grid_worker(app: GridCenter) -> None:
    app.enrol_staff(
        [StaffPlan(WORKER_A.id, WORKER_A.name, WORKER_A.role, WORKER_A.area)], ADMIN, MONDAY
    )
    refused(
        app,
        lambda: app.staff_grids({GRID_B: (WORKER_A.id, ["楼门长 刘"])}, ADMIN, LATER),
        RuleBroken,
        "not its grid worker",
    )
    app.staff_grids({GRID_A: (WORKER_A.id, ["楼门长 刘", "民警 吴"])}, ADMIN, LATER)
    grid = app.map().grid(GRID_A)
    assert (grid.worker, grid.team) == (WORKER_A.id, ("楼门长 刘", "民警 吴"))


def test_reports_arriving_together_at_a_fresh_node_read_the_map_once(
    app_factory: Callable[[str], GridCenter], catalog: Any, calendar: Any, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'log.db'}"
    app_factory(url).close()
    env = {"PERSISTENCE_MODULE": "infra.event_store", "GRIDCENTER_DATABASE_URL": url}
    fresh = GridCenter(catalog, calendar, district=DISTRICT, env=env)
    store = fresh.repository.event_store
    whole, read = [], store.get

    def counted(originator_id: UUID, **kwargs: Any) -> Any:
        if kwargs.get("gt") is None and originator_id == district_id(DISTRICT):
            whole.append(originator_id)
            time.sleep(0.05)  # a long history: the other reports arrive while it is read
        return read(originator_id, **kwargs)

    store.get = counted  # type: ignore[method-assign]
    together = Barrier(8)

    def report() -> str:
        together.wait()
        return fresh.locate(IN_A)

    try:
        with ThreadPoolExecutor(8) as pool:
            located = list(pool.map(lambda _: report(), range(8)))
    finally:
        fresh.close()
    assert located == [GRID_A] * 8
    assert len(whole) == 1, f"the map's history was read {len(whole)} times"


def test_a_node_reads_the_map_as_it_starts_not_at_its_first_report(
    app_factory: Callable[[str], GridCenter], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'log.db'}"
    app_factory(url).close()
    services = Services(Settings(database_url=url, district=DISTRICT, views="workers"))
    try:
        cache = services.app.repository.cache
        assert cache is not None
        with pytest.raises(KeyError):
            cache.get(district_id(DISTRICT))
        services.start()
        assert cache.get(district_id(DISTRICT)).version > 1
    finally:
        services.close()
