"""The fold of the workload: one row an open case (where it waits: a department's queue or a
grid worker's check), day tallies of what departments and workers did, who is on duty in
each grid, and the field workers' names. Nothing here depends on the time of reading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from domain.cases import Channel
from domain.staff import staff_id
from projections.records import Record
from projections.view import Key, Rows, Table, changed, row_type

NAME = "workload"
FIELD_ROLES = frozenset({"grid_worker", "supervisor"})
"""Who counts as a grid worker here (网格员 / 监督员)."""
CHECKED = frozenset(channel.value for channel in Channel if channel.needs_check)
"""The channels whose reports wait for an on-site check (核实)."""
CHECK, VERIFY = "check", "verify"


@row_type
class CaseRow:
    """An open case: whose queue it is in, or which on-site check it awaits."""

    id: str
    number: int
    grid: str
    department: str | None = None  # dispatched to, until it returns the case
    queue: str | None = None  # dispatched, accepted or rework: the department owes an answer
    suspended: bool = False
    deadline: datetime | None = None  # in force, while dispatched
    due: datetime | None = None  # the deadline while in the queue and not suspended
    awaiting: str | None = None  # 'check' (核实) or 'verify' (核查)
    since: datetime | None = None  # when the check became due
    handled_day: str | None = None  # its last handling: the local day, whether on time, time used
    handled_on_time: bool = False
    handled_seconds: int = 0


@dataclass
class DepartmentDay:
    """What a department did on a local day; `seconds` is the handling time of the cases
    it handled, in their limits' measure (work time, or clock time for clock-hour limits).
    Day tallies are not frozen: the fold counts in its working copy (`Rows.edit`)."""

    department: str
    day: str
    handled: int = 0
    on_time: int = 0
    seconds: int = 0
    returned: int = 0
    reworked: int = 0


@dataclass
class WorkerDay:
    worker: str
    day: str
    reports: int = 0
    visits: int = 0


@row_type
class Duty:
    """The grid worker on duty in a grid (the last one, for a retired grid)."""

    grid: str
    worker: str
    retired: bool = False


@row_type
class Worker:
    """A field worker, keyed by their Staff aggregate's id, which StaffLeft carries; `id` is
    the staff code that events name them by (`by.id`, GridStaffed's `worker`)."""

    staff: str
    id: str
    name: str | None = None  # unknown for a worker staffed before enrolment was recorded
    role: str = "grid_worker"
    active: bool = True


open_cases = Table("workload_cases", CaseRow, key=("id",))
department_days = Table("workload_department_days", DepartmentDay, key=("department", "day"))
worker_days = Table("workload_worker_days", WorkerDay, key=("worker", "day"))
duties = Table("workload_duties", Duty, key=("grid",))
worker_rows = Table("workload_workers", Worker, key=("staff",))


def apply(record: Record, rows: Rows) -> None:
    fold = OTHERS.get(record.name)
    if fold is not None:
        fold(record, rows)
        return
    reported = record.name == "CaseReported"  # a new case: no row to read
    old: CaseRow | None = None if reported else rows.get(open_cases, (record.id,))
    new = evolve(old, record)
    if new is not None:
        rows.put(open_cases, new)
    elif old is not None:
        rows.delete(open_cases, (record.id,))
    else:
        return  # an event of a case this view never saw reported
    _count(record, old, new, rows)
    if rows.notices:
        _tell(old, new, rows)


def evolve(row: CaseRow | None, record: Record) -> CaseRow | None:
    """The open case after the event; None once it has ended."""
    if record.name == "CaseReported":
        public = record["channel"] in CHECKED
        return CaseRow(
            record.id,
            record["number"],
            record["grid"],
            awaiting=CHECK if public else None,
            since=record.at if public else None,
        )
    if row is None:
        return None
    match record.name:
        case "CaseRejected" | "CaseMerged" | "CaseClosed":
            return None
        case "CaseConfirmed" | "CaseResolvedOnSpot" | "CaseVerified":
            return changed(row, awaiting=None, since=None)
        case "CaseDispatched":
            department, deadline = record["department"], record.time("deadline")
            return _queued(row, department=department, queue="dispatched", deadline=deadline)
        case "CaseAccepted":
            return _queued(row, queue="accepted")
        case "CaseReturned":
            return _queued(row, department=None, queue=None, deadline=None)
        case "CaseHandled":
            return _queued(
                row,
                queue=None,
                awaiting=VERIFY,
                since=record.at,
                handled_day=record.day,
                handled_on_time=record["on_time"],
                handled_seconds=round(record["hours_used"] * 3600),
            )
        case "ReworkOrdered":
            return _queued(row, queue="rework", awaiting=None, since=None)
        case "ExtensionGranted":
            return _queued(row, deadline=record.time("deadline"))
        case "CaseSuspended":
            return _queued(row, suspended=True)
        case _:  # CaseResumed: the clock runs again, to a deadline moved by the pause
            return _queued(row, suspended=False, deadline=record.time("deadline"))


CASE_EVENTS = frozenset(
    {
        "CaseReported",
        "CaseConfirmed",
        "CaseRejected",
        "CaseMerged",
        "CaseDispatched",
        "CaseAccepted",
        "CaseReturned",
        "CaseHandled",
        "ExtensionGranted",
        "CaseSuspended",
        "CaseResumed",
        "CaseVerified",
        "ReworkOrdered",
        "CaseResolvedOnSpot",
        "CaseClosed",
    }
)


def _queued(row: CaseRow, **fields: Any) -> CaseRow:
    """The case changed, its running deadline following its queue and suspension (one copy
    a step)."""
    queue, suspended = fields.get("queue", row.queue), fields.get("suspended", row.suspended)
    runs = queue is not None and not suspended
    return changed(row, **fields, due=fields.get("deadline", row.deadline) if runs else None)


def _count(record: Record, old: CaseRow | None, new: CaseRow | None, rows: Rows) -> None:
    """The day tallies a case event moves."""
    match record.name:
        case "CaseReported" if record.by["role"] in FIELD_ROLES:
            _met(record, rows)
            _tally(rows, worker_days, (record.by["id"], record.day), reports=1)
        case "CaseReturned" if old is not None and old.department is not None:
            _tally(rows, department_days, (old.department, record.day), returned=1)
        case "ReworkOrdered" if old is not None and old.department is not None:
            _tally(rows, department_days, (old.department, record.day), reworked=1)
        case "CaseHandled" if new is not None and new.department is not None:
            if old is not None and old.handled_day is not None:  # counts once, by its last
                earlier = (old.department, old.handled_day)
                _tally(rows, department_days, earlier, **_handled(old, -1))
            _tally(rows, department_days, (new.department, new.handled_day), **_handled(new, 1))


def _tell(old: CaseRow | None, new: CaseRow | None, rows: Rows) -> None:
    """Name the departments the case is or was dispatched to, and the worker on duty in
    its grid when an on-site check came or went."""
    both = [row for row in (old, new) if row is not None]
    for department in {row.department for row in both if row.department is not None}:
        rows.tell(NAME, f"department/{department}")
    if (old and old.awaiting) != (new and new.awaiting):
        duty: Duty | None = rows.get(duties, (both[0].grid,))
        if duty is not None:
            rows.tell(NAME, f"worker/{duty.worker}")


def _handled(row: CaseRow, sign: int) -> dict[str, int]:
    on_time = sign if row.handled_on_time else 0
    return {"handled": sign, "on_time": on_time, "seconds": sign * row.handled_seconds}


def _tally(rows: Rows, table: Table, key: Key, **amounts: int) -> None:
    """Add to a day's counters; a tally whose counters all come back to 0 goes."""
    row = rows.edit(table, key, table.make, key)
    for counter, n in amounts.items():
        setattr(row, counter, getattr(row, counter) + n)
    if not any(table.values(row)[len(key) :]):
        rows.delete(table, key)


# The grids, the staff and the visits -----------------------------------------------------------


def _staffed(record: Record, rows: Rows) -> None:
    worker = record["worker"]
    rows.put(duties, Duty(record["code"], worker))
    if rows.get(worker_rows, (staff_key(worker),)) is None:
        rows.put(worker_rows, Worker(staff_key(worker), worker))
    rows.tell(NAME, f"worker/{worker}")


def _retired(record: Record, rows: Rows) -> None:
    duty: Duty | None = rows.get(duties, (record["code"],))
    if duty is not None:
        rows.put(duties, changed(duty, retired=True))
        rows.tell(NAME, f"worker/{duty.worker}")


def _enrolled(record: Record, rows: Rows) -> None:
    if record["role"] in FIELD_ROLES:
        code = record["code"]
        rows.put(worker_rows, Worker(record.id, code, record["name"], record["role"]))
        rows.tell(NAME, f"worker/{code}")


def _left(record: Record, rows: Rows) -> None:
    found: Worker | None = rows.get(worker_rows, (record.id,))
    if found is not None:
        rows.put(worker_rows, changed(found, active=False))
        rows.tell(NAME, f"worker/{found.id}")


def _visited(record: Record, rows: Rows) -> None:
    _met(record, rows)
    _tally(rows, worker_days, (record.by["id"], record.day), visits=1)


def _met(record: Record, rows: Rows) -> None:
    """A field worker seen acting: known by the name they acted under, if not enrolled."""
    by = record.by
    key = staff_key(by["id"])
    if rows.get(worker_rows, (key,)) is None:
        rows.put(worker_rows, Worker(key, by["id"], by["name"], by["role"]))
    if rows.notices:
        rows.tell(NAME, f"worker/{by['id']}")


OTHERS = {
    "GridStaffed": _staffed,
    "GridRetired": _retired,
    "StaffEnrolled": _enrolled,
    "StaffLeft": _left,
    "VisitRecorded": _visited,
}
events = CASE_EVENTS | frozenset(OTHERS)


@lru_cache(maxsize=1 << 12)
def staff_key(code: str) -> str:
    """The Staff aggregate's id of a staff code; cached, as a few thousand workers act."""
    return staff_id(code).hex
