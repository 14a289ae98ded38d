"""Grid status on the map: one grid, every grid of an area (or the whole city in one
call, fit for drawing the wall map), and an area's grids summed."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry.scalars import JSON

from api.auth import DISTRICT_READERS, SignedIn, read_area
from api.context import Info
from api.errors import area_code
from api.mapping import mapped
from projections import grid_status


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


@strawberry.type
class Query:
    @strawberry.field(
        description="One grid by its code; null if there is none.", permission_classes=[SignedIn]
    )
    async def grid(self, info: Info, code: str) -> GridStatus | None:
        read_area(info.context.caller, area_code(code))
        found = await info.context.call(
            grid_status.grid, info.context.services.views, code, datetime.now(UTC)
        )
        return None if found is None else mapped(GridStatus, found)

    @strawberry.field(
        description="Every grid under an area code, by code: all the caller may read if none.",
        permission_classes=[SignedIn],
    )
    async def grids(self, info: Info, area: str | None = None) -> list[GridStatus]:
        viewer, now = info.context.caller, datetime.now(UTC)
        asked = None if area is None else area_code(area)
        areas = [asked] if asked is not None or viewer.role in DISTRICT_READERS else viewer.area
        found = []
        for code in areas or [""]:
            read_area(viewer, code or "")
            found += await info.context.call(
                grid_status.grids, info.context.services.views, now, code or None
            )
        return [mapped(GridStatus, status) for status in found]

    @strawberry.field(
        description="An area's grids summed ('' for the whole district).",
        permission_classes=[SignedIn],
    )
    async def area(self, info: Info, code: str = "") -> AreaStatus:
        read_area(info.context.caller, area_code(code))
        found = await info.context.call(
            grid_status.area, info.context.services.views, code, datetime.now(UTC)
        )
        return mapped(AreaStatus, found)
