"""Workload: departments' queues and on-time rates, and grid workers' reports, visits and
the on-site checks waiting for them."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Collection
from datetime import UTC, datetime

import strawberry

from api.auth import AREA_READERS, DISTRICT_READERS, SignedIn
from api.context import Info
from api.errors import Refused
from api.mapping import mapped
from api.time_travel import AsOf, views_as_of
from domain.staff import Actor, Role
from projections import workload as workload_view
from projections.store import ViewStore
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


@strawberry.type(description="Workload that changed: departments' and grid workers'.")
class WorkloadChange:
    departments: list[DepartmentLoad]
    workers: list[WorkerLoad]


@strawberry.type
class Query:
    @strawberry.field(
        description=f"Departments' queues now and their work in the last {DAYS} days.",
        permission_classes=[SignedIn],
    )
    async def department_workload(
        self, info: Info, as_of: AsOf | None = None
    ) -> list[DepartmentLoad]:
        views, now, _ = await views_as_of(info, as_of, workload_view)
        return await info.context.call(_departments, info.context.caller, views, now)

    @strawberry.field(
        description=f"Grid workers' reports, visits (last {DAYS} days) and checks waiting.",
        permission_classes=[SignedIn],
    )
    async def worker_workload(self, info: Info, as_of: AsOf | None = None) -> list[WorkerLoad]:
        views, now, _ = await views_as_of(info, as_of, workload_view)
        return await info.context.call(_workers, info.context.caller, views, now)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="The workload the caller may read as it is now, then the departments "
        "and grid workers whose workload changed, each time some do.",
        permission_classes=[SignedIn],
    )
    async def workload_updates(self, info: Info) -> AsyncGenerator[WorkloadChange, None]:
        viewer, views = info.context.caller, info.context.services.views
        departments = viewer.role in DISTRICT_READERS or viewer.role is Role.DEPARTMENT
        workers = viewer.role in DISTRICT_READERS or viewer.role in AREA_READERS
        if not (departments or workers):
            raise Refused(f"{viewer} may not read workload")

        def read(changed: frozenset[str] | None) -> WorkloadChange:
            now = datetime.now(UTC)
            codes, ids = _named(changed, "department"), _named(changed, "worker")
            return WorkloadChange(
                departments=_departments(viewer, views, now, codes) if departments else [],
                workers=_workers(viewer, views, now, ids) if workers else [],
            )

        async with info.context.listening(workload_view.name) as notices:
            yield await info.context.call(read, None)  # listening first: no change between
            async for notice in notices:
                change = await info.context.call(read, notice.keys)
                if change.departments or change.workers:
                    yield change


def _named(keys: frozenset[str] | None, kind: str) -> set[str] | None:
    """The codes a notice names of one kind ('department/hwj', 'worker/W001'); None: all."""
    if keys is None:
        return None
    return {code for key in keys for k, _, code in [key.partition("/")] if k == kind}


def _departments(
    viewer: Actor, views: ViewStore, now: datetime, codes: Collection[str] | None = None
) -> list[DepartmentLoad]:
    """The departments' workload the viewer may read: of `codes`, or all if None."""
    if viewer.role is Role.DEPARTMENT and viewer.department:
        own = viewer.department
        codes = [own] if codes is None or own in codes else []
    elif viewer.role not in DISTRICT_READERS:
        raise Refused(f"{viewer} may not read departments' workload")
    if codes is None:
        found = workload.departments(views, now, DAYS)
    else:
        found = [workload.department(views, code, now, DAYS) for code in sorted(codes)]
    return [mapped(DepartmentLoad, load) for load in found]


def _workers(
    viewer: Actor, views: ViewStore, now: datetime, ids: Collection[str] | None = None
) -> list[WorkerLoad]:
    """The grid workers' workload the viewer may read: of `ids`, or all if None; a grid
    worker or supervisor reads their own."""
    if viewer.role not in DISTRICT_READERS | AREA_READERS:
        raise Refused(f"{viewer} may not read grid workers' workload")
    if viewer.role not in DISTRICT_READERS:
        ids = [viewer.id] if ids is None or viewer.id in ids else []
    if ids is None:
        return [_worker(load) for load in workload.workers(views, now, DAYS)]
    found = (workload.worker(views, staff, now, DAYS) for staff in sorted(ids))
    return [_worker(load) for load in found if load is not None]
