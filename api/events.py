"""The event stream: every event after a position, then new ones as they are committed,
in log order with no gap and no repeat — a client that reconnects with the last position
it saw misses nothing. A department's stream holds the events of the cases while they
are dispatched to it: from their dispatch to it up to their return (退回) or their
dispatch elsewhere."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

import orjson
import strawberry
from strawberry.scalars import JSON

from api.auth import SignedIn, read_stream
from api.context import Info
from api.errors import BadInput
from domain.events import CASE_EVENTS, PERSONAL, topics_of
from infra.bootstrap import Services
from infra.event_store import EventLog
from projections import case_board
from projections.records import StoredRow, name_of
from projections.store import Page, Where

PAGE = 500
HIDDEN = frozenset({"timestamp", "originator_topic", "by", "at"}) | PERSONAL
"""Not in `data`: stored bookkeeping, fields the event shows on its own, personal data."""


@strawberry.type(description="Who acted: a staff member (or the public) in a role.")
class Actor:
    id: str
    name: str
    role: str


@strawberry.type(description="One event of the log under its public name (CaseDispatched).")
class Event:
    position: int = strawberry.field(description="Its place in the log: 1, 2, 3, …")
    name: str
    originator: str = strawberry.field(description="The aggregate's id, 32 hex digits.")
    version: int = strawberry.field(description="Its place in the aggregate's own history.")
    at: datetime | None = strawberry.field(description="The business instant (UTC).")
    by: Actor | None
    data: JSON = strawberry.field(description="The event's other fields; no personal data.")


@strawberry.input(description="Which events to stream; empty fields do not filter.")
class EventFilter:
    names: list[str] | None = strawberry.field(default=None, description="Public names.")
    department: str | None = strawberry.field(
        default=None,
        description="A department's stream: its cases' events while dispatched to it (a "
        "department's staff always get their own).",
    )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Every event after `after` (a position; 0 for the whole log), then new "
        "ones as they are committed: log order, no gap, no repeat.",
        permission_classes=[SignedIn],
    )
    async def events(
        self, info: Info, after: int = 0, filter: EventFilter | None = None
    ) -> AsyncGenerator[Event, None]:
        given, viewer = filter or EventFilter(), info.context.caller
        department = read_stream(viewer, given.department)
        if after < 0:
            raise BadInput("after must be a position (0 or more)")
        names = set(given.names or ())
        try:
            topics_of(sorted(names))  # an unknown name is an error before anything streams
        except ValueError as error:
            raise BadInput(str(error)) from None
        context = info.context
        dispatches = None
        if department is not None:
            head = context.services.log.max_notification_id() or 0
            if after > head:
                raise BadInput(f"after {after} is beyond the log (its last position is {head})")
            dispatches = await context.call(Dispatches.at, context.services, department, after)
        read = _read(names, dispatches)
        position = after
        while True:
            rows, position = await context.call(_page, context.services.log, position, read)
            for row in rows:
                if (not names or name_of(row[3]) in names) and (
                    dispatches is None or dispatches.concern(row)
                ):
                    yield event_of(row)
            if len(rows) < PAGE:
                await context.head.beyond(position)


class Dispatches:
    """The cases dispatched to one department, followed along the stream."""

    def __init__(self, department: str, cases: set[str]) -> None:
        self.department, self.cases = department, cases

    @classmethod
    def at(cls, services: Services, department: str, position: int) -> Dispatches:
        """Those of the case board as it stood at `position` (folded by the time machine)."""
        if position == 0:
            return cls(department, set())
        board = services.time_machine.at(position, [case_board])
        mine = Page(where=(Where("department", "=", department),))
        return cls(department, {row.id for row in board.select(case_board.cases, mine)})

    def concern(self, row: StoredRow) -> bool:
        """Whether the event concerns the department; follows its dispatches and returns."""
        _, case, _, topic, state = row
        name = name_of(topic)
        if name == "CaseDispatched":
            if orjson.loads(state)["department"] == self.department:
                self.cases.add(case)
                return True
            self.cases.discard(case)
        if case not in self.cases:
            return False
        if name == "CaseReturned":
            self.cases.discard(case)
        return True


def _read(names: set[str], dispatches: Dispatches | None) -> list[str]:
    """The topics to read: the names asked for (all if none); a department's stream also
    reads the dispatches and returns that decide which cases are its."""
    if dispatches is None:
        return topics_of(sorted(names))
    wanted = (names or CASE_EVENTS) | {"CaseDispatched", "CaseReturned"}
    return topics_of(sorted(wanted & CASE_EVENTS))


def _page(log: EventLog, after: int, topics: list[str]) -> tuple[list[StoredRow], int]:
    """A page of events after `after`, and the position up to which the log has been read:
    past the last event returned, or the head of the log when a short page matched less.
    Positions are assigned at commit in order, so none below the head can appear later."""
    head = log.max_notification_id() or 0
    rows = log.scan(after, PAGE, topics)
    if len(rows) == PAGE:
        return rows, rows[-1][0]
    return rows, max(head, rows[-1][0] if rows else after)


def event_of(row: StoredRow) -> Event:
    position, originator, version, topic, state = row
    stored: dict[str, Any] = orjson.loads(state)
    by = stored.get("by")
    at = stored.get("at")
    return Event(
        position=position,
        name=name_of(topic),
        originator=originator,
        version=version,
        at=datetime.fromisoformat(at["_data_"]) if at else None,
        by=_actor(by["_data_"]) if by else None,
        data=JSON({key: plain(value) for key, value in stored.items() if key not in HIDDEN}),
    )


def _actor(by: dict[str, Any]) -> Actor:
    """A member of the public is known by their phone number: not shown."""
    public = by["role"] == "public"
    return Actor(id="public" if public else by["id"], name=by["name"], role=by["role"])


def plain(value: Any) -> Any:
    """A stored value without the store's type wrappers ({"_type_": …, "_data_": …})."""
    if isinstance(value, dict):
        if "_type_" in value and "_data_" in value:
            return plain(value["_data_"])
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value
