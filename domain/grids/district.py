"""The District aggregate: the map of streets, communities and grids.

The map is one consistency boundary because its rule spans grids: the grids tile the
district without gaps or overlaps. Boundaries are versioned — every shape keeps the
instant it took effect — so history can show the map as it was when any event happened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from shapely.geometry import Polygon

from domain.errors import NotFound, RuleBroken
from domain.grids.codes import (
    COMMUNITY_DIGITS,
    DISTRICT_DIGITS,
    GRID_DIGITS,
    STREET_DIGITS,
    check_code,
    community_of,
    street_of,
)
from domain.grids.geometry import Ring
from domain.grids.locator import GridLocator
from domain.grids.shapes import as_ring, check_tiling, polygon, same_cover, union
from domain.staff import Action, Actor, Role


@dataclass(frozen=True)
class Area:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class GridPlan:
    """A grid to draw: what a drawing, a split or a merge names for each new grid."""

    code: str
    name_zh: str
    name_en: str
    boundary: Ring
    households: int
    population: int


@dataclass(frozen=True)
class Duty:
    """Who is on duty in a grid: its grid worker and the service team around them."""

    grid: str
    worker: Actor
    team: tuple[str, ...]


@dataclass
class Grid:
    code: str
    name_zh: str
    name_en: str
    households: int
    population: int
    shapes: list[tuple[datetime, Ring]]  # (in force since, boundary), oldest first
    worker: str | None = None
    team: tuple[str, ...] = ()
    retired_at: datetime | None = None
    successors: tuple[str, ...] = field(default=())

    def shape_at(self, at: datetime | None) -> Ring | None:
        """The boundary in force at `at` (now if None); None if not drawn yet or retired."""
        if at is None:
            return None if self.retired_at else self.shapes[-1][1]
        if self.retired_at is not None and at >= self.retired_at:
            return None
        in_force = [ring for since, ring in self.shapes if since <= at]
        return in_force[-1] if in_force else None


def district_id(code: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"/districts/{code}")


def _ring(points: Sequence[Sequence[float]]) -> Ring:
    return tuple((float(x), float(y)) for x, y in points)


class District(Aggregate):
    @staticmethod
    def create_id(code: str) -> UUID:
        return district_id(code)

    @classmethod
    def draw(
        cls, code: str, name_zh: str, name_en: str, outline: Ring, by: Actor, at: datetime
    ) -> District:
        by.require(Action.DRAW_MAP)
        check_code(code, DISTRICT_DIGITS, "district")
        polygon(outline, f"district {code}")
        return cls(code=code, name_zh=name_zh, name_en=name_en, outline=outline, by=by, at=at)

    @event("DistrictDrawn")
    def __init__(
        self, code: str, name_zh: str, name_en: str, outline: Ring, by: Actor, at: datetime
    ) -> None:
        self.code, self.name_zh, self.name_en = code, name_zh, name_en
        self.outline = _ring(outline)
        self.streets: dict[str, Area] = {}
        self.communities: dict[str, Area] = {}
        self.grids: dict[str, Grid] = {}
        self.changed_at = at

    @property
    def name(self) -> str:
        return f"{self.name_zh} ({self.name_en})"

    def draw_map(
        self,
        streets: Sequence[Area],
        communities: Sequence[Area],
        grids: Sequence[GridPlan],
        by: Actor,
        at: datetime,
    ) -> None:
        """Lay out streets, communities and grids; together with the grids already drawn
        the grids must tile the district."""
        by.require(Action.DRAW_MAP)
        known_streets = set(self.streets)
        for street in streets:
            self._check_new(street.code, STREET_DIGITS, "street", self.code, known_streets)
        known_communities = set(self.communities)
        for community in communities:
            parent = street_of(community.code)
            if parent not in known_streets:
                raise NotFound(f"community {community.code}: no street {parent} in {self.name}")
            self._check_new(
                community.code, COMMUNITY_DIGITS, "community", parent, known_communities
            )
        shapes = self._check_new_grids(grids, known_communities)
        shapes.update({code: polygon(g.shapes[-1][1], code) for code, g in self._current()})
        check_tiling(shapes, polygon(self.outline, self.name), self.name)
        for street in streets:
            self._street_added(
                code=street.code, name_zh=street.name_zh, name_en=street.name_en, by=by, at=at
            )
        for community in communities:
            self._community_added(
                code=community.code,
                name_zh=community.name_zh,
                name_en=community.name_en,
                by=by,
                at=at,
            )
        for grid in grids:
            self._grid_drawn_from(grid, by, at)

    def redraw_grids(self, boundaries: Mapping[str, Ring], by: Actor, at: datetime) -> None:
        """Move boundaries between neighbouring grids; the area they cover together stays."""
        by.require(Action.DRAW_MAP)
        if not boundaries:
            raise RuleBroken("a redrawing needs at least one grid")
        old = {code: polygon(self._current_grid(code).shapes[-1][1], code) for code in boundaries}
        new = {code: polygon(ring, f"grid {code}") for code, ring in boundaries.items()}
        check_tiling(new, union(old.values()), f"the redrawn grids {', '.join(sorted(new))}")
        self._grids_redrawn(boundaries={c: _ring(r) for c, r in boundaries.items()}, by=by, at=at)

    def split_grid(self, code: str, parts: Sequence[GridPlan], by: Actor, at: datetime) -> None:
        by.require(Action.DRAW_MAP)
        old = polygon(self._current_grid(code).shapes[-1][1], code)
        if len(parts) < 2:
            raise RuleBroken(f"grid {code} can only be split into two or more grids")
        shapes = self._check_new_grids(parts, {community_of(code)})
        check_tiling(shapes, old, f"grid {code}")
        self._grid_retired(code=code, successors=tuple(p.code for p in parts), by=by, at=at)
        for part in parts:
            self._grid_drawn_from(part, by, at)

    def merge_grids(self, codes: Sequence[str], into: GridPlan, by: Actor, at: datetime) -> None:
        by.require(Action.DRAW_MAP)
        if len(set(codes)) < 2:
            raise RuleBroken("a merger needs two or more grids")
        communities = {community_of(c) for c in codes}
        if len(communities) != 1:
            raise RuleBroken(f"grids {', '.join(codes)} lie in different communities")
        merged = union(polygon(self._current_grid(c).shapes[-1][1], c) for c in codes)
        as_ring(merged, f"the merger of grids {', '.join(codes)}")
        shapes = self._check_new_grids([into], communities)
        if not same_cover(shapes[into.code], merged):
            raise RuleBroken(f"grid {into.code} must cover exactly the grids it merges")
        for code in codes:
            self._grid_retired(code=code, successors=(into.code,), by=by, at=at)
        self._grid_drawn_from(into, by, at)

    def staff_grids(self, duties: Sequence[Duty], by: Actor, at: datetime) -> None:
        """Name each grid's worker on duty and its service team (网格服务团队)."""
        by.require(Action.DRAW_MAP)
        for duty in duties:
            self._current_grid(duty.grid)
            if duty.worker.role is not Role.GRID_WORKER or not duty.worker.covers(duty.grid):
                raise RuleBroken(
                    f"{duty.worker} cannot be on duty in grid {duty.grid}: not its grid worker"
                )
        for duty in duties:
            self._grid_staffed(
                code=duty.grid, worker=duty.worker.id, team=tuple(duty.team), by=by, at=at
            )

    # Reading the map -------------------------------------------------------------------

    def locator(self, at: datetime | None = None) -> GridLocator:
        """A point locator over the boundaries in force at `at` (now if None)."""
        shapes = {
            code: polygon(ring, code)
            for code, grid in self.grids.items()
            if (ring := grid.shape_at(at)) is not None
        }
        return GridLocator(self.name, shapes)

    def grid(self, code: str) -> Grid:
        try:
            return self.grids[code]
        except KeyError:
            raise NotFound(f"there is no grid {code} in {self.name}") from None

    # Events ------------------------------------------------------------------------------

    @event("StreetAdded")
    def _street_added(self, code: str, name_zh: str, name_en: str, by: Actor, at: datetime) -> None:
        self.streets[code] = Area(code, name_zh, name_en)
        self.changed_at = at

    @event("CommunityAdded")
    def _community_added(
        self, code: str, name_zh: str, name_en: str, by: Actor, at: datetime
    ) -> None:
        self.communities[code] = Area(code, name_zh, name_en)
        self.changed_at = at

    @event("GridDrawn")
    def _grid_drawn(
        self,
        code: str,
        name_zh: str,
        name_en: str,
        boundary: Ring,
        households: int,
        population: int,
        by: Actor,
        at: datetime,
    ) -> None:
        self.grids[code] = Grid(
            code, name_zh, name_en, households, population, [(at, _ring(boundary))]
        )
        self.changed_at = at

    @event("GridsRedrawn")
    def _grids_redrawn(self, boundaries: dict[str, Ring], by: Actor, at: datetime) -> None:
        for code, ring in boundaries.items():
            self.grids[code].shapes.append((at, _ring(ring)))
        self.changed_at = at

    @event("GridRetired")
    def _grid_retired(
        self, code: str, successors: tuple[str, ...], by: Actor, at: datetime
    ) -> None:
        grid = self.grids[code]
        grid.retired_at, grid.successors = at, tuple(successors)
        self.changed_at = at

    @event("GridStaffed")
    def _grid_staffed(
        self, code: str, worker: str, team: tuple[str, ...], by: Actor, at: datetime
    ) -> None:
        grid = self.grids[code]
        grid.worker, grid.team = worker, tuple(team)

    # Guards --------------------------------------------------------------------------------

    def _grid_drawn_from(self, plan: GridPlan, by: Actor, at: datetime) -> None:
        self._grid_drawn(
            code=plan.code,
            name_zh=plan.name_zh,
            name_en=plan.name_en,
            boundary=_ring(plan.boundary),
            households=plan.households,
            population=plan.population,
            by=by,
            at=at,
        )

    def _current(self) -> list[tuple[str, Grid]]:
        return [(c, g) for c, g in self.grids.items() if g.retired_at is None]

    def _current_grid(self, code: str) -> Grid:
        grid = self.grid(code)
        if grid.retired_at is not None:
            raise RuleBroken(f"grid {code} was retired on {grid.retired_at.date()}")
        return grid

    def _check_new(self, code: str, digits: int, kind: str, parent: str, known: set[str]) -> None:
        check_code(code, digits, kind, parent)
        if code in known:
            raise RuleBroken(f"{kind} {code} already exists in {self.name}")
        known.add(code)

    def _check_new_grids(
        self, plans: Sequence[GridPlan], communities: set[str]
    ) -> dict[str, Polygon]:
        known = set(self.grids)
        shapes: dict[str, Polygon] = {}
        for plan in plans:
            parent = community_of(plan.code)
            if parent not in communities:
                raise NotFound(f"grid {plan.code}: no community {parent} for it")
            self._check_new(plan.code, GRID_DIGITS, "grid", parent, known)
            if plan.households < 0 or plan.population < 0:
                raise RuleBroken(f"grid {plan.code}: households and population cannot be negative")
            shapes[plan.code] = polygon(plan.boundary, f"grid {plan.code}")
        return shapes
