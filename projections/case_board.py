"""The case board: every case with where it stands, for the operators' list — filter by
stage, category, area, department, channel and overdue; sort; page with a cursor."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from projections.records import Record
from projections.store import Page, ViewStore, Where
from projections.view import Rows, Table

name = "case_board"
version = 3  # 3: `suspended` derived from `suspended_at`, no longer a column

NOT_DUE = datetime(9999, 12, 31, tzinfo=UTC)
"""The `due` of a case with no deadline running, so it sorts after every real one."""
RECENT = timedelta(days=7)
"""How long an ended case stays on the board."""
SORTABLE = ("number", "reported_at", "due", "last_at")


@dataclass
class CaseRow:
    """A case as the board lists it. Not frozen: events change the batch's working copy in
    place (`Rows.edit`), so a rebuild copies a case row once, not once for every step."""

    id: str
    number: int
    stage: str
    channel: str
    category: str
    grid: str
    community: str
    street: str
    description: str
    reported_by: str
    reported_at: datetime
    last_at: datetime
    last_event: str
    due: datetime
    level: int = 1
    urgent: bool = False
    department: str | None = None
    deadline: datetime | None = None
    overdue: bool = False
    suspended_at: datetime | None = None  # while suspended: when its clock stopped
    extension_asked: bool = False
    rework_count: int = 0
    closed_at: datetime | None = None
    satisfaction: int | None = None
    shown_until: datetime = NOT_DUE  # open: always; ended: a week after it ended

    @property
    def suspended(self) -> bool:
        return self.suspended_at is not None


cases = Table("case_board", CaseRow, key=("id",))
tables = (cases,)
events = frozenset(
    {
        "CaseReported",
        "CaseConfirmed",
        "CaseFiled",
        "CaseRejected",
        "CaseMerged",
        "CaseDispatched",
        "CaseAccepted",
        "CaseReturned",
        "CaseHandled",
        "ExtensionRequested",
        "ExtensionGranted",
        "ExtensionRefused",
        "CaseSuspended",
        "CaseResumed",
        "CaseVerified",
        "ReworkOrdered",
        "CaseClosed",
        "CaseResolvedOnSpot",
        "CaseEscalated",
        "CaseOverdue",
        "CaseEvaluated",
    }
)


def apply(record: Record, rows: Rows) -> None:
    if record.name == "CaseReported":
        rows.put(cases, _reported(record))
    else:
        row: CaseRow | None = rows.edit(cases, (record.id,))
        if row is not None:  # else a case this view never saw reported: nothing to fold
            row.last_at, row.last_event = record.at, record.name
            _step(row, record)
    rows.tell(name, record.id)


def _reported(record: Record) -> CaseRow:
    grid = record["grid"]
    return CaseRow(
        id=record.id,
        number=record["number"],
        stage="reported",
        channel=record["channel"],
        category=record["category"],
        grid=grid,
        community=grid[:12],
        street=grid[:9],
        description=record["description"],
        reported_by=record.by["name"],
        reported_at=record.at,
        last_at=record.at,
        last_event=record.name,
        due=NOT_DUE,
    )


def _step(row: CaseRow, record: Record) -> None:
    """Change the fields an event changes."""
    match record.name:
        case "CaseFiled":
            row.stage, row.category, row.urgent = "filed", record["category"], record["urgent"]
        case "CaseRejected" | "CaseMerged":
            row.stage = record.name.removeprefix("Case").lower()
            row.due, row.closed_at, row.shown_until = NOT_DUE, record.at, record.at + RECENT
        case "CaseDispatched":
            deadline = record.time("deadline")
            row.stage, row.department, row.deadline = "dispatched", record["department"], deadline
            row.due, row.overdue = deadline or NOT_DUE, False
        case "CaseAccepted":
            row.stage = "accepted"
        case "CaseReturned":
            row.stage, row.department, row.deadline, row.due = "returned", None, None, NOT_DUE
            row.overdue = row.extension_asked = False
        case "CaseHandled":
            row.stage, row.due = "handled", NOT_DUE
        case "ExtensionRequested":
            row.extension_asked = True
        case "ExtensionGranted" | "CaseResumed":
            deadline = record.time("deadline")
            row.deadline, row.due, row.overdue = deadline, deadline or NOT_DUE, False
            row.suspended_at = None
            if record.name == "ExtensionGranted":
                row.extension_asked = False
        case "ExtensionRefused":
            row.extension_asked = False
        case "CaseSuspended":
            row.suspended_at = record.at
        case "CaseVerified":
            row.stage = "verified"
        case "ReworkOrdered":
            row.stage, row.rework_count, row.due = (
                "rework",
                row.rework_count + 1,
                row.deadline or NOT_DUE,
            )
        case "CaseResolvedOnSpot":
            row.stage = "resolved_on_spot"
        case "CaseClosed":
            row.stage, row.closed_at, row.due = "closed", record.at, NOT_DUE
            row.shown_until = record.at + RECENT
        case "CaseEscalated":
            row.level = record["to"]
        case "CaseOverdue":
            row.overdue = True
        case "CaseEvaluated":
            row.satisfaction = record["satisfaction"]
        case _:
            pass  # CaseConfirmed: noted as the last event only


# Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """Which cases to list; empty fields do not filter. Without stages the board shows
    the open cases and those ended in the last week (`shown_until`)."""

    stages: tuple[str, ...] = ()
    category: str | None = None
    area: str | None = None  # a grid, community or street code
    department: str | None = None
    channel: str | None = None
    overdue: bool | None = None


def board(
    store: ViewStore,
    now: datetime,
    where: Filter = Filter(),
    sort: str = "reported_at",
    descending: bool = True,
    after: str | None = None,
    limit: int = 50,
) -> tuple[list[CaseRow], str | None]:
    """A page of the board and the cursor of the next page (None at the end)."""
    if sort not in SORTABLE:
        raise ValueError(f"cannot sort the case board by {sort!r}; by one of {SORTABLE}")
    conditions = (
        [Where("stage", "in", where.stages)] if where.stages else [Where("shown_until", ">=", now)]
    )
    for column, value in (
        ("category", where.category),
        ("department", where.department),
        ("channel", where.channel),
        ("overdue", where.overdue),
    ):
        if value is not None:
            conditions.append(Where(column, "=", value))
    if where.area:
        conditions.append(Where("grid", "prefix", where.area))
    page = Page(tuple(conditions), sort, descending, _decode(after), limit + 1)
    found = store.select(cases, page)
    rows = found[:limit]
    more = len(found) > limit and rows
    return rows, _encode((getattr(rows[-1], sort), rows[-1].id)) if more else None


def _encode(position: tuple[Any, ...]) -> str:
    values = [v.isoformat() if isinstance(v, datetime) else v for v in position]
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode()


def _decode(cursor: str | None) -> tuple[Any, ...] | None:
    if cursor is None:
        return None
    try:
        sort_value, key = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError, orjson.JSONDecodeError):
        raise ValueError(f"not a case board cursor: {cursor!r}") from None
    if isinstance(sort_value, str):
        sort_value = datetime.fromisoformat(sort_value)
    return (sort_value, key)
