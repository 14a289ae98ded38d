"""Who is signed in: what a client needs to greet them and to offer only what their role
may do."""

from __future__ import annotations

import strawberry

from api.auth import SignedIn
from api.context import Info
from domain.staff import Action


@strawberry.type(description="The caller: a staff member in a role, with their area.")
class Viewer:
    id: str
    name: str
    role: str
    area: list[str] = strawberry.field(description="Area-code prefixes they cover.")
    department: str | None
    may: list[str] = strawberry.field(description="The actions their role allows.")


@strawberry.type
class Query:
    @strawberry.field(description="Who the token belongs to.", permission_classes=[SignedIn])
    def viewer(self, info: Info) -> Viewer:
        actor = info.context.caller
        return Viewer(
            id=actor.id,
            name=actor.name,
            role=actor.role.value,
            area=list(actor.area),
            department=actor.department,
            may=[action.value for action in Action if actor.may(action)],
        )
