"""Boundary checks: a grid map must tile its district with valid polygons, without
gaps or overlaps, and every change to it must keep that true."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from domain.errors import RuleBroken
from domain.grids.geometry import Ring

EARTH_RADIUS_M = 6_371_008.8
TOLERANCE_M2 = 1.0
"""How much area (m²) two coverages may differ by and still count as the same."""


def polygon(ring: Ring, name: str) -> Polygon:
    """A valid polygon from a closed ring, or an error naming what is wrong."""
    if len(ring) < 4 or tuple(ring[0]) != tuple(ring[-1]):
        raise RuleBroken(f"the boundary of {name} must be a closed ring of at least 3 points")
    shape = Polygon(ring)
    if not shape.is_valid:
        reason = shapely.is_valid_reason(shape)
        raise RuleBroken(f"the boundary of {name} is not a valid polygon: {reason}")
    return shape


def as_ring(shape: BaseGeometry, name: str) -> Ring:
    """The exterior ring of a single polygon without holes (a grid is one piece)."""
    if not isinstance(shape, Polygon) or shape.interiors:
        raise RuleBroken(f"{name} must be one piece without holes")
    return tuple((float(x), float(y)) for x, y in shape.exterior.coords)


def area_m2(shape: BaseGeometry) -> float:
    """Area in square metres by an equal-area projection about the shape's own latitude."""
    if shape.is_empty:
        return 0.0
    lat0 = math.radians(shape.centroid.y)
    scale_x = EARTH_RADIUS_M * math.cos(lat0) * math.pi / 180
    scale_y = EARTH_RADIUS_M * math.pi / 180
    return float(shape.area) * scale_x * scale_y


def same_cover(a: BaseGeometry, b: BaseGeometry) -> bool:
    return area_m2(shapely.symmetric_difference(a, b)) < TOLERANCE_M2


def check_tiling(shapes: Mapping[str, Polygon], whole: BaseGeometry, whole_name: str) -> None:
    """The shapes must cover `whole` exactly, edge to edge, without overlapping."""
    geoms = list(shapes.values())
    if not bool(shapely.coverage_is_valid(geoms)):
        raise RuleBroken(f"the grids of {whole_name} overlap or do not meet edge to edge")
    if not same_cover(shapely.union_all(geoms), whole):
        raise RuleBroken(f"the grids do not cover {whole_name} exactly: gaps or overhangs")


def union(shapes: Iterable[Polygon]) -> BaseGeometry:
    return shapely.union_all(list(shapes))
