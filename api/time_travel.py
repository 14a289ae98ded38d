"""Time travel (for auditors): every view query takes `asOf`, a position of the log or an
instant, and answers as the views stood then (projections/time_travel.py folds them);
`moment` says which position and instant an `asOf` means, and where the log is now."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from api.auth import SignedIn, read_history
from api.context import Info
from api.errors import BadInput
from projections.store import ViewStore
from projections.time_travel import TimeMachine
from projections.view import View


@strawberry.input(
    description="A moment of the past: a log position, or an instant (then the last event "
    "at or before it). Give one of the two. Auditors only."
)
class AsOf:
    position: int | None = None
    instant: datetime | None = None


@strawberry.type(description="A position of the log and the instant of its event.")
class Moment:
    position: int
    at: datetime | None = strawberry.field(description="Its event's business instant.")
    head: int = strawberry.field(description="The last position of the log now.")


@strawberry.type
class Query:
    @strawberry.field(
        description="The position and instant an asOf means (the head of the log if none).",
        permission_classes=[SignedIn],
    )
    async def moment(self, info: Info, as_of: AsOf | None = None) -> Moment:
        if as_of is not None:
            read_history(info.context.caller)
        machine = info.context.services.time_machine
        return await info.context.call(_moment, machine, as_of)


async def views_as_of(
    info: Info, as_of: AsOf | None, *views: View
) -> tuple[ViewStore, datetime, int | None]:
    """The views a query reads, the instant they are read at (overdue, due soon, this
    quarter) and the position they reflect: the current views now, or those of the past
    that `as_of` names (None: the position is the current views')."""
    if as_of is None:
        return info.context.services.views, datetime.now(UTC), None
    read_history(info.context.caller)
    machine = info.context.services.time_machine

    def travel() -> tuple[ViewStore, datetime, int | None]:
        moment = _moment(machine, as_of)
        if moment.position == 0:
            raise BadInput("the log holds nothing at or before that instant")
        assert moment.at is not None
        try:
            store = machine.at(moment.position, views)
        except ValueError as error:
            raise BadInput(str(error)) from None
        return store, as_of.instant or moment.at, moment.position

    return await info.context.call(travel)


def _moment(machine: TimeMachine, as_of: AsOf | None) -> Moment:
    head = machine.log.max_notification_id() or 0
    if as_of is None:
        return Moment(position=head, at=machine.instant_of(head), head=head)
    if (as_of.position is None) == (as_of.instant is None):
        raise BadInput("asOf takes a position or an instant, one of the two")
    if as_of.instant is not None:
        if as_of.instant.tzinfo is None:
            raise BadInput("asOf.instant needs a time zone, e.g. 2026-11-24T09:00:00+08:00")
        position = machine.position_at(as_of.instant)
    else:
        position = as_of.position or 0
        if not 1 <= position <= head:
            raise BadInput(f"position {position} is not in the log (1 to {head:,})")
    return Moment(position=position, at=machine.instant_of(position), head=head)
