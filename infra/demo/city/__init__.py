"""A deterministic Dongcheng-like district: streets, communities and grids that tile it exactly.

Geography only. Grids are Lloyd-relaxed Voronoi cells clipped to a hand-drawn outline and
noded once, so neighbours share the very same vertices; communities are grown from the grid
adjacency graph, and streets gather communities around the real streets' positions.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import shapely
from shapely.affinity import scale
from shapely.geometry import Polygon

from domain.grids.geometry import Point, Ring
from infra.demo.names import STREETS, community_names

AREA_M2 = 41.84e6
"""Dongcheng's official area."""
GRID_COUNT, COMMUNITY_COUNT = 589, 205
ORIGIN = Point(116.41, 39.93)
"""Where the local metric projection is centred."""
ROW_TOLERANCE_M = 150.0
"""Centroids less than this far south of a row's northernmost one share its row when
numbering; about half a grid's width, so a row is one band of grids."""
_EARTH_RADIUS_M = 6_371_008.8
_LLOYD_STEPS = 8
_SIZE_WEIGHTS = (1, 4, 5, 3, 1)
"""How often a community aims at 1, 2, … 5 grids before the count is trimmed to 205."""
# Dongcheng's boundary simplified by hand from a map, before scaling to the official area.
# fmt: off
_OUTLINE_SKETCH: Ring = (
    (116.381, 39.866), (116.388, 39.867), (116.395, 39.863), (116.396, 39.859),
    (116.412, 39.859), (116.416, 39.864), (116.414, 39.871), (116.423, 39.873),
    (116.443, 39.872), (116.446, 39.879), (116.444, 39.890), (116.451, 39.890),
    (116.451, 39.894), (116.447, 39.895), (116.449, 39.903), (116.436, 39.902),
    (116.434, 39.929), (116.444, 39.929), (116.446, 39.946), (116.441, 39.946),
    (116.442, 39.950), (116.429, 39.950), (116.429, 39.957), (116.425, 39.962),
    (116.414, 39.962), (116.412, 39.968), (116.408, 39.970), (116.406, 39.962),
    (116.389, 39.963), (116.387, 39.957), (116.394, 39.957), (116.396, 39.940),
    (116.397, 39.928), (116.399, 39.924), (116.392, 39.922), (116.392, 39.908),
    (116.396, 39.908), (116.398, 39.898), (116.399, 39.872), (116.381, 39.871),
    (116.381, 39.866),
)
# fmt: on

Matrix = npt.NDArray[np.float64]
Adjacency = list[dict[int, float]]
"""For each node, its edge neighbours and the length of edge they share."""


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
        return _union(g.boundary for g in self.grids if g.community == code)

    def street_boundary(self, code: str) -> Ring:
        """The union of the street's grids."""
        inside = {c.code for c in self.communities if c.street == code}
        return _union(g.boundary for g in self.grids if g.community in inside)


def area_m2(ring: Ring) -> float:
    """A ring's area in square metres, projected about ORIGIN (equirectangular, exact enough
    over a district)."""
    return float(shapely.area(_to_metres(Polygon(ring))))


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
    outline = _outline()
    grids = _tiles(outline, rng)
    adjacency = _adjacency(grids)
    centres = _centres_m(grids)
    areas = shapely.area(grids)
    groups = _communities(adjacency, centres, rng)
    weights = [float(areas[g].sum()) for g in groups]
    group_centres = np.array(
        [areas[g] @ centres[g] / w for g, w in zip(groups, weights, strict=True)]
    )
    street_of = _streets(_group_adjacency(groups, adjacency), group_centres, np.array(weights))
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
                        boundary=_ring(grids[g]),
                        households=households,
                        population=rng.randint(round(households * 2.2), round(households * 3.4)),
                    )
                )
    return CityPlan(_ring(outline), tuple(streets), tuple(communities), tuple(plans))


def _metres_per_degree() -> Matrix:
    return np.array([math.cos(math.radians(ORIGIN.lat)), 1.0]) * math.radians(_EARTH_RADIUS_M)


def _to_metres(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(
        geometry, lambda c: (c - [ORIGIN.lon, ORIGIN.lat]) * _metres_per_degree()
    )


def _to_degrees(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(
        geometry, lambda c: c / _metres_per_degree() + [ORIGIN.lon, ORIGIN.lat]
    )


def _centres_m(geometries: Sequence[shapely.Geometry]) -> Matrix:
    centres: Matrix = shapely.get_coordinates(_to_metres(shapely.centroid(geometries)))
    return centres


def _ring(polygon: Polygon) -> Ring:
    exterior = shapely.orient_polygons(polygon).exterior
    return tuple((float(x), float(y)) for x, y in exterior.coords)


def _union(rings: Iterable[Ring]) -> Ring:
    return _ring(shapely.coverage_union_all([Polygon(r) for r in rings]))


def _outline() -> Polygon:
    """The sketch scaled about its centroid to the official area."""
    sketch = Polygon(_OUTLINE_SKETCH)
    factor = math.sqrt(AREA_M2 / area_m2(_OUTLINE_SKETCH))
    return scale(sketch, factor, factor, origin="centroid")


def _tiles(outline: Polygon, rng: random.Random) -> list[Polygon]:
    """GRID_COUNT polygons covering the outline, each a relaxed Voronoi cell clipped to it."""
    region = _to_metres(outline)
    points = _lattice(region, np.random.default_rng(rng.getrandbits(64)))
    for _ in range(_LLOYD_STEPS):
        cells = shapely.intersection(_voronoi(points, region), region)
        centroids = shapely.centroid(cells)
        points = np.where(
            shapely.within(centroids, region), centroids, shapely.point_on_surface(cells)
        )
    cells = _to_degrees(_voronoi(points, region))
    # Node every edge once: faces of the shared linework carry identical vertices on both sides.
    linework = shapely.unary_union([*shapely.boundary(cells), outline.exterior])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(linework)))
    faces = faces[shapely.within(shapely.point_on_surface(faces), outline)]
    owner = np.full(len(faces), -1)
    face_of, cell_of = shapely.STRtree(cells).query(faces, predicate="intersects")
    overlap = shapely.area(shapely.intersection(faces[face_of], cells[cell_of]))
    for f in np.argsort(overlap, kind="stable"):
        owner[face_of[f]] = cell_of[f]
    # A cell cut in two by a concave bend keeps its larger part; the other joins a neighbour.
    grid_of = np.array(_rejoin(owner.tolist(), _adjacency(faces), shapely.area(faces)))
    return [shapely.coverage_union_all(faces[grid_of == g]) for g in range(GRID_COUNT)]


def _lattice(region: Polygon, noise: np.random.Generator) -> npt.NDArray[np.object_]:
    """GRID_COUNT seeds on a jittered hexagonal lattice at a random angle: evenly spread from
    the start, so relaxation also fills the outline's narrow lobes."""
    spacing = math.sqrt(AREA_M2 / GRID_COUNT / (math.sqrt(3) / 2))
    reach = int(shapely.minimum_bounding_radius(region) / spacing) + 2
    i, j = np.meshgrid(np.arange(-reach, reach + 1), np.arange(-reach, reach + 1))
    lattice = np.column_stack([(i + (j % 2) / 2).ravel(), (j * math.sqrt(3) / 2).ravel()])
    angle = noise.uniform(0, math.pi / 3)
    turn = np.array([[math.cos(angle), math.sin(angle)], [-math.sin(angle), math.cos(angle)]])
    xy = (lattice + noise.uniform(-0.3, 0.3, lattice.shape)) * spacing @ turn
    points: npt.NDArray[np.object_] = shapely.points(xy + shapely.get_coordinates(region.centroid))
    points = points[shapely.contains(region, points)]
    if len(points) > GRID_COUNT:
        points = np.delete(points, noise.choice(len(points), len(points) - GRID_COUNT, False))
    while len(points) < GRID_COUNT:
        extra = shapely.points(noise.uniform(region.bounds[:2], region.bounds[2:]))
        if shapely.contains(region, extra):
            points = np.append(points, extra)
    return points


def _voronoi(points: npt.NDArray[np.object_], region: Polygon) -> npt.NDArray[np.object_]:
    diagram = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=region, ordered=True)
    cells: npt.NDArray[np.object_] = shapely.get_parts(diagram)
    return cells


def _adjacency(grids: list[Polygon]) -> Adjacency:
    left, right = shapely.STRtree(grids).query(grids, predicate="intersects")
    edges = shapely.boundary(np.array(grids, dtype=object))
    shared = shapely.length(shapely.intersection(edges[left], edges[right]))
    neighbours: Adjacency = [{} for _ in grids]
    for a, b, length in zip(left.tolist(), right.tolist(), shared.tolist(), strict=True):
        if a != b and length > 0:
            neighbours[a][b] = length
    return neighbours


def _communities(adjacency: Adjacency, centres: Matrix, rng: random.Random) -> list[list[int]]:
    """Contiguous groups of 1–5 grids, peeled from the loosest corner inwards so few grids are
    left stranded, then merged or split to exactly COMMUNITY_COUNT."""
    free = set(range(len(adjacency)))
    groups: list[list[int]] = []
    while free:
        start = min(free, key=lambda g: (len(adjacency[g].keys() & free), -centres[g, 1], g))
        group, target = [start], rng.choices(range(1, 6), weights=_SIZE_WEIGHTS)[0]
        free.discard(start)
        while len(group) < target and (
            frontier := sorted({h for g in group for h in adjacency[g] if h in free})
        ):
            middle = centres[group].mean(axis=0)
            group.append(min(frontier, key=lambda h: float(np.hypot(*(centres[h] - middle)))))
            free.discard(group[-1])
        groups.append(group)
    while len(groups) > COMMUNITY_COUNT:
        _merge_smallest(groups, adjacency)
    while len(groups) < COMMUNITY_COUNT:
        _split_largest(groups, adjacency, centres)
    return groups


def _merge_smallest(groups: list[list[int]], adjacency: Adjacency) -> None:
    group_of = {g: i for i, group in enumerate(groups) for g in group}
    for i in sorted(range(len(groups)), key=lambda i: len(groups[i])):
        near = {group_of[h] for g in groups[i] for h in adjacency[g]} - {i}
        fits = sorted(j for j in near if len(groups[i]) + len(groups[j]) <= 5)
        if fits:
            groups[min(fits, key=lambda j: len(groups[j]))] += groups[i]
            del groups[i]
            return
    raise RuntimeError("no two neighbouring communities fit together")


def _split_largest(groups: list[list[int]], adjacency: Adjacency, centres: Matrix) -> None:
    group = max(groups, key=len)
    middle = centres[group].mean(axis=0)
    for g in sorted(group, key=lambda g: -float(np.hypot(*(centres[g] - middle)))):
        rest = [h for h in group if h != g]
        if len(_pieces(rest, adjacency, np.ones(len(adjacency)))) == 1:
            group.remove(g)
            groups.append([g])
            return


def _pieces(nodes: list[int], adjacency: Adjacency, weights: Matrix) -> list[list[int]]:
    """The connected pieces of a node set, heaviest first."""
    left, pieces = set(nodes), []
    while left:
        piece, todo = [], [min(left)]
        left.discard(todo[0])
        while todo:
            piece.append(node := todo.pop())
            todo += [n for n in adjacency[node] if n in left]
            left.difference_update(adjacency[node])
        pieces.append(piece)
    return sorted(pieces, key=lambda piece: (-float(weights[piece].sum()), min(piece)))


def _rejoin(labels: list[int], adjacency: Adjacency, weights: Matrix) -> list[int]:
    """Moves every piece cut off from the heaviest piece of its label to the neighbouring label
    it shares most edge with, until each label is in one piece."""
    while True:
        members: dict[int, list[int]] = {}
        for node, label in enumerate(labels):
            members.setdefault(label, []).append(node)
        strays = [p for m in members.values() for p in _pieces(m, adjacency, weights)[1:]]
        if not strays:
            return labels
        for piece in strays:
            contact: dict[int, float] = {}
            for n in piece:
                for m, length in adjacency[n].items():
                    if labels[m] != labels[n]:
                        contact[labels[m]] = contact.get(labels[m], 0.0) + length
            for n in piece:
                labels[n] = max(sorted(contact), key=contact.__getitem__)


def _group_adjacency(groups: list[list[int]], adjacency: Adjacency) -> Adjacency:
    group_of = {g: i for i, group in enumerate(groups) for g in group}
    result: Adjacency = [{} for _ in groups]
    for i, group in enumerate(groups):
        for g in group:
            for h, length in adjacency[g].items():
                if group_of[h] != i:
                    result[i][group_of[h]] = result[i].get(group_of[h], 0.0) + length
    return result


def _streets(adjacency: Adjacency, centres: Matrix, areas: Matrix) -> list[int]:
    """Each community goes to the nearest real street's middle, then cut-off pieces are
    rejoined so every street is in one piece."""
    sites = _centres_m(shapely.points([(s.lon, s.lat) for s in STREETS]))
    nearest = [int(np.argmin(np.hypot(*(sites - c).T))) for c in centres]
    return _rejoin(nearest, adjacency, areas)


def _reading_order(members: Sequence[int], centres: Matrix) -> list[int]:
    """Rows from north to south, west to east within a row (see ROW_TOLERANCE_M)."""
    rows: list[list[int]] = []
    for m in sorted(members, key=lambda m: (-centres[m, 1], centres[m, 0])):
        if rows and centres[rows[-1][0], 1] - centres[m, 1] <= ROW_TOLERANCE_M:
            rows[-1].append(m)
        else:
            rows.append([m])
    return [m for row in rows for m in sorted(row, key=lambda m: centres[m, 0])]
