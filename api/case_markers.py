"""The open cases as markers on the map: number, point, grid, category, channel, stage,
and whether they are urgent or overdue."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.auth import SignedIn, read_area
from api.context import Info
from api.errors import area_code
from api.mapping import mapped
from api.time_travel import AsOf, views_as_of
from projections import case_markers


@strawberry.type(description="An open case where it was reported.")
class CaseMarker:
    id: str = strawberry.field(description="The case's id (the events' originator).")
    number: int
    lon: float
    lat: float
    grid: str
    category: str
    channel: str
    stage: str
    reported_at: datetime
    urgent: bool
    overdue: bool


@strawberry.type
class Query:
    @strawberry.field(
        description="The open cases located under an area code ('' for the district), by number.",
        permission_classes=[SignedIn],
    )
    async def case_markers(
        self, info: Info, area: str = "", as_of: AsOf | None = None
    ) -> list[CaseMarker]:
        code = area_code(area)
        read_area(info.context.caller, code)
        views, _, _ = await views_as_of(info, as_of, case_markers)
        found = await info.context.call(case_markers.open_markers, views, code)
        return [mapped(CaseMarker, marker) for marker in found]
