"""What the caller may do: the commands their role allows, so that a client offers only
those (the server still checks every command, scope included)."""

from __future__ import annotations

import strawberry

from api.auth import SignedIn
from api.context import Info
from domain.staff import Action


@strawberry.type
class Query:
    @strawberry.field(
        description="The commands the caller's role allows (report_case, file_case, …).",
        permission_classes=[SignedIn],
    )
    def permissions(self, info: Info) -> list[str]:
        return [action.value for action in Action if info.context.caller.may(action)]
