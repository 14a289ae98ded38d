"""The demo district: where it lies, how it is cut, and how its grids are numbered."""

from __future__ import annotations

import itertools
import math
import random
import time
from collections import Counter
from functools import cache

import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Polygon

from infra.demo.city import ROW_TOLERANCE_M, CityPlan, area_m2, plan_city, random_point_in

DONGCHENG_KM2 = 41.84
STREETS = (
    ("110101001", "东华门街道", "Donghuamen Subdistrict"),
    ("110101002", "景山街道", "Jingshan Subdistrict"),
    ("110101003", "交道口街道", "Jiaodaokou Subdistrict"),
    ("110101004", "安定门街道", "Andingmen Subdistrict"),
    ("110101005", "北新桥街道", "Beixinqiao Subdistrict"),
    ("110101006", "东四街道", "Dongsi Subdistrict"),
    ("110101007", "朝阳门街道", "Chaoyangmen Subdistrict"),
    ("110101008", "建国门街道", "Jianguomen Subdistrict"),
    ("110101009", "东直门街道", "Dongzhimen Subdistrict"),
    ("110101010", "和平里街道", "Hepingli Subdistrict"),
    ("110101011", "前门街道", "Qianmen Subdistrict"),
    ("110101012", "崇文门外街道", "Chongwenmenwai Subdistrict"),
    ("110101013", "东花市街道", "Donghuashi Subdistrict"),
    ("110101014", "龙潭街道", "Longtan Subdistrict"),
    ("110101015", "体育馆路街道", "Tiyuguanlu Subdistrict"),
    ("110101016", "天坛街道", "Tiantan Subdistrict"),
    ("110101017", "永定门外街道", "Yongdingmenwai Subdistrict"),
)
BANDS = (
    ("Andingmen", "Jiaodaokou", "Beixinqiao", "Dongzhimen"),
    ("Jingshan", "Donghuamen", "Dongsi", "Chaoyangmen"),
    ("Jianguomen", "Qianmen", "Chongwenmenwai", "Donghuashi"),
    ("Tiantan", "Tiyuguanlu", "Longtan", "Yongdingmenwai"),
)
"""Dongcheng's streets from north to south, below Hepingli at the northern end."""
REAL_MIDDLES = {
    "Hepingli": (116.415, 39.957),
    "Andingmen": (116.405, 39.948),
    "Qianmen": (116.401, 39.895),
    "Tiantan": (116.407, 39.880),
    "Yongdingmenwai": (116.398, 39.866),
}


@cache
def city(seed: int = 2004) -> CityPlan:
    return plan_city(seed)


def metres(lon: float, lat: float) -> tuple[float, float]:
    """An equal-area approximation about the district's latitude, independent of the code."""
    radius = 6_371_008.8
    return (
        radius * math.cos(math.radians(39.92)) * math.radians(lon - 116.41),
        radius * math.radians(lat - 39.92),
    )


def projected(ring: tuple[tuple[float, float], ...]) -> Polygon:
    return Polygon([metres(lon, lat) for lon, lat in ring])


def street_name(plan: CityPlan, code: str) -> str:
    return next(s.name_en.removesuffix(" Subdistrict") for s in plan.streets if s.code == code)


def test_the_district_lies_where_dongcheng_is() -> None:
    centroid = Polygon(city().outline).centroid
    assert abs(centroid.y - 39.93) < 0.02
    assert abs(centroid.x - 116.41) < 0.02


def test_the_outline_covers_dongchengs_official_area() -> None:
    assert projected(city().outline).area / 1e6 == pytest.approx(DONGCHENG_KM2, rel=0.005)
    assert area_m2(city().outline) / 1e6 == pytest.approx(DONGCHENG_KM2, rel=1e-9)


def test_the_outline_is_a_north_south_strip_narrower_in_the_north() -> None:
    outline = projected(city().outline)
    west, south, east, north = outline.bounds
    assert 5_000 < east - west < 6_500
    assert 11_500 < north - south < 13_500
    third = (north - south) / 3

    def width(bottom: float) -> float:
        band = outline.intersection(shapely.box(west, bottom, east, bottom + third))
        return float(band.area / third)

    assert width(south + 2 * third) < width(south)
    assert outline.convex_hull.area > outline.area * 1.1, "an irregular outline, not a box"


def test_streets_carry_dongchengs_real_names_and_division_codes() -> None:
    assert tuple((s.code, s.name_zh, s.name_en) for s in city().streets) == STREETS


def test_streets_lie_roughly_where_they_really_are() -> None:
    plan = city()
    middle = {
        street_name(plan, s.code): Polygon(plan.street_boundary(s.code)).centroid
        for s in plan.streets
    }
    assert max(middle, key=lambda name: middle[name].y) == "Hepingli"
    band_lats = [sum(middle[name].y for name in band) / len(band) for band in BANDS]
    assert band_lats == sorted(band_lats, reverse=True)
    for name, (lon, lat) in REAL_MIDDLES.items():
        x, y = metres(middle[name].x, middle[name].y)
        real_x, real_y = metres(lon, lat)
        assert math.hypot(x - real_x, y - real_y) < 1_000, name


def test_the_district_has_dongchengs_numbers_of_communities_and_grids() -> None:
    plan = city()
    assert (len(plan.streets), len(plan.communities), len(plan.grids)) == (17, 205, 589)
    per_street = Counter(c.street for c in plan.communities)
    assert set(per_street) == {s.code for s in plan.streets}
    assert min(per_street.values()) >= 4
    per_community = Counter(g.community for g in plan.grids)
    assert set(per_community) == {c.code for c in plan.communities}
    assert set(per_community.values()) <= {1, 2, 3, 4, 5}
    assert len(plan.grids) / len(plan.communities) == pytest.approx(2.87, abs=0.01)


def test_codes_nest_district_street_community_and_serial() -> None:
    plan = city()
    streets = {s.code for s in plan.streets}
    communities = {c.code: c for c in plan.communities}
    assert all(c.code[:9] == c.street and c.street in streets for c in plan.communities)
    assert all(len(c.code) == 12 and c.code.isdigit() for c in plan.communities)
    for grid in plan.grids:
        assert len(grid.code) == 15 and grid.code.isdigit()
        assert grid.code[:12] == grid.community and grid.community in communities
    assert len({g.code for g in plan.grids}) == len(plan.grids)


def test_grids_are_numbered_in_rows_from_north_to_south_and_west_to_east() -> None:
    plan = city()
    for community in plan.communities:
        grids = [g for g in plan.grids if g.community == community.code]
        assert [g.code[12:] for g in grids] == [f"{n:03d}" for n in range(1, len(grids) + 1)]
        middle = {g.code: metres(*Polygon(g.boundary).centroid.coords[0]) for g in grids}
        rows: list[list[str]] = []
        for code in sorted(middle, key=lambda code: -middle[code][1]):
            if rows and middle[rows[-1][0]][1] - middle[code][1] <= ROW_TOLERANCE_M:
                rows[-1].append(code)
            else:
                rows.append([code])
        expected = [code for row in rows for code in sorted(row, key=lambda c: middle[c][0])]
        assert [g.code for g in grids] == expected


@pytest.mark.parametrize("seed", [2004, 7])
def test_grids_tile_the_outline_without_gaps_or_overlaps(seed: int) -> None:
    plan = city(seed)
    grids = [Polygon(g.boundary) for g in plan.grids]
    assert all(grid.is_valid for grid in grids)
    assert shapely.coverage_is_valid(grids)
    union = projected(shapely.coverage_union_all(grids).exterior.coords)
    assert union.symmetric_difference(projected(plan.outline)).area < 1.0
    total = sum(area_m2(g.boundary) for g in plan.grids)
    assert total == pytest.approx(area_m2(plan.outline), rel=1e-6)


def test_neighbouring_grids_share_the_very_same_vertices() -> None:
    grids = [Polygon(g.boundary) for g in city().grids]
    left, right = shapely.STRtree(grids).query(grids, predicate="intersects")
    shared_edges = 0
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        border = grids[a].boundary.intersection(grids[b].boundary)
        if a != b and border.length > 0:
            shared_edges += 1
            corners = shapely.points(grids[a].exterior.coords)
            on_border = corners[shapely.distance(corners, grids[b].boundary) < 1e-12]
            assert {(x, y) for x, y in shapely.get_coordinates(on_border).tolist()} <= set(
                grids[b].exterior.coords
            )
    assert shared_edges > 2 * len(grids)


@pytest.mark.parametrize("seed", [2004, 7])
def test_communities_and_streets_are_single_pieces_without_holes(seed: int) -> None:
    plan = city(seed)
    for area, boundary in [
        *((c.code, plan.community_boundary(c.code)) for c in plan.communities),
        *((s.code, plan.street_boundary(s.code)) for s in plan.streets),
    ]:
        members = [Polygon(g.boundary) for g in plan.grids if g.code.startswith(area)]
        union = shapely.coverage_union_all(members)
        assert union.geom_type == "Polygon" and not union.interiors, area
        assert Polygon(boundary).equals(union), area


def test_grid_areas_stay_between_a_quarter_and_three_times_the_mean() -> None:
    mean = DONGCHENG_KM2 * 1e6 / 589
    for grid in city().grids:
        assert 0.25 * mean < area_m2(grid.boundary) < 3 * mean, grid.code


def test_grids_hold_about_300_households_of_about_2_8_people() -> None:
    grids = city().grids
    assert all(180 <= g.households <= 450 for g in grids)
    assert sum(g.households for g in grids) / len(grids) == pytest.approx(300, abs=15)
    assert all(
        round(2.2 * g.households) <= g.population <= round(3.4 * g.households) for g in grids
    )
    people_per_household = sum(g.population for g in grids) / sum(g.households for g in grids)
    assert people_per_household == pytest.approx(2.8, abs=0.1)


def test_names_are_distinct_and_read_like_beijing() -> None:
    plan = city()
    assert len({c.name_zh for c in plan.communities}) == 205
    assert len({c.name_en for c in plan.communities}) == 205
    assert all(c.name_zh.endswith("社区") for c in plan.communities)
    assert all(c.name_en.endswith(" Community") for c in plan.communities)
    community = {c.code: c for c in plan.communities}
    street = {s.code: s for s in plan.streets}
    for grid in plan.grids:
        owner = community[grid.community]
        serial = int(grid.code[12:])
        short = street[owner.street].name_zh.removesuffix("街道")
        assert grid.name_zh == f"{short} · {owner.name_zh} 第{serial}网格"
        assert grid.name_en == f"{owner.name_en} Grid {serial}"


def test_the_same_seed_gives_the_same_plan_and_another_seed_another() -> None:
    assert plan_city(2004) == city(2004)
    assert [g.boundary for g in city(7).grids] != [g.boundary for g in city(2004).grids]


def test_coordinates_are_plain_python_floats() -> None:
    plan = city()
    rings = [plan.outline, *(g.boundary for g in plan.grids)]
    assert all(type(v) is float for ring in rings for point in ring for v in point)
    assert all(type(g.households) is int and type(g.population) is int for g in plan.grids)


def test_rings_are_closed_counter_clockwise_and_without_repeated_points() -> None:
    plan = city()
    rings = [plan.outline, *(g.boundary for g in plan.grids)]
    rings += [plan.street_boundary(s.code) for s in plan.streets]
    for ring in rings:
        assert ring[0] == ring[-1]
        assert all(a != b for a, b in itertools.pairwise(ring))
        assert Polygon(ring).exterior.is_ccw


def test_planning_the_city_takes_under_three_seconds_of_cpu() -> None:
    started = time.process_time()
    plan_city(11)
    assert time.process_time() - started < 3.0


@given(seed=st.integers(), grid=st.integers(min_value=0, max_value=588))
def test_random_points_fall_inside_their_grid(seed: int, grid: int) -> None:
    boundary = city().grids[grid].boundary
    point = random_point_in(boundary, random.Random(seed))
    assert Polygon(boundary).contains(shapely.Point(point.lon, point.lat))


def test_random_points_spread_over_a_concave_outline_and_never_leave_it() -> None:
    outline = Polygon(city().outline)
    rng = random.Random(1)
    points = [random_point_in(city().outline, rng) for _ in range(2_000)]
    assert all(outline.contains(shapely.Point(p.lon, p.lat)) for p in points)
    north_half = sum(p.lat > outline.centroid.y for p in points) / len(points)
    north_share = (
        outline.intersection(shapely.box(116.0, outline.centroid.y, 117.0, 41.0)).area
        / outline.area
    )
    assert north_half == pytest.approx(north_share, abs=0.04)


def test_a_ring_without_area_cannot_be_sampled() -> None:
    with pytest.raises(ValueError, match="without area"):
        random_point_in(((116.4, 39.9), (116.41, 39.9), (116.4, 39.9)), random.Random(1))
