"""The grid map view: the district's areas and each grid's current boundary, as GeoJSON."""

from __future__ import annotations

from datetime import timedelta

from domain.grids.district import GridPlan
from domain.service import GridCenter
from projections import grid_map
from projections.replay import as_of
from projections.runner import ProjectionRunner
from projections.store.memory import MemoryViewStore
from tests.fixtures import (
    ADMIN,
    COMMUNITY,
    DISTRICT,
    GRID_A,
    GRID_B,
    MONDAY,
    OTHER_COMMUNITY,
    STREET,
    square,
)

LATER = MONDAY + timedelta(days=1)


def mapped(app: GridCenter) -> MemoryViewStore:
    store = MemoryViewStore()
    ProjectionRunner(app.recorder, store, [grid_map]).catch_up()
    return store


def test_the_map_holds_the_areas_and_every_grid_with_its_boundary(app: GridCenter) -> None:
    store = mapped(app)
    kinds = [(a.code, a.kind) for a in grid_map.area_list(store)]
    assert kinds == [
        (DISTRICT, "district"),
        (STREET, "street"),
        (COMMUNITY, "community"),
        (OTHER_COMMUNITY, "community"),
    ]
    shapes = grid_map.shapes(store)
    assert len(shapes) == 4
    first = shapes[0]
    assert (first.code, first.community, first.street) == (GRID_A, COMMUNITY, STREET)
    ring = first.geometry["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5  # a closed square


def test_the_geojson_is_a_feature_collection_of_polygons(app: GridCenter) -> None:
    collection = grid_map.geojson(grid_map.shapes(mapped(app), COMMUNITY))
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == [GRID_A, GRID_B]
    assert {f["geometry"]["type"] for f in collection["features"]} == {"Polygon"}
    assert collection["features"][0]["properties"]["name_en"] == "Grid 1"


def test_a_redrawn_grid_takes_its_new_boundary_and_time_travel_shows_the_old(
    app: GridCenter,
) -> None:
    before = grid_map.shapes(mapped(app))[0].geometry
    narrower = square(116.40, 39.93, 116.408, 39.94)
    app.redraw_grids(
        {GRID_A: narrower, GRID_B: square(116.408, 39.93, 116.42, 39.94)}, ADMIN, LATER
    )
    now = grid_map.shapes(mapped(app))[0]
    assert now.geometry != before and now.drawn_at == LATER
    then = grid_map.shapes(as_of(app.recorder, [grid_map], instant=MONDAY))[0]
    assert then.geometry == before


def test_a_split_grid_leaves_the_map_and_its_parts_join_it(app: GridCenter) -> None:
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
    store = mapped(app)
    assert [s.code for s in grid_map.shapes(store, COMMUNITY)] == [GRID_B, west, east]
    retired = [s for s in grid_map.shapes(store, retired=True) if s.retired_at]
    assert [s.code for s in retired] == [GRID_A]
