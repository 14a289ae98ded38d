"""The fold of the grid status: one row a grid, with counts of its open cases kept as the
cases move and the deadlines their clocks run to, so that what is overdue or due soon is
read at any instant from the grid's row alone, without touching the fold; and one row an
open case, which moves its grid's counts."""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from projections.records import Record
from projections.view import Rows, Table

NAME = "grid_status"
CLOCK_RUNS = frozenset({"dispatched", "accepted", "rework"})
"""The stages in which the department owes an answer and the deadline clock runs."""
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class GridRow:
    """A grid and the counts of its open cases. Not frozen: events change the grid's
    working copy in place (`Rows.edit`), so a rebuild copies a grid once, not once for
    every case moving and every visit in it."""

    code: str
    name_zh: str = ""
    name_en: str = ""
    households: int = 0
    population: int = 0
    worker: str | None = None  # staff id of the grid worker on duty
    team: tuple[str, ...] = ()
    staffed_at: datetime | None = None
    retired_at: datetime | None = None
    last_report: datetime | None = None
    last_visit: datetime | None = None
    stages: dict[str, int] = field(default_factory=dict)  # open cases by stage, no zeros
    urgent: int = 0  # open urgent cases
    dues: tuple[int, ...] = ()
    """The running deadlines of its open cases, earliest first, in microseconds since the
    epoch (a JSON column keeps whole numbers exactly): the grid's row alone says what is
    overdue or due soon at any instant, so a changed grid's row is all a screen needs."""


@dataclass
class CaseRow:
    """An open case: what moves its grid's counts and deadlines. Not frozen, like the grid:
    steps change the batch's working copy in place (`Rows.edit`)."""

    id: str
    grid: str
    stage: str
    urgent: bool = False
    suspended: bool = False
    deadline: datetime | None = None  # the deadline in force, while dispatched

    @property
    def due(self) -> datetime | None:
        """The deadline while the clock runs: it follows the stage and the pause."""
        return self.deadline if self.stage in CLOCK_RUNS and not self.suspended else None


grid_rows = Table("grid_status_grids", GridRow, key=("code",))
open_cases = Table("grid_status_cases", CaseRow, key=("id",))
GRID_EVENTS = frozenset({"GridDrawn", "GridRetired", "GridStaffed", "VisitRecorded"})
events = GRID_EVENTS | frozenset(
    {
        "CaseReported",
        "CaseFiled",
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


def apply(record: Record, rows: Rows) -> None:
    if record.name in GRID_EVENTS:
        code = record["grid"] if record.name == "VisitRecorded" else record["code"]
        evolve_grid(_grid(rows, code), record)
        rows.tell(NAME, code)
        return
    if record.name == "CaseReported":
        case = CaseRow(record.id, record["grid"], "reported")
        rows.put(open_cases, case)
        before, after = None, _counted(case)
    else:
        found: CaseRow | None = rows.edit(open_cases, (record.id,))
        if found is None:
            return  # an event of a case this view never saw reported, or of an ended one
        case, before = found, _counted(found)
        ended = evolve(case, record) is None
        if ended:
            rows.delete(open_cases, (record.id,))
        after = None if ended else _counted(case)
    if before != after:
        grid = _grid(rows, case.grid)
        _recount(grid, before, after)
        if before is None:
            grid.last_report = latest(grid.last_report, record.at)
    rows.tell(NAME, case.grid)


def _grid(rows: Rows, code: str) -> GridRow:
    """The grid's working copy, to change in place; a grid not seen yet starts empty."""
    grid: GridRow = rows.edit(grid_rows, (code,), GridRow, code)
    return grid


def evolve_grid(grid: GridRow, record: Record) -> None:
    """Change a grid's working copy by a grid event or a visit."""
    match record.name:
        case "GridDrawn":
            grid.name_zh, grid.name_en = record["name_zh"], record["name_en"]
            grid.households, grid.population = record["households"], record["population"]
        case "GridRetired":
            grid.retired_at = record.at
        case "GridStaffed":
            worker = record["worker"]
            if worker != grid.worker:
                grid.staffed_at = record.at
            grid.worker, grid.team = worker, tuple(record["team"])
        case _:  # VisitRecorded
            grid.last_visit = latest(grid.last_visit, record.at)


def evolve(row: CaseRow | None, record: Record) -> CaseRow | None:
    """The open case after the event, changed in place (a working copy, see `Rows.edit`);
    None once it has ended."""
    if record.name == "CaseReported":
        return CaseRow(record.id, record["grid"], "reported")
    if row is None:
        return None
    match record.name:
        case "CaseRejected" | "CaseMerged" | "CaseClosed":
            return None
        case "CaseFiled":
            row.stage, row.urgent = "filed", record["urgent"]
        case "CaseDispatched":
            row.stage, row.deadline = "dispatched", record.time("deadline")
        case "CaseReturned":
            row.stage, row.deadline = "returned", None
        case "ExtensionGranted":
            row.deadline = record.time("deadline")
        case "CaseSuspended":
            row.suspended = True
        case "CaseResumed":
            row.suspended, row.deadline = False, record.time("deadline")
        case _:  # accepted, handled, verified, rework, resolved on the spot
            row.stage = STAGE_OF[record.name]
    return row


STAGE_OF = {
    "CaseAccepted": "accepted",
    "CaseHandled": "handled",
    "CaseVerified": "verified",
    "ReworkOrdered": "rework",
    "CaseResolvedOnSpot": "resolved_on_spot",
}


Counted = tuple[str, bool, datetime | None]
"""What a case adds to its grid: its stage, whether urgent, its running deadline."""


def _counted(row: CaseRow | None) -> Counted | None:
    return None if row is None else (row.stage, row.urgent, row.due)


def _recount(grid: GridRow, before: Counted | None, after: Counted | None) -> None:
    """Move a case's count in its grid's working copy: out of where it counted, into where
    it counts now."""
    stages = grid.stages
    if before is not None:
        stage, urgent, _ = before
        left = stages.get(stage, 0) - 1
        if left:
            stages[stage] = left
        else:
            del stages[stage]
        grid.urgent -= urgent
    if after is not None:
        stage, urgent, _ = after
        stages[stage] = stages.get(stage, 0) + 1
        grid.urgent += urgent
    was, now = (None if c is None else c[2] for c in (before, after))
    if was != now:  # most steps keep the deadline: the tuple is rebuilt only when it moves
        dues = list(grid.dues)
        if was is not None:
            dues.remove(micros(was))
        if now is not None:
            insort(dues, micros(now))
        grid.dues = tuple(dues)


def micros(at: datetime) -> int:
    """An instant as whole microseconds since the epoch (exact, unlike a float)."""
    return (at - EPOCH) // timedelta(microseconds=1)


def latest(known: datetime | None, at: datetime) -> datetime:
    return at if known is None or at > known else known
