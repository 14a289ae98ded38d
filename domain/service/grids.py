"""Map use cases (geography) and locating points on the map in force."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from domain.errors import NotFound
from domain.grids.district import Area, District, Duty, GridPlan, district_id
from domain.grids.geometry import Point, Ring
from domain.grids.locator import GridLocator
from domain.service.commands import Change, ServiceBase, use_case
from domain.staff import Actor, Staff, staff_id


class MapService(ServiceBase):
    _locator: tuple[int, GridLocator] | None = None

    @use_case
    def draw_district(
        self,
        name_zh: str,
        name_en: str,
        outline: Ring,
        by: Actor,
        at: datetime,
        key: str | None = None,
    ) -> Change:
        return Change(District.draw(self.district, name_zh, name_en, outline, by=by, at=at))

    @use_case
    def draw_map(
        self,
        streets: Sequence[Area],
        communities: Sequence[Area],
        grids: Sequence[GridPlan],
        by: Actor,
        at: datetime,
        key: str | None = None,
    ) -> Change:
        district = self._district()
        district.draw_map(streets, communities, grids, by=by, at=at)
        return Change(district)

    @use_case
    def redraw_grids(
        self, boundaries: Mapping[str, Ring], by: Actor, at: datetime, key: str | None = None
    ) -> Change:
        district = self._district()
        district.redraw_grids(boundaries, by=by, at=at)
        return Change(district)

    @use_case
    def split_grid(
        self,
        code: str,
        parts: Sequence[GridPlan],
        by: Actor,
        at: datetime,
        key: str | None = None,
    ) -> Change:
        district = self._district()
        district.split_grid(code, parts, by=by, at=at)
        return Change(district)

    @use_case
    def merge_grids(
        self,
        codes: Sequence[str],
        into: GridPlan,
        by: Actor,
        at: datetime,
        key: str | None = None,
    ) -> Change:
        district = self._district()
        district.merge_grids(codes, into, by=by, at=at)
        return Change(district)

    @use_case
    def staff_grids(
        self,
        duties: Mapping[str, tuple[str, Sequence[str]]],
        by: Actor,
        at: datetime,
        key: str | None = None,
    ) -> Change:
        """`duties`: grid code → (the grid worker's staff code, the service team)."""
        district = self._district()
        on_duty = [
            Duty(grid, self.load(Staff, staff_id(worker), f"staff {worker}").actor(), tuple(team))
            for grid, (worker, team) in duties.items()
        ]
        district.staff_grids(on_duty, by=by, at=at)
        return Change(district)

    # Reading the map ---------------------------------------------------------------------

    def map(self) -> District:
        """The district's map as recorded (read-only)."""
        district = self.peek(District, district_id(self.district))
        if district is None:
            raise NotFound(f"district {self.district} has not been drawn yet")
        return district

    def locate(self, point: Point, at: datetime | None = None) -> str:
        """The grid of `point` on the map in force at `at` (now if None)."""
        return self.locator(at).locate(point)

    def locator(self, at: datetime | None = None) -> GridLocator:
        district = self.map()
        if at is not None and at < district.changed_at:
            return district.locator(at)
        if self._locator is None or self._locator[0] != district.version:
            self._locator = (district.version, district.locator())
        return self._locator[1]

    def _district(self) -> District:
        return self.load(District, district_id(self.district), f"district {self.district}")
