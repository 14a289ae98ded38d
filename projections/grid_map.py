"""The grid map (网格地图): the district's areas and each grid's boundary, as drawn and
redrawn, for drawing the map and for GeoJSON.

Rules:
- Areas are the district, its streets and communities, with their names; a grid's
  community and street are the leading 12 and 9 digits of its 15-digit code.
- A grid's boundary is the one of its last drawing (GridDrawn, then GridsRedrawn); a
  retired grid (split or merged away) keeps its last boundary and the instant it retired.
- Time travel folds the log up to an instant: the map as it stood then.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from projections.records import Record
from projections.store import Page, ViewStore, Where
from projections.view import Rows, Table, changed, row_type

name = "grid_map"
version = 1

KINDS = {6: "district", 9: "street", 12: "community"}
"""An area's kind by the length of its code."""


@row_type
class AreaRow:
    code: str
    kind: str  # district, street, community
    name_zh: str
    name_en: str


@row_type
class GridShape:
    code: str
    community: str
    street: str
    name_zh: str
    name_en: str
    geometry: dict[str, Any]  # a GeoJSON Polygon: one closed ring of [lon, lat]
    households: int
    population: int
    drawn_at: datetime
    retired_at: datetime | None = None


areas = Table("grid_map_areas", AreaRow, key=("code",))
grids = Table("grid_map_grids", GridShape, key=("code",))
tables = (areas, grids)
events = frozenset(
    {"DistrictDrawn", "StreetAdded", "CommunityAdded", "GridDrawn", "GridsRedrawn", "GridRetired"}
)


def apply(record: Record, rows: Rows) -> None:
    match record.name:
        case "DistrictDrawn" | "StreetAdded" | "CommunityAdded":
            code = record["code"]
            area = AreaRow(code, KINDS[len(code)], record["name_zh"], record["name_en"])
            rows.put(areas, area)
            rows.tell(name, code)
        case "GridDrawn":
            code = record["code"]
            shape = GridShape(
                code=code,
                community=code[:12],
                street=code[:9],
                name_zh=record["name_zh"],
                name_en=record["name_en"],
                geometry=_polygon(record["boundary"]),
                households=record["households"],
                population=record["population"],
                drawn_at=record.at,
            )
            rows.put(grids, shape)
            rows.tell(name, code)
        case "GridsRedrawn":
            for code, ring in record["boundaries"].items():
                _redraw(rows, code, geometry=_polygon(ring), drawn_at=record.at)
        case "GridRetired":
            _redraw(rows, record["code"], retired_at=record.at)


def _polygon(ring: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring]}


def _redraw(rows: Rows, code: str, **fields: Any) -> None:
    found: GridShape | None = rows.get(grids, (code,))
    if found is not None:
        rows.put(grids, changed(found, **fields))
        rows.tell(name, code)


# Reading ------------------------------------------------------------------------------------


def area_list(store: ViewStore, under: str = "") -> list[AreaRow]:
    """The district, streets and communities under an area code, by code."""
    where = (Where("code", "prefix", under),) if under else ()
    return sorted(store.select(areas, Page(where)), key=lambda a: a.code)


def shapes(store: ViewStore, under: str = "", retired: bool = False) -> list[GridShape]:
    """The grids under an area code (current ones unless `retired`), by code."""
    where = [Where("code", "prefix", under)] if under else []
    if not retired:
        where.append(Where("retired_at", "null"))
    return store.select(grids, Page(tuple(where)))


def geojson(found: list[GridShape]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of grids: polygons in WGS-84, properties for labels."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": shape.code,
                "geometry": shape.geometry,
                "properties": {
                    "code": shape.code,
                    "name_zh": shape.name_zh,
                    "name_en": shape.name_en,
                    "community": shape.community,
                    "street": shape.street,
                    "households": shape.households,
                    "population": shape.population,
                },
            }
            for shape in found
        ],
    }
