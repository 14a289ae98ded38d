"""What a mutation answers, as data: what it recorded, or the typed refusal that says
which rule it broke — nothing is recorded then."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry

from api.auth import SignedIn
from api.context import Info
from domain import errors
from domain.service import Recorded as Written


@strawberry.type(description="What a command left in the log.")
class Recorded:
    id: str = strawberry.field(description="The aggregate it was about.")
    version: int = strawberry.field(description="Its version now: the next expectedVersion.")
    positions: list[int] = strawberry.field(description="Log positions of its events.")
    number: int | None = strawberry.field(description="The number it gave: a case's, or a visit's.")
    replayed: bool = strawberry.field(
        description="A retry with the same key: the first answer, nothing new recorded."
    )


@strawberry.interface(description="A command refused; nothing was recorded.")
class Refusal:
    message: str


@strawberry.type(description="The command breaks a rule of the practice.")
class RuleBroken(Refusal):
    pass


@strawberry.type(description="The command names something that does not exist.")
class NotFound(Refusal):
    pass


@strawberry.type(description="The case changed since the version the client read.")
class VersionConflict(Refusal):
    pass


@strawberry.type(description="The caller's role or scope does not allow it.")
class NotAllowed(Refusal):
    pass


@strawberry.type(description="The idempotency key came back with another command.")
class KeyReused(Refusal):
    pass


Refused = RuleBroken | NotFound | VersionConflict | NotAllowed | KeyReused
Outcome = Annotated[Recorded | Refused, strawberry.union("Outcome")]

REFUSALS: dict[type[errors.DomainError], type[Refused]] = {
    errors.RuleBroken: RuleBroken,
    errors.NotFound: NotFound,
    errors.VersionConflict: VersionConflict,
    errors.NotPermitted: NotAllowed,
    errors.KeyReused: KeyReused,
}


def mutation(description: str) -> Any:
    """A mutation field: every one needs a signed-in caller."""
    return strawberry.mutation(description=description, permission_classes=[SignedIn])


async def command(
    info: Info, use_case: Callable[..., Written], *args: Any, **kwargs: Any
) -> Recorded | Refused:
    """Run a use case of the application as the caller, now, on a worker thread; a
    refusal comes back as data."""
    try:
        written = await info.context.call(
            use_case, *args, by=info.context.caller, at=datetime.now(UTC), **kwargs
        )
    except errors.DomainError as error:
        kind: type[Refused] = next(
            (r for e, r in REFUSALS.items() if isinstance(error, e)), RuleBroken
        )
        return kind(message=str(error))
    info.context.services.recorded(written)
    return Recorded(
        id=written.id.hex,
        version=written.version,
        positions=list(written.positions),
        number=written.number,
        replayed=written.replayed,
    )
