"""Grid status on the map: one grid, every grid of an area (or the whole city in one
call, fit for drawing the wall map), and an area's grids summed."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from datetime import UTC, datetime

import strawberry
from strawberry.scalars import JSON

from api.auth import DISTRICT_READERS, SignedIn, read_area
from api.context import Info
from api.errors import area_code
from api.mapping import mapped
from api.time_travel import AsOf, views_as_of
from domain.staff import Actor
from projections import grid_map, grid_status
from projections.bus import ViewChanged
from projections.store import ViewStore


@strawberry.type(description="A grid as the command center sees it now.")
class GridStatus:
    code: str = strawberry.field(description="15 digits: street, community, grid.")
    name_zh: str
    name_en: str
    community: str
    street: str
    households: int
    population: int
    worker: str | None = strawberry.field(description="The grid worker on duty.")
    team: list[str]
    retired_at: datetime | None
    open: int = strawberry.field(description="Open cases in the grid.")
    stages: JSON = strawberry.field(description="Open cases by stage.")
    urgent: int
    overdue: int
    due_soon: int
    last_report: datetime | None
    last_visit: datetime | None
    level: str = strawberry.field(description="normal, attention or alarm.")
    reasons: list[str] = strawberry.field(description="Why the level is what it is.")


@strawberry.type(description="An area's grids summed: a community, a street, the district.")
class AreaStatus:
    code: str
    grids: int
    unstaffed: int
    households: int
    population: int
    open: int
    stages: JSON
    urgent: int
    overdue: int
    due_soon: int
    last_report: datetime | None
    last_visit: datetime | None
    levels: JSON = strawberry.field(description="Grids by level.")
    level: str


@strawberry.type(description="The district, a street or a community.")
class Area:
    code: str
    kind: str = strawberry.field(description="district, street or community")
    name_zh: str
    name_en: str


@strawberry.type
class Query:
    @strawberry.field(
        description="The district, its streets and communities (under an area code), by code.",
        permission_classes=[SignedIn],
    )
    async def areas(self, info: Info, under: str = "", as_of: AsOf | None = None) -> list[Area]:
        views, _, _ = await views_as_of(info, as_of, grid_map)
        found = await info.context.call(grid_map.area_list, views, area_code(under))
        return [mapped(Area, area) for area in found]

    @strawberry.field(
        description="The current grids under an area code as a GeoJSON FeatureCollection "
        "(WGS-84 polygons; code, names, community, street, households, population): the "
        "base map, drawn with no tile server.",
        permission_classes=[SignedIn],
    )
    async def grid_map(self, info: Info, area: str = "", as_of: AsOf | None = None) -> JSON:
        under = area_code(area)
        views, _, _ = await views_as_of(info, as_of, grid_map)
        shapes = await info.context.call(grid_map.shapes, views, under)
        return JSON(grid_map.geojson(shapes))

    @strawberry.field(
        description="One grid by its code; null if there is none.", permission_classes=[SignedIn]
    )
    async def grid(self, info: Info, code: str, as_of: AsOf | None = None) -> GridStatus | None:
        read_area(info.context.caller, area_code(code))
        views, now, _ = await views_as_of(info, as_of, grid_status)
        found = await info.context.call(grid_status.grid, views, code, now)
        return None if found is None else mapped(GridStatus, found)

    @strawberry.field(
        description="Every grid under an area code, by code: all the caller may read if none.",
        permission_classes=[SignedIn],
    )
    async def grids(
        self, info: Info, area: str | None = None, as_of: AsOf | None = None
    ) -> list[GridStatus]:
        areas = _areas(info.context.caller, area)
        views, now, _ = await views_as_of(info, as_of, grid_status)
        return await _statuses(info, views, now, areas)

    @strawberry.field(
        description="An area's grids summed ('' for the whole district).",
        permission_classes=[SignedIn],
    )
    async def area(self, info: Info, code: str = "", as_of: AsOf | None = None) -> AreaStatus:
        read_area(info.context.caller, area_code(code))
        views, now, _ = await views_as_of(info, as_of, grid_status)
        found = await info.context.call(grid_status.area, views, code, now)
        return mapped(AreaStatus, found)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="The grids under an area code (all the caller may read if none) as "
        "they are now, then the grids that changed, each time some do.",
        permission_classes=[SignedIn],
    )
    async def grid_status(
        self, info: Info, area: str | None = None
    ) -> AsyncGenerator[list[GridStatus], None]:
        areas, views = _areas(info.context.caller, area), info.context.services.views
        async with info.context.listening(grid_status.name) as notices:
            # listening first: no change falls between
            yield await _statuses(info, views, datetime.now(UTC), areas)
            async for notice in notices:
                if notice.keys is None:  # notices were missed: every grid afresh
                    yield await _statuses(info, views, datetime.now(UTC), areas)
                    continue
                changed = sorted(k for k in notice.keys if any(k.startswith(a) for a in areas))
                if changed:
                    found = await _changed(views, changed, notice)
                    if found:  # none if the grids named kept their rows
                        yield [mapped(GridStatus, status) for status in found]


async def _changed(
    views: ViewStore, codes: list[str], notice: ViewChanged
) -> list[grid_status.GridStatus]:
    """The grids that changed, now: from the rows the notice brought, else read."""
    now = datetime.now(UTC)
    if notice.rows is None:
        return await grid_status.changed(views, codes, now)
    latest = {row.code: row for row in notice.rows}  # a later row of a grid wins
    return [grid_status.status_of(latest[code], now) for code in codes if code in latest]


def _areas(viewer: Actor, area: str | None) -> list[str]:
    """The area codes a request covers: the one asked for, or all the caller may read."""
    if area is not None:
        found = [area_code(area)]
    elif viewer.role in DISTRICT_READERS:
        found = [""]
    else:
        found = list(viewer.area) or [""]  # nobody's area: refused below
    for code in found:
        read_area(viewer, code)
    return found


async def _statuses(
    info: Info, views: ViewStore, now: datetime, areas: Sequence[str]
) -> list[GridStatus]:
    """The grids under the areas at `now`."""

    def read() -> list[grid_status.GridStatus]:
        return [s for a in areas for s in grid_status.grids(views, now, a or None)]

    return [mapped(GridStatus, status) for status in await info.context.call(read)]
