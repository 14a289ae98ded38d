"""The outlines of the district's streets and communities, drawn from their grids: each
area is the union of its current grids' boundaries (the grids tile the district without
gaps), with a point inside it for its label — the base map under the grids, with no tile
server."""

from __future__ import annotations

from collections import defaultdict
from enum import Enum
from typing import Any

import shapely
import strawberry
from strawberry.scalars import JSON

from api.auth import SignedIn
from api.context import Info
from api.time_travel import AsOf, views_as_of
from projections import grid_map
from projections.store import ViewStore


@strawberry.enum
class AreaKind(Enum):
    STREET = "street"
    COMMUNITY = "community"


DIGITS = {AreaKind.STREET: 9, AreaKind.COMMUNITY: 12}


def outlines(views: ViewStore, kind: AreaKind) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the areas of a kind: (multi)polygons in WGS-84 with
    code, names and a label point."""
    names = {area.code: area for area in grid_map.area_list(views)}
    parts: dict[str, list[Any]] = defaultdict(list)
    for shape in grid_map.shapes(views):
        parts[shape.code[: DIGITS[kind]]].append(shapely.geometry.shape(shape.geometry))
    features = []
    for code, polygons in sorted(parts.items()):
        outline = shapely.union_all(polygons).buffer(0)
        label = outline.representative_point()
        area = names.get(code)
        features.append(
            {
                "type": "Feature",
                "id": code,
                "geometry": shapely.geometry.mapping(outline),
                "properties": {
                    "code": code,
                    "kind": kind.value,
                    "name_zh": area.name_zh if area else code,
                    "name_en": area.name_en if area else code,
                    "label": [label.x, label.y],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@strawberry.type
class Query:
    @strawberry.field(
        description="The streets' or communities' outlines as a GeoJSON FeatureCollection "
        "(each the union of its grids; code, names, a label point).",
        permission_classes=[SignedIn],
    )
    async def area_map(self, info: Info, kind: AreaKind, as_of: AsOf | None = None) -> JSON:
        views, _, _ = await views_as_of(info, as_of, grid_map)
        return JSON(await info.context.call(outlines, views, kind))
