"""City components (部件) on the map: manhole covers, street lights, hydrants, bins and
the rest, each with its point and state (intact, faulty while a case is open against it,
removed) — by area, state and the box the map shows."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.auth import SignedIn, read_area
from api.context import Info
from api.errors import BadInput, area_code
from api.mapping import mapped
from api.time_travel import AsOf, views_as_of
from projections import component_map

LIMIT = 50_000
"""More than the demo district holds (about 43,000)."""


@strawberry.type(description="A city component (部件) and its state.")
class Component:
    code: str = strawberry.field(description="16 digits: district, class, serial.")
    category: str
    lon: float
    lat: float
    grid: str
    owner: str = strawberry.field(description="The department that owns it.")
    state: str = strawberry.field(description="intact, faulty or removed")
    open_case: int | None = strawberry.field(description="The case open against it.")
    changed_at: datetime


@strawberry.input(description="A WGS-84 bounding box.")
class Box:
    west: float
    south: float
    east: float
    north: float


@strawberry.type
class Query:
    @strawberry.field(
        description="Components under an area code, in the states asked for (every state "
        "if none), inside a box if given, by code; `first` at most.",
        permission_classes=[SignedIn],
    )
    async def components(
        self,
        info: Info,
        area: str = "",
        states: list[str] | None = None,
        box: Box | None = None,
        first: int = 5000,
        as_of: AsOf | None = None,
    ) -> list[Component]:
        code = area_code(area)
        read_area(info.context.caller, code)
        unknown = sorted(set(states or ()) - set(component_map.STATES))
        if unknown:
            raise BadInput(f"no component state {unknown[0]!r}; one of {component_map.STATES}")
        if not 1 <= first <= LIMIT:
            raise BadInput(f"first must be 1 to {LIMIT}")
        shown = None if box is None else component_map.Box(box.west, box.south, box.east, box.north)
        views, _, _ = await views_as_of(info, as_of, component_map)
        found = await info.context.call(
            component_map.located, views, code, tuple(states or ()), shown, first
        )
        return [mapped(Component, row) for row in found]
