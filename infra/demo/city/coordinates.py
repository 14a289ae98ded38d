"""Where the district lies: a local metric projection about ORIGIN, and rings in and out of
shapely."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import Polygon

from domain.grids.geometry import Point, Ring

ORIGIN = Point(116.41, 39.93)
"""Where the local metric projection is centred."""
_EARTH_RADIUS_M = 6_371_008.8

Matrix = npt.NDArray[np.float64]


def area_m2(ring: Ring) -> float:
    """A ring's area in square metres, projected about ORIGIN (equirectangular, exact enough
    over a district)."""
    return float(shapely.area(to_metres(Polygon(ring))))


def _metres_per_degree() -> Matrix:
    return np.array([math.cos(math.radians(ORIGIN.lat)), 1.0]) * math.radians(_EARTH_RADIUS_M)


def to_metres(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(
        geometry, lambda c: (c - [ORIGIN.lon, ORIGIN.lat]) * _metres_per_degree()
    )


def to_degrees(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(
        geometry, lambda c: c / _metres_per_degree() + [ORIGIN.lon, ORIGIN.lat]
    )


def centres_m(geometries: Sequence[shapely.Geometry]) -> Matrix:
    centres: Matrix = shapely.get_coordinates(to_metres(shapely.centroid(geometries)))
    return centres


def ring(polygon: Polygon) -> Ring:
    exterior = shapely.orient_polygons(polygon).exterior
    return tuple((float(x), float(y)) for x, y in exterior.coords)


def union(rings: Iterable[Ring]) -> Ring:
    return ring(shapely.coverage_union_all([Polygon(r) for r in rings]))
