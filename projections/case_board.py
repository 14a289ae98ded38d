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
from projections.view import Rows, Table, changed, row_type

name = "case_board"
version = 1

NOT_DUE = datetime(9999, 12, 31, tzinfo=UTC)
"""The `due` of a case with no deadline running, so it sorts after every real one."""
RECENT = timedelta(days=7)
"""How long an ended case stays on the board."""
SORTABLE = ("number", "reported_at", "due", "last_at")


@row_type
class CaseRow:
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
    suspended: bool = False
    extension_asked: bool = False
    rework_count: int = 0
    closed_at: datetime | None = None
    satisfaction: int | None = None
    shown_until: datetime = NOT_DUE  # open: always; ended: a week after it ended


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
    rows.update(cases, (record.id,), evolve, record)
    rows.tell(name, record.id)


def evolve(row: CaseRow | None, record: Record) -> CaseRow | None:
    if record.name == "CaseReported":
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
    if row is None:
        return None  # an event of a case this view never saw reported: nothing to fold
    return changed(row, last_at=record.at, last_event=record.name, **_step(row, record))


def _step(row: CaseRow, record: Record) -> dict[str, Any]:
    """The fields an event changes."""
    match record.name:
        case "CaseFiled":
            return dict(stage="filed", category=record["category"], urgent=record["urgent"])
        case "CaseRejected" | "CaseMerged":
            return dict(
                stage=record.name.removeprefix("Case").lower(),
                due=NOT_DUE,
                closed_at=record.at,
                shown_until=record.at + RECENT,
            )
        case "CaseDispatched":
            deadline = record.time("deadline")
            return dict(
                stage="dispatched",
                department=record["department"],
                deadline=deadline,
                due=deadline or NOT_DUE,
                overdue=False,
            )
        case "CaseAccepted":
            return dict(stage="accepted")
        case "CaseReturned":
            return dict(
                stage="returned",
                department=None,
                deadline=None,
                due=NOT_DUE,
                overdue=False,
                extension_asked=False,
            )
        case "CaseHandled":
            return dict(stage="handled", due=NOT_DUE)
        case "ExtensionRequested":
            return dict(extension_asked=True)
        case "ExtensionGranted" | "CaseResumed":
            deadline = record.time("deadline")
            return dict(
                deadline=deadline,
                due=deadline or NOT_DUE,
                overdue=False,
                extension_asked=False if record.name == "ExtensionGranted" else row.extension_asked,
                suspended=False,
            )
        case "ExtensionRefused":
            return dict(extension_asked=False)
        case "CaseSuspended":
            return dict(suspended=True)
        case "CaseVerified":
            return dict(stage="verified")
        case "ReworkOrdered":
            return dict(
                stage="rework", rework_count=row.rework_count + 1, due=row.deadline or NOT_DUE
            )
        case "CaseResolvedOnSpot":
            return dict(stage="resolved_on_spot")
        case "CaseClosed":
            return dict(
                stage="closed",
                closed_at=record.at,
                due=NOT_DUE,
                shown_until=record.at + RECENT,
            )
        case "CaseEscalated":
            return dict(level=record["to"])
        case "CaseOverdue":
            return dict(overdue=True)
        case "CaseEvaluated":
            return dict(satisfaction=record["satisfaction"])
        case _:
            return {}  # CaseConfirmed: noted as the last event only


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
