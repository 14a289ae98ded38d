"""Cases: the case board (filtered, sorted, in cursor pages) and one case with its
timeline of events — who did what, when."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

import orjson
import strawberry

from api.auth import AREA_READERS, DISTRICT_READERS, SignedIn, read_area, read_department
from api.context import Info
from api.errors import BadInput, area_code
from api.events import Event, event_of
from api.mapping import mapped
from api.time_travel import AsOf, views_as_of
from domain.cases import case_id
from domain.staff import Actor, Role
from infra.event_store import EventLog
from projections import case_board
from projections.records import StoredRow
from projections.store import ViewStore

PAGE_LIMIT = 200


@strawberry.type(description="A case on the board: where it stands in the closed loop.")
class Case:
    number: int
    stage: str
    channel: str
    category: str
    grid: str
    community: str
    street: str
    description: str
    reported_at: datetime
    last_at: datetime
    last_event: str
    level: int = strawberry.field(description="Escalation level (1: the district).")
    urgent: bool
    department: str | None
    deadline: datetime | None
    overdue: bool
    suspended: bool
    suspended_at: datetime | None = strawberry.field(
        description="While suspended: when its clock stopped (an overdue case is late by "
        "the time from its deadline to then, until it resumes)."
    )
    extension_asked: bool
    rework_count: int
    closed_at: datetime | None
    satisfaction: int | None
    until: strawberry.Private[int | None] = None
    """The position the case is shown as of (time travel); None: now."""

    @strawberry.field(description="Every event of the case, in order (up to asOf).")
    async def timeline(self, info: Info) -> list[Event]:
        rows = await info.context.call(_history, info.context.services.log, self.number)
        return [event_of(row) for row in rows if self.until is None or row[0] <= self.until]

    @strawberry.field(
        description="Who reported it and how to reach them (personal data): for the operator "
        "and the grid worker of its grid; null for everyone else."
    )
    async def reporter(self, info: Info) -> Reporter | None:
        viewer = info.context.caller
        if not (viewer.role is Role.OPERATOR or _works_in(viewer, self.grid)):
            return None
        rows = await info.context.call(_history, info.context.services.log, self.number)
        return _reporter(orjson.loads(rows[0][4])) if rows else None


@strawberry.type(description="The reporter of a case: personal data.")
class Reporter:
    name: str | None
    phone: str | None
    role: str = strawberry.field(description="grid_worker, supervisor, operator, public, …")


def _works_in(viewer: Actor, grid: str) -> bool:
    """The grid worker of a grid is the one assigned to its cases (DESIGN.md)."""
    return viewer.role is Role.GRID_WORKER and viewer.covers(grid)


def _reporter(reported: dict[str, Any]) -> Reporter:
    """From the stored CaseReported: the reporter's own name and phone if given; a member
    of the public is known by the phone they reported from."""
    by = reported["by"]["_data_"]
    phone = reported.get("reporter_phone")
    if phone is None and by["role"] == Role.PUBLIC.value:
        phone = by["id"].removeprefix("public:")
    return Reporter(name=reported.get("reporter_name") or by["name"], phone=phone, role=by["role"])


@strawberry.type
class CasePage:
    cases: list[Case]
    next: str | None = strawberry.field(description="The cursor of the next page, if any.")


@strawberry.enum
class CaseSort(Enum):
    NUMBER = "number"
    REPORTED_AT = "reported_at"
    DUE = "due"
    LAST_AT = "last_at"


@strawberry.input(description="Which cases to list; empty fields do not filter.")
class CaseFilter:
    stages: list[str] | None = None
    category: str | None = None
    area: str | None = strawberry.field(default=None, description="A grid-code prefix.")
    department: str | None = None
    channel: str | None = None
    overdue: bool | None = None


@strawberry.type
class Query:
    @strawberry.field(
        description="Open cases and those ended in the last week (or the stages asked for).",
        permission_classes=[SignedIn],
    )
    async def case_board(
        self,
        info: Info,
        filter: CaseFilter | None = None,
        sort: CaseSort = CaseSort.REPORTED_AT,
        descending: bool = True,
        first: int = 50,
        after: str | None = None,
        as_of: AsOf | None = None,
    ) -> CasePage:
        if not 1 <= first <= PAGE_LIMIT:
            raise BadInput(f"first must be 1 to {PAGE_LIMIT}")
        given, viewer = filter or CaseFilter(), info.context.caller
        department = given.department
        if viewer.role is Role.DEPARTMENT:
            department = department or viewer.department
            read_department(viewer, department)
        area = None if given.area is None else area_code(given.area)
        if viewer.role is not Role.DEPARTMENT:
            if area is None and viewer.role in AREA_READERS and len(viewer.area) == 1:
                area = viewer.area[0]
            read_area(viewer, area or "")
        where = case_board.Filter(
            stages=tuple(given.stages or ()),
            category=given.category,
            area=area,
            department=department,
            channel=given.channel,
            overdue=given.overdue,
        )
        views, now, position = await views_as_of(info, as_of, case_board)
        try:
            rows, cursor = await info.context.call(
                case_board.board, views, now, where, sort.value, descending, after, first
            )
        except ValueError as error:  # not a cursor of the board
            raise BadInput(str(error)) from None
        return CasePage(cases=[_case(row, position) for row in rows], next=cursor)

    @strawberry.field(
        description="One case by its number; null if there is none.",
        permission_classes=[SignedIn],
    )
    async def case(self, info: Info, number: int, as_of: AsOf | None = None) -> Case | None:
        key, viewer = (case_id(number).hex,), info.context.caller
        views, _, position = await views_as_of(info, as_of, case_board)
        row = await info.context.call(views.fetch, case_board.cases, key)
        if row is None:
            return None
        if viewer.role is Role.DEPARTMENT:
            read_department(viewer, row.department)
        else:
            read_area(viewer, row.grid)
        return _case(row, position)


def _case(row: case_board.CaseRow, until: int | None = None) -> Case:
    case = mapped(Case, row)
    case.until = until
    return case


def _history(log: EventLog, number: int) -> list[StoredRow]:
    return [
        (n.id, UUID(str(n.originator_id)).hex, n.originator_version, n.topic, bytes(n.state))
        for n in log.select_history(case_id(number))
    ]


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Each change of a case — one by its number, or those of an area or a "
        "department — as the case stands after it.",
        permission_classes=[SignedIn],
    )
    async def case_updates(
        self,
        info: Info,
        number: int | None = None,
        area: str | None = None,
        department: str | None = None,
    ) -> AsyncGenerator[Case, None]:
        viewer = info.context.caller
        wanted = _Wanted(number, None if area is None else area_code(area), department)
        if viewer.role is Role.DEPARTMENT:
            read_department(viewer, department or viewer.department)
            wanted = _Wanted(number, wanted.area, department or viewer.department)
        else:
            read_area(viewer, wanted.area or _one_area(viewer))
        views = info.context.services.views
        async with info.context.listening(case_board.name) as notices:
            async for notice in notices:
                rows = await info.context.call(_rows, views, sorted(notice.keys or ()))
                for row in rows:
                    if wanted.matches(row) and _may_read(viewer, row):
                        yield _case(row)


@dataclass(frozen=True)
class _Wanted:
    number: int | None
    area: str | None
    department: str | None

    def matches(self, row: case_board.CaseRow) -> bool:
        return (
            (self.number is None or row.number == self.number)
            and (self.area is None or row.grid.startswith(self.area))
            and (self.department is None or row.department == self.department)
        )


def _one_area(viewer: Actor) -> str:
    return viewer.area[0] if viewer.role in AREA_READERS and len(viewer.area) == 1 else ""


def _may_read(viewer: Actor, row: case_board.CaseRow) -> bool:
    if viewer.role is Role.DEPARTMENT:
        return row.department == viewer.department
    return viewer.role in DISTRICT_READERS or viewer.covers(row.grid)


def _rows(views: ViewStore, ids: list[str]) -> list[case_board.CaseRow]:
    found = [views.fetch(case_board.cases, (id,)) for id in ids]
    return [row for row in found if row is not None]
