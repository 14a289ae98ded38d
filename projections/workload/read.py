"""Reading the workload at an instant: each department's queue and its record over the
last days, each grid worker's reports, visits and the on-site checks waiting for them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from domain.assessment import CHECK_LIMIT, VERIFY_LIMIT, field_deadline
from projections.periods import local_day
from projections.store import Page, ViewStore, Where
from projections.workload.fold import (
    CHECK,
    CaseRow,
    DepartmentDay,
    Duty,
    Worker,
    WorkerDay,
    department_days,
    duties,
    open_cases,
    staff_key,
    worker_days,
    worker_rows,
)

DAYS = 30
"""The figures of what was done cover the last 30 local days, today included."""
QUEUE = ("dispatched", "accepted", "rework")
R = TypeVar("R")


@dataclass(frozen=True)
class DepartmentLoad:
    code: str
    queue: int  # dispatched + accepted + rework: cases it owes an answer on
    dispatched: int
    accepted: int
    rework: int
    suspended: int  # of the queue, with the clock paused (挂账)
    overdue: int  # of the queue, past the deadline in force at `now`
    handled: int  # in the days counted, each case once, by its last handling
    on_time: int
    on_time_rate: float | None  # on_time / handled, 0 to 1; None with nothing handled
    mean_hours: float | None  # handling time from dispatch, in the limits' measure
    returned: int  # cases it sent back as not its own (退回)
    reworked: int  # rework orders against it (返工)
    first_day: str  # the first local day counted, 'YYYY-MM-DD'


@dataclass(frozen=True)
class PendingCheck:
    case: int  # the case number
    grid: str
    kind: str  # 'check' (核实 of a public report) or 'verify' (核查 of a fix)
    since: datetime
    waited: timedelta  # at `now`
    due: datetime  # by the field-hour limit of the assessment (domain/assessment.py)
    late: bool


@dataclass(frozen=True)
class WorkerLoad:
    id: str
    name: str | None
    role: str
    active: bool
    grids: tuple[str, ...]  # the current grids they are on duty in
    reports: int  # in the days counted
    visits: int
    checks: tuple[PendingCheck, ...]  # 核实 waiting, oldest first
    verifications: tuple[PendingCheck, ...]  # 核查 waiting, oldest first
    first_day: str


def departments(store: ViewStore, now: datetime, days: int = DAYS) -> list[DepartmentLoad]:
    """Every department with a case in its queue or work in the days counted, by code."""
    queued = _by(store.select(open_cases, Page(where=(Where("queue", "not null"),))), "department")
    first, where = _window(now, days)
    done = _by(store.select(department_days, Page(where=where)), "department")
    return [
        _department(code, queued.get(code, []), done.get(code, []), now, first)
        for code in sorted(queued.keys() | done.keys())
    ]


def department(store: ViewStore, code: str, now: datetime, days: int = DAYS) -> DepartmentLoad:
    """One department by its code (all zeros if nothing was ever dispatched to it)."""
    mine = Where("department", "=", code)
    queued = store.select(open_cases, Page(where=(mine, Where("queue", "not null"))))
    first, where = _window(now, days)
    done = store.select(department_days, Page(where=(mine, *where)))
    return _department(code, queued, done, now, first)


def workers(store: ViewStore, now: datetime, days: int = DAYS) -> list[WorkerLoad]:
    """Every field worker still active or on duty in a current grid, by staff id."""
    on_duty = _by(store.select(duties), "worker")
    first, where = _window(now, days)
    done = _by(store.select(worker_days, Page(where=where)), "worker")
    pending = _by(store.select(open_cases, Page(where=(Where("awaiting", "not null"),))), "grid")
    found = []
    for row in sorted(store.select(worker_rows), key=lambda w: w.id):
        grids = on_duty.get(row.id, [])
        if row.active or any(not duty.retired for duty in grids):
            waiting = [case for duty in grids for case in pending.get(duty.grid, [])]
            found.append(_worker(row, grids, done.get(row.id, []), waiting, now, first))
    return found


def worker(store: ViewStore, staff_id: str, now: datetime, days: int = DAYS) -> WorkerLoad | None:
    """One field worker by staff id (`by.id`); None if this view never heard of them."""
    row: Worker | None = store.fetch(worker_rows, (staff_key(staff_id),))
    if row is None:
        return None
    grids = store.select(duties, Page(where=(Where("worker", "=", staff_id),)))
    first, where = _window(now, days)
    done = store.select(worker_days, Page(where=(Where("worker", "=", staff_id), *where)))
    waiting: list[CaseRow] = []
    if grids:
        in_grids = Where("grid", "in", tuple(duty.grid for duty in grids))
        waiting = store.select(open_cases, Page(where=(in_grids, Where("awaiting", "not null"))))
    return _worker(row, grids, done, waiting, now, first)


def _department(
    code: str,
    queued: Sequence[CaseRow],
    done: Sequence[DepartmentDay],
    now: datetime,
    first: str,
) -> DepartmentLoad:
    stages = {stage: sum(c.queue == stage for c in queued) for stage in QUEUE}
    handled, on_time = sum(d.handled for d in done), sum(d.on_time for d in done)
    seconds = sum(d.seconds for d in done)
    return DepartmentLoad(
        code=code,
        queue=len(queued),
        dispatched=stages["dispatched"],
        accepted=stages["accepted"],
        rework=stages["rework"],
        suspended=sum(c.suspended for c in queued),
        overdue=sum(c.due is not None and c.due < now for c in queued),
        handled=handled,
        on_time=on_time,
        on_time_rate=on_time / handled if handled else None,
        mean_hours=seconds / handled / 3600 if handled else None,
        returned=sum(d.returned for d in done),
        reworked=sum(d.reworked for d in done),
        first_day=first,
    )


def _worker(
    row: Worker,
    grids: Sequence[Duty],
    done: Sequence[WorkerDay],
    waiting: Iterable[CaseRow],
    now: datetime,
    first: str,
) -> WorkerLoad:
    pending = sorted(
        (
            _pending(case.number, case.grid, case.awaiting, case.since, now)
            for case in waiting
            if case.awaiting is not None and case.since is not None
        ),
        key=lambda p: (p.since, p.case),
    )
    return WorkerLoad(
        id=row.id,
        name=row.name,
        role=row.role,
        active=row.active,
        grids=tuple(sorted(duty.grid for duty in grids if not duty.retired)),
        reports=sum(d.reports for d in done),
        visits=sum(d.visits for d in done),
        checks=tuple(p for p in pending if p.kind == CHECK),
        verifications=tuple(p for p in pending if p.kind != CHECK),
        first_day=first,
    )


def _pending(number: int, grid: str, kind: str, since: datetime, now: datetime) -> PendingCheck:
    due = field_deadline(since, CHECK_LIMIT if kind == CHECK else VERIFY_LIMIT)
    return PendingCheck(number, grid, kind, since, now - since, due, now > due)


def _window(now: datetime, days: int) -> tuple[str, tuple[Where, ...]]:
    """The first local day counted, and the conditions on a tally's day."""
    today = local_day(now)
    first = (today - timedelta(days=days - 1)).isoformat()
    return first, (Where("day", ">=", first), Where("day", "<=", today.isoformat()))


def _by(found: Iterable[R], column: str) -> dict[str, list[R]]:
    grouped: dict[str, list[R]] = {}
    for row in found:
        grouped.setdefault(getattr(row, column), []).append(row)
    return grouped
