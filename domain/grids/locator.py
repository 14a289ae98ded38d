"""Locating a point in its grid with a spatial index over the boundaries in force."""

from __future__ import annotations

from collections.abc import Mapping

import shapely
from shapely import STRtree
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import Polygon

from domain.errors import OutsideDistrict
from domain.grids.geometry import Point


class GridLocator:
    """An STRtree over grid polygons. A point on a shared edge belongs to the grid with
    the lowest code, so locating is deterministic."""

    def __init__(self, district_name: str, shapes: Mapping[str, Polygon]) -> None:
        self.district_name = district_name
        self._codes = sorted(shapes)
        self._tree = STRtree([shapes[code] for code in self._codes])

    def __len__(self) -> int:
        return len(self._codes)

    def locate(self, point: Point) -> str:
        """The code of the grid containing `point`; outside every grid is an error."""
        hits = self._tree.query(ShapelyPoint(point.lon, point.lat), predicate="intersects")
        if len(hits) == 0:
            raise OutsideDistrict(
                f"the point {point} lies outside every grid of {self.district_name}"
            )
        return self._codes[int(min(hits))]

    def locate_many(self, points: list[Point]) -> list[str | None]:
        """Bulk form for generators and imports: None where a point is outside."""
        geoms = shapely.points([(p.lon, p.lat) for p in points])
        found: list[str | None] = [None] * len(points)
        point_index, tree_index = self._tree.query(geoms, predicate="intersects")
        for i, j in sorted(
            zip(point_index.tolist(), tree_index.tolist(), strict=True), reverse=True
        ):
            found[i] = self._codes[j]
        return found
