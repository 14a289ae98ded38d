"""Workload (工作量): what each department and each grid worker has on their plate now, and
what they did over the last days — for the command center's panels.

Rules (the figures that depend on the time are read at `now`):
- A department's queue: the open cases dispatched to it that it owes an answer on —
  dispatched, accepted, or sent back for rework. A case it returns (退回) leaves its queue
  at once; a handled case leaves it until a failed verification sends it back.
- Overdue: a case of the queue whose deadline in force has passed at `now`, its clock
  running (not suspended, 挂账). Handling by the deadline is on time.
- What was done counts over the last `days` (30) local days (China Standard Time), today
  included: a department's handled cases, those handled on time, its returns and the
  rework orders against it; a worker's reports and visits recorded.
- A case handled again after rework counts once, on the day of its last handling, as that
  handling was on time or not (as in the assessment, DESIGN.md).
- On-time rate = handled on time / handled, between 0 and 1; mean handling time = the
  mean of `hours_used` (from dispatch to handling, in the limit's measure: work hours, or
  clock hours for limits in clock hours). Both are None when nothing was handled.
- Grid workers (网格员) and supervisors (监督员) count: reports by the reporter (`by.id` of
  CaseReported), visits by who recorded them.
- A worker's grids are those they are on duty in (GridStaffed). The on-site checks waiting
  for them are those of cases located in their grids: 核实 of a public report (hotline, app,
  Open311, video) until it is confirmed, rejected, merged or resolved on the spot; 核查 of a
  handled case until it is verified or sent back for rework. Each shows how long it has
  waited and whether it is past its field-hour limit (domain/assessment.py). A retired
  grid's checks stay with its last worker on duty.
- Workers listed: grid workers and supervisors enrolled or seen acting, unless they have
  left and hold no current grid.
- Notices name `department/<code>` and `worker/<staff id>`.
"""

from projections.workload.fold import (
    NAME,
    apply,
    department_days,
    duties,
    events,
    open_cases,
    worker_days,
    worker_rows,
)
from projections.workload.read import (
    DepartmentLoad,
    PendingCheck,
    WorkerLoad,
    department,
    departments,
    worker,
    workers,
)

name = NAME
version = 2
tables = (open_cases, department_days, worker_days, duties, worker_rows)

__all__ = [
    "DepartmentLoad",
    "PendingCheck",
    "WorkerLoad",
    "apply",
    "department",
    "departments",
    "events",
    "name",
    "tables",
    "version",
    "worker",
    "workers",
]
