"""City components (部件) as a survey registers them (部件普查): each with its 16-digit
code, location, owner and maintainer; a case filed about one marks it faulty."""

from __future__ import annotations

import strawberry

from api.context import Info
from api.geography import Location
from api.outcomes import Outcome, command, mutation
from domain.service import ComponentPlan


@strawberry.input(description="A component found in a survey.")
class ComponentInput:
    code: str = strawberry.field(description="16 digits: district, major, minor, serial.")
    location: Location
    owner: str = strawberry.field(description="The department that owns it.")
    maintainer: str = strawberry.field(description="The department that maintains it.")


@strawberry.type
class Mutation:
    @mutation("Register components found in a survey; each is located in its grid.")
    async def register_components(
        self, info: Info, components: list[ComponentInput], key: str | None = None
    ) -> Outcome:
        app = info.context.services.app
        plans = [
            ComponentPlan(c.code, c.location.point(), owner=c.owner, maintainer=c.maintainer)
            for c in components
        ]
        return await command(info, app.register_components, plans, key=key)
