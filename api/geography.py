"""The district's map as admins draw it (网格划分): the district and its streets,
communities and grids; redrawing, splitting and merging grids (the tiling must hold);
and who is on duty in each grid. Locations and rings come as WGS-84 [lon, lat]."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.errors import BadInput
from api.outcomes import Outcome, command, mutation
from domain.grids.district import Area, GridPlan
from domain.grids.geometry import Point, Ring


@strawberry.input(description="A WGS-84 location.")
class Location:
    lon: float
    lat: float

    def point(self) -> Point:
        return Point(self.lon, self.lat)


@strawberry.input(description="A street or a community: its code and names.")
class AreaInput:
    code: str
    name_zh: str
    name_en: str


@strawberry.input(description="A grid to draw: code, names, boundary, households, population.")
class GridInput:
    code: str
    name_zh: str
    name_en: str
    boundary: list[list[float]] = strawberry.field(description="A closed ring of [lon, lat].")
    households: int
    population: int

    def plan(self) -> GridPlan:
        boundary = ring(self.boundary)
        return GridPlan(
            self.code, self.name_zh, self.name_en, boundary, self.households, self.population
        )


@strawberry.input(description="A grid's new boundary.")
class BoundaryInput:
    code: str
    boundary: list[list[float]]


@strawberry.input(description="The grid worker on duty in a grid, and its service team.")
class DutyInput:
    grid: str
    worker: str = strawberry.field(description="The grid worker's staff code.")
    team: list[str] = strawberry.field(default_factory=list, description="Staff codes.")


def ring(points: list[list[float]]) -> Ring:
    """A ring from [lon, lat] pairs; anything else is bad input."""
    if any(len(point) != 2 for point in points):
        raise BadInput("a ring is a list of [lon, lat] pairs")
    return tuple((float(lon), float(lat)) for lon, lat in points)


@strawberry.type
class Mutation:
    @mutation("Draw the district (区) with its outline: the first step of a map.")
    async def draw_district(
        self,
        info: Info,
        name_zh: str,
        name_en: str,
        outline: list[list[float]],
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(info, app.draw_district, name_zh, name_en, ring(outline), key=key)

    @mutation("Add streets, communities and grids that tile the district without gaps.")
    async def draw_map(
        self,
        info: Info,
        streets: list[AreaInput],
        communities: list[AreaInput],
        grids: list[GridInput],
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info,
            app.draw_map,
            streets=[Area(a.code, a.name_zh, a.name_en) for a in streets],
            communities=[Area(a.code, a.name_zh, a.name_en) for a in communities],
            grids=[g.plan() for g in grids],
            key=key,
        )

    @mutation("Move grid boundaries; together they must still tile the same area.")
    async def redraw_grids(
        self, info: Info, boundaries: list[BoundaryInput], key: str | None = None
    ) -> Outcome:
        app = info.context.services.app
        drawn = {b.code: ring(b.boundary) for b in boundaries}
        return await command(info, app.redraw_grids, drawn, key=key)

    @mutation("Split a grid into new grids covering exactly its area; it retires.")
    async def split_grid(
        self, info: Info, code: str, parts: list[GridInput], key: str | None = None
    ) -> Outcome:
        app = info.context.services.app
        return await command(info, app.split_grid, code, [p.plan() for p in parts], key=key)

    @mutation("Merge neighbouring grids into one new grid; they retire.")
    async def merge_grids(
        self, info: Info, codes: list[str], into: GridInput, key: str | None = None
    ) -> Outcome:
        app = info.context.services.app
        return await command(info, app.merge_grids, codes, into.plan(), key=key)

    @mutation("Put grid workers on duty in their grids, each with a service team.")
    async def staff_grids(
        self, info: Info, duties: list[DutyInput], key: str | None = None
    ) -> Outcome:
        app = info.context.services.app
        on_duty = {d.grid: (d.worker, list(d.team)) for d in duties}
        if len(on_duty) != len(duties):
            raise BadInput("name each grid once")
        return await command(info, app.staff_grids, on_duty, key=key)
