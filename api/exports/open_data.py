"""Open data, no token: the grids with their status, and the open cases of public
categories with Open311's public fields, as GeoJSON. Not who is on duty: staff are not
open data."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from api.exports.access import export, run
from api.exports.files import geojson, instant
from domain.catalog import Name
from infra.bootstrap import Services
from projections import grid_map, grid_status, open311
from projections.open311 import Query


@export
async def grids_geojson(request: Request, services: Services) -> Response:
    def read() -> list[dict[str, Any]]:
        views = services.views
        shapes = {s.code: s for s in grid_map.shapes(views, retired=True)}
        statuses = grid_status.grids(views, datetime.now(UTC))
        return [_grid(status, shapes[status.code]) for status in statuses if status.code in shapes]

    return geojson(await run(read))


def _grid(status: grid_status.GridStatus, shape: grid_map.GridShape) -> dict[str, Any]:
    properties = {
        "code": status.code,
        "name_zh": status.name_zh,
        "name_en": status.name_en,
        "community": status.community,
        "street": status.street,
        "households": status.households,
        "population": status.population,
        "level": status.level,
        "reasons": list(status.reasons),
        "open": status.open,
        "stages": status.stages,
        "urgent": status.urgent,
        "overdue": status.overdue,
        "due_soon": status.due_soon,
        "last_report": instant(status.last_report),
        "last_visit": instant(status.last_visit),
        "retired_at": instant(status.retired_at),
    }
    return {
        "type": "Feature",
        "id": status.code,
        "geometry": shape.geometry,
        "properties": properties,
    }


@export
async def cases_geojson(request: Request, services: Services) -> Response:
    catalog = services.app.catalog
    public = frozenset(c.code for c in catalog.categories() if c.public)
    query = Query(public, statuses=["open"], limit=10**7)
    rows = await run(open311.requests, services.views, query)
    return geojson([_case(row, catalog.category(row.category).name) for row in rows])


def _case(row: open311.RequestRow, name: Name) -> dict[str, Any]:
    properties = {
        "service_request_id": str(row.number),
        "service_code": row.category,
        "service_name_zh": name.zh,
        "service_name_en": name.en,
        "status": row.detail,
        "channel": row.channel,
        "grid": row.grid,
        "agency_responsible": row.department,
        "requested_datetime": instant(row.reported_at),
        "updated_datetime": instant(row.updated_at),
        "expected_datetime": instant(row.deadline),
        "address": row.address,
        "description": row.description,
    }
    geometry = {"type": "Point", "coordinates": [row.lon, row.lat]}
    return {
        "type": "Feature",
        "id": str(row.number),
        "geometry": geometry,
        "properties": properties,
    }
