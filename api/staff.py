"""Staff: who the caller is, and the roster (人员名册) as far as their scope reaches — the
district's readers see everyone, a department its own staff, grid workers and
supervisors the field staff working in their area. Admins enrol, reassign and sign off
staff, and issue and revoke their access tokens (the secret is shown once; the log keeps
only its digest)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

import strawberry

from api.auth import AREA_READERS, DISTRICT_READERS, SignedIn
from api.context import Info
from api.mapping import mapped
from api.outcomes import Outcome, Recorded, Refused, command, mutation
from api.time_travel import AsOf, views_as_of
from domain.errors import NotFound
from domain.service import StaffPlan
from domain.staff import Actor, Role
from infra.event_store import EventLog
from infra.tokens import issued, mint
from projections import staff

StaffRole = strawberry.enum(Role, name="Role", description="What a staff member does.")


@strawberry.input(description="A staff member to enrol with their role and scope.")
class StaffInput:
    code: str
    name: str
    role: StaffRole  # type: ignore[valid-type]
    area: list[str] = strawberry.field(
        default_factory=list, description="Area-code prefixes: grids, a community, a street."
    )
    department: str | None = None

    def plan(self) -> StaffPlan:
        area = tuple(self.area)
        return StaffPlan(self.code, self.name, Role(self.role), area, self.department)


@strawberry.type(description="A token issued: its secret is shown this once, never again.")
class TokenIssued:
    secret: str = strawberry.field(description="Send it as 'Authorization: Bearer <secret>'.")
    short: str = strawberry.field(description="The token's short name, to revoke it by.")
    recorded: Recorded


TokenOutcome = Annotated[TokenIssued | Refused, strawberry.union("TokenOutcome")]


@strawberry.type(description="A staff member as the roster shows them.")
class Member:
    code: str
    name: str
    role: str
    area: list[str] = strawberry.field(description="Area-code prefixes they work in.")
    department: str | None
    active: bool = strawberry.field(description="False once they have left.")
    enrolled_at: datetime
    grids: list[str] = strawberry.field(description="Grids where they are on duty.")


@strawberry.type(description="Who is asking: the holder of the token.")
class Viewer:
    code: str
    name: str
    role: str
    area: list[str]
    department: str | None


@strawberry.type
class Query:
    @strawberry.field(description="Who the token belongs to.", permission_classes=[SignedIn])
    def viewer(self, info: Info) -> Viewer:
        me = info.context.caller
        return Viewer(
            code=me.id,
            name=me.name,
            role=me.role.value,
            area=list(me.area),
            department=me.department,
        )

    @strawberry.field(
        description="Staff members (of a role, of a department) within the caller's scope.",
        permission_classes=[SignedIn],
    )
    async def staff(
        self,
        info: Info,
        role: str | None = None,
        department: str | None = None,
        as_of: AsOf | None = None,
    ) -> list[Member]:
        viewer = info.context.caller
        views, _, _ = await views_as_of(info, as_of, staff)
        found = await info.context.call(staff.roster, views, role, department)
        return [mapped(Member, m) for m in found if _may_see(viewer, m)]


def _may_see(viewer: Actor, member: staff.Member) -> bool:
    if viewer.role in DISTRICT_READERS:
        return True
    if viewer.role is Role.DEPARTMENT:
        return member.department == viewer.department
    if viewer.role in AREA_READERS and member.role in FIELD_ROLES:
        return any(a.startswith(b) or b.startswith(a) for a in member.area for b in viewer.area)
    return False


FIELD_ROLES = frozenset({Role.GRID_WORKER.value, Role.SUPERVISOR.value})


@strawberry.type
class Mutation:
    @mutation("Enrol staff members, each with a role and the scope it needs.")
    async def enrol_staff(
        self, info: Info, staff: list[StaffInput], key: str | None = None
    ) -> Outcome:
        app = info.context.services.app
        return await command(info, app.enrol_staff, [s.plan() for s in staff], key=key)

    @mutation("Give a staff member another area or department.")
    async def reassign_staff(
        self,
        info: Info,
        code: str,
        area: list[str],
        department: str | None = None,
        key: str | None = None,
    ) -> Outcome:
        app = info.context.services.app
        return await command(
            info, app.reassign_staff, code, tuple(area), department=department, key=key
        )

    @mutation("A staff member leaves: they can no longer act, and their tokens stop working.")
    async def staff_leaves(self, info: Info, code: str, key: str | None = None) -> Outcome:
        app = info.context.services.app
        return await command(info, app.staff_leaves, code, key=key)

    @mutation("Issue an access token to a staff member (no key: a secret is never re-sent).")
    async def issue_token(self, info: Info, staff: str, label: str = "") -> TokenOutcome:
        secret, digest = mint()
        app = info.context.services.app
        answer = await command(info, app.issue_token, digest, staff, label)
        if not isinstance(answer, Recorded):
            return answer
        return TokenIssued(secret=secret, short=digest[:8], recorded=answer)

    @mutation("Revoke a token by its short name: it never works again.")
    async def revoke_token(self, info: Info, token: str, key: str | None = None) -> Outcome:
        app, log = info.context.services.app, info.context.services.log
        return await command(info, _revoke, app.revoke_token, log, token, key=key)


def _revoke(revoke: Callable[..., Any], log: EventLog, token: str, **kwargs: Any) -> Any:
    """Revoke the one token whose digest begins with `token`."""
    found = [t for t in issued(log) if t.digest.startswith(token)] if token else []
    if len(found) != 1:
        raise NotFound(f"{'no' if not found else 'more than one'} token {token}")
    return revoke(found[0].digest, **kwargs)
