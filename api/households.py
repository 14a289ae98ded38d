"""Households (户) as grid workers keep them: registered in a survey (入户采集), tagged
(独居老人, 低保户, …: key households are visited more often), moved out. A head's name
and phone are personal data: recorded, never shown back by this API."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.geography import Location
from api.outcomes import Outcome, command, mutation
from domain.service import HouseholdPlan
from domain.visits import Tag as Tags

Tag = strawberry.enum(Tags, description="A household tag; key households are visited more.")


@strawberry.input(description="A household to register; its code begins with its grid's.")
class HouseholdInput:
    code: str
    address: str
    location: Location
    members: int
    tags: list[Tag] = strawberry.field(default_factory=list)  # type: ignore[valid-type]
    head_name: str
    head_phone: str

    def plan(self) -> HouseholdPlan:
        return HouseholdPlan(
            code=self.code,
            address=self.address,
            location=self.location.point(),
            members=self.members,
            tags=tuple(Tags(t) for t in self.tags),
            head_name=self.head_name,
            head_phone=self.head_phone,
        )


@strawberry.type
class Mutation:
    @mutation("Register households, each located in the grid its code names.")
    async def register_households(
        self, info: Info, households: list[HouseholdInput], key: str | None = None
    ) -> Outcome:
        app = info.context.services.app
        plans = [h.plan() for h in households]
        return await command(info, app.register_households, plans, key=key)

    @mutation("Tag a household (a key household is visited more often).")
    async def tag_household(
        self,
        info: Info,
        household: str,
        tag: Tag,  # type: ignore[valid-type]
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(info, app.tag_household, household, Tags(tag), key=key)

    @mutation("Take a tag off a household.")
    async def untag_household(
        self,
        info: Info,
        household: str,
        tag: Tag,  # type: ignore[valid-type]
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(info, app.untag_household, household, Tags(tag), key=key)

    @mutation("A household moved out of the grid: no more visits are due.")
    async def move_out(self, info: Info, household: str, key: str | None = None) -> Outcome:
        app = info.context.services.app
        return await command(info, app.move_out, household, key=key)
