"""The outline and the grids that tile it: Lloyd-relaxed Voronoi cells clipped to the outline
and noded once, so neighbours share the very same vertices."""

from __future__ import annotations

import math
import random

import numpy as np
import numpy.typing as npt
import shapely
from shapely.affinity import scale
from shapely.geometry import Polygon

from domain.grids.geometry import Ring
from infra.demo.city.adjacency import adjacency_of, rejoin
from infra.demo.city.coordinates import area_m2, to_degrees, to_metres

AREA_M2 = 41.84e6
"""Dongcheng's official area."""
GRID_COUNT = 589
_LLOYD_STEPS = 8
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


def outline() -> Polygon:
    """The sketch scaled about its centroid to the official area."""
    sketch = Polygon(_OUTLINE_SKETCH)
    factor = math.sqrt(AREA_M2 / area_m2(_OUTLINE_SKETCH))
    return scale(sketch, factor, factor, origin="centroid")


def tiles(outline: Polygon, rng: random.Random) -> list[Polygon]:
    """GRID_COUNT polygons covering the outline, each a relaxed Voronoi cell clipped to it."""
    region = to_metres(outline)
    points = _lattice(region, np.random.default_rng(rng.getrandbits(64)))
    for _ in range(_LLOYD_STEPS):
        cells = shapely.intersection(_voronoi(points, region), region)
        centroids = shapely.centroid(cells)
        points = np.where(
            shapely.within(centroids, region), centroids, shapely.point_on_surface(cells)
        )
    cells = to_degrees(_voronoi(points, region))
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
    grid_of = np.array(rejoin(owner.tolist(), adjacency_of(faces), shapely.area(faces)))
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
