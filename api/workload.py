"""Workload: departments' queues and on-time rates, and grid workers' reports, visits and
the on-site checks waiting for them."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.auth import DISTRICT_READERS, SignedIn
from api.context import Info
from api.errors import Refused
from api.mapping import mapped
from api.time_travel import AsOf, views_as_of
from domain.staff import Role
from projections import workload as workload_view
from projections.workload import read as workload

DAYS = 30


@strawberry.type
class DepartmentLoad:
    code: str
    queue: int = strawberry.field(description="Dispatched + accepted + rework.")
    dispatched: int
    accepted: int
    rework: int
    suspended: int
    overdue: int
    handled: int = strawberry.field(description="In the days counted.")
    on_time: int
    on_time_rate: float | None
    mean_hours: float | None
    returned: int
    reworked: int
    first_day: str


@strawberry.type(description="An on-site check waiting: 核实 of a report, 核查 of a fix.")
class PendingCheck:
    case: int
    grid: str
    kind: str
    since: datetime
    waited_hours: float
    due: datetime
    late: bool


@strawberry.type
class WorkerLoad:
    id: str
    name: str | None
    role: str
    active: bool
    grids: list[str]
    reports: int
    visits: int
    checks: list[PendingCheck]
    verifications: list[PendingCheck]
    first_day: str


def _worker(load: workload.WorkerLoad) -> WorkerLoad:
    def pending(check: workload.PendingCheck) -> PendingCheck:
        hours = check.waited.total_seconds() / 3600
        return PendingCheck(
            case=check.case,
            grid=check.grid,
            kind=check.kind,
            since=check.since,
            waited_hours=hours,
            due=check.due,
            late=check.late,
        )

    return WorkerLoad(
        id=load.id,
        name=load.name,
        role=load.role,
        active=load.active,
        grids=list(load.grids),
        reports=load.reports,
        visits=load.visits,
        checks=[pending(c) for c in load.checks],
        verifications=[pending(c) for c in load.verifications],
        first_day=load.first_day,
    )


@strawberry.type
class Query:
    @strawberry.field(
        description=f"Departments' queues now and their work in the last {DAYS} days.",
        permission_classes=[SignedIn],
    )
    async def department_workload(
        self, info: Info, as_of: AsOf | None = None
    ) -> list[DepartmentLoad]:
        viewer = info.context.caller
        views, now, _ = await views_as_of(info, as_of, workload_view)
        if viewer.role is Role.DEPARTMENT and viewer.department:
            own = await info.context.call(workload.department, views, viewer.department, now, DAYS)
            return [mapped(DepartmentLoad, own)]
        if viewer.role not in DISTRICT_READERS:
            raise Refused(f"{viewer} may not read departments' workload")
        found = await info.context.call(workload.departments, views, now, DAYS)
        return [mapped(DepartmentLoad, load) for load in found]

    @strawberry.field(
        description=f"Grid workers' reports, visits (last {DAYS} days) and checks waiting.",
        permission_classes=[SignedIn],
    )
    async def worker_workload(self, info: Info, as_of: AsOf | None = None) -> list[WorkerLoad]:
        viewer = info.context.caller
        views, now, _ = await views_as_of(info, as_of, workload_view)
        if viewer.role in DISTRICT_READERS:
            found = await info.context.call(workload.workers, views, now, DAYS)
            return [_worker(load) for load in found]
        if viewer.role is Role.DEPARTMENT:
            raise Refused(f"{viewer} may not read grid workers' workload")
        own = await info.context.call(workload.worker, views, viewer.id, now, DAYS)
        return [] if own is None else [_worker(own)]
