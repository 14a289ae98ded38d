"""A deterministic Dongcheng-like district: streets, communities and grids that tile it exactly.

Geography only. Grids are Lloyd-relaxed Voronoi cells clipped to a hand-drawn outline and
noded once, so neighbours share the very same vertices (`tiling`); communities are grown from
the grid adjacency graph (`adjacency`), and streets gather communities around the real
streets' positions (`grouping`). The plan's values and their numbering live here.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import Polygon

from domain.grids.geometry import Point, Ring
from infra.demo.city import grouping, tiling
from infra.demo.city.adjacency import adjacency_of, group_adjacency
from infra.demo.city.coordinates import ORIGIN, Matrix, area_m2, centres_m, ring, union
from infra.demo.city.grouping import COMMUNITY_COUNT
from infra.demo.city.tiling import AREA_M2, GRID_COUNT
from infra.demo.names import STREETS, community_names

__all__ = [
    "AREA_M2",
    "COMMUNITY_COUNT",
    "GRID_COUNT",
    "ORIGIN",
    "ROW_TOLERANCE_M",
    "CityPlan",
    "CommunityPlan",
    "GridPlan",
    "StreetPlan",
    "area_m2",
    "plan_city",
    "random_point_in",
]

ROW_TOLERANCE_M = 150.0
"""Centroids less than this far south of a row's northernmost one share its row when
numbering; about half a grid's width, so a row is one band of grids."""


@dataclass(frozen=True)
class StreetPlan:
    """A street (街道): 9-digit code = district 6 + 3."""

    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class CommunityPlan:
    """A community (社区) inside one street: 12-digit code = street 9 + 3."""

    code: str
    name_zh: str
    name_en: str
    street: str


@dataclass(frozen=True)
class GridPlan:
    """A unit grid inside one community: 15-digit code = community 12 + serial in reading
    order (rows north to south, west to east within a row)."""

    code: str
    name_zh: str
    name_en: str
    community: str
    boundary: Ring
    households: int
    population: int


@dataclass(frozen=True)
class CityPlan:
    """The whole district as plain values, ready to be recorded as events."""

    outline: Ring
    streets: tuple[StreetPlan, ...]
    communities: tuple[CommunityPlan, ...]
    grids: tuple[GridPlan, ...]
    district_code: str = "110101"
    name_zh: str = "东城区"
    name_en: str = "Dongcheng District"

    def community_boundary(self, code: str) -> Ring:
        """The union of the community's grids: areas are drawn from grids, never separately."""
        return union(g.boundary for g in self.grids if g.community == code)

    def street_boundary(self, code: str) -> Ring:
        """The union of the street's grids."""
        inside = {c.code for c in self.communities if c.street == code}
        return union(g.boundary for g in self.grids if g.community in inside)


def random_point_in(boundary: Ring, rng: random.Random) -> Point:
    """A point uniformly inside the ring, by rejection sampling in its bounds."""
    polygon, (west, south, east, north) = _prepared(boundary)
    while True:
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if shapely.contains_xy(polygon, lon, lat):
            return Point(lon, lat)


@lru_cache(maxsize=4096)
def _prepared(boundary: Ring) -> tuple[Polygon, tuple[float, float, float, float]]:
    """Seeding samples hundreds of points per grid: build and index each polygon once."""
    polygon = Polygon(boundary)
    if polygon.area <= 0:
        raise ValueError("a ring without area has no inside to sample")
    shapely.prepare(polygon)
    return polygon, polygon.bounds


def plan_city(seed: int = 2004) -> CityPlan:
    """The same district for the same seed, down to the last coordinate."""
    rng = random.Random(seed)
    outline = tiling.outline()
    grids = tiling.tiles(outline, rng)
    adjacency = adjacency_of(grids)
    centres = centres_m(grids)
    areas = shapely.area(grids)
    groups = grouping.communities(adjacency, centres, rng)
    weights = [float(areas[g].sum()) for g in groups]
    group_centres = np.array(
        [areas[g] @ centres[g] / w for g, w in zip(groups, weights, strict=True)]
    )
    street_of = grouping.streets(
        group_adjacency(groups, adjacency), group_centres, np.array(weights)
    )
    names = iter(community_names(COMMUNITY_COUNT, rng))
    streets, communities, plans = [], [], []
    for s, site in enumerate(STREETS):
        street = StreetPlan(
            f"110101{s + 1:03d}", f"{site.name_zh}街道", f"{site.name_en} Subdistrict"
        )
        streets.append(street)
        members = [c for c in range(len(groups)) if street_of[c] == s]
        for c_serial, c in enumerate(_reading_order(members, group_centres), 1):
            zh, en = next(names)
            community = CommunityPlan(f"{street.code}{c_serial:03d}", zh, en, street.code)
            communities.append(community)
            for g_serial, g in enumerate(_reading_order(groups[c], centres), 1):
                households = round(min(450.0, max(180.0, rng.gauss(300.0, 55.0))))
                plans.append(
                    GridPlan(
                        code=f"{community.code}{g_serial:03d}",
                        name_zh=f"{site.name_zh} · {zh} 第{g_serial}网格",
                        name_en=f"{en} Grid {g_serial}",
                        community=community.code,
                        boundary=ring(grids[g]),
                        households=households,
                        population=rng.randint(round(households * 2.2), round(households * 3.4)),
                    )
                )
    return CityPlan(ring(outline), tuple(streets), tuple(communities), tuple(plans))


def _reading_order(members: Sequence[int], centres: Matrix) -> list[int]:
    """Rows from north to south, west to east within a row (see ROW_TOLERANCE_M)."""
    rows: list[list[int]] = []
    for m in sorted(members, key=lambda m: (-centres[m, 1], centres[m, 0])):
        if rows and centres[rows[-1][0], 1] - centres[m, 1] <= ROW_TOLERANCE_M:
            rows[-1].append(m)
        else:
            rows.append([m])
    return [m for row in rows for m in sorted(row, key=lambda m: centres[m, 0])]
