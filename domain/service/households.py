"""Household use cases: registering households and recording visits (走访)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.errors import RuleBroken
from domain.grids.geometry import Point
from domain.households import Household, household_id
from domain.service.commands import Change, ServiceBase, use_case
from domain.service.grids import MapService
from domain.staff import Actor
from domain.visits import Need, Tag


@dataclass(frozen=True)
class HouseholdPlan:
    """A household to register; head name and phone are personal data."""

    code: str
    address: str
    location: Point
    members: int
    tags: tuple[Tag, ...]
    head_name: str
    head_phone: str


class HouseholdService(MapService, ServiceBase):
    @use_case
    def register_households(
        self,
        households: Sequence[HouseholdPlan],
        by: Actor,
        at: datetime,
        key: str | None = None,
    ) -> Change:
        """Register households (入户采集), in bulk when a grid is first surveyed."""
        if not households:
            raise RuleBroken("name at least one household to register")
        grids = self.locator(at).locate_many([h.location for h in households])
        registered = []
        for plan, grid in zip(households, grids, strict=True):
            if grid != plan.code[:15]:
                raise RuleBroken(
                    f"household {plan.code} is located in grid {grid or 'outside the district'}, "
                    f"not in grid {plan.code[:15]} its code names"
                )
            registered.append(
                Household.register(
                    code=plan.code,
                    address=plan.address,
                    location=plan.location,
                    members=plan.members,
                    tags=plan.tags,
                    head_name=plan.head_name,
                    head_phone=plan.head_phone,
                    by=by,
                    at=at,
                )
            )
        return Change(registered[0], tuple(registered[1:]))

    @use_case
    def tag_household(
        self, household: str, tag: Tag, by: Actor, at: datetime, key: str | None = None
    ) -> Change:
        home = self._household(household)
        home.tag(tag, by=by, at=at)
        return Change(home)

    @use_case
    def untag_household(
        self, household: str, tag: Tag, by: Actor, at: datetime, key: str | None = None
    ) -> Change:
        home = self._household(household)
        home.untag(tag, by=by, at=at)
        return Change(home)

    @use_case
    def move_out(self, household: str, by: Actor, at: datetime, key: str | None = None) -> Change:
        home = self._household(household)
        home.move_out(by=by, at=at)
        return Change(home)

    @use_case
    def record_visit(
        self,
        household: str,
        findings: str,
        by: Actor,
        at: datetime,
        needs: tuple[Need, ...] = (),
        key: str | None = None,
    ) -> Change:
        home = self._household(household)
        visit = home.record_visit(findings, needs, by=by, at=at, catalog=self.catalog)
        return Change(home, number=visit)

    def _household(self, code: str) -> Household:
        return self.load(Household, household_id(code), f"household {code}")
