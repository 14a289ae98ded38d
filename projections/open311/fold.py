"""The fold of the Open311 view: one row a case (the service request as it stands) and
one row a public step of it (an update), with the status pair after each step."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from projections.records import Record
from projections.view import Rows, Table, changed, row_type

NAME = "open311"
OPEN, CLOSED = "open", "closed"
STATUSES = (
    "open",
    "investigating",
    "in_progress",
    "fixed",
    "duplicate",
    "no_further_action",
    "not_councils_responsibility",
)
"""The extended statuses, in the order of the loop."""
FIELD_ROLES = frozenset({"grid_worker", "supervisor"})
"""Who rejects a report by not finding it on site (核实未发现)."""


@dataclass
class RequestRow:
    """A service request as it stands. Not frozen: steps change the batch's working copy
    in place (`Rows.edit`), so a rebuild copies a request once, not once for every step."""

    id: str  # the case's id, 32 hex digits
    number: int  # service_request_id
    category: str  # service_code
    channel: str
    grid: str
    lon: float
    lat: float
    address: str | None
    description: str  # scrubbed of contact data
    media_url: str | None  # the report's first photo
    reported_at: datetime  # requested_datetime
    updated_at: datetime  # the last update's instant
    status: str  # open, closed
    detail: str  # an extended status
    department: str | None = None  # agency_responsible, while dispatched
    deadline: datetime | None = None  # expected_datetime, while a deadline runs
    note: str = ""  # status_notes: what the last step that had something to say said
    unfiled: tuple[int, ...] = ()  # positions of the updates before filing (see CaseFiled)


@row_type
class UpdateRow:
    case_id: str
    position: int  # update_id
    number: int
    category: str  # the case's category (a filing under another one rewrites it)
    at: datetime
    kind: str  # the step in the practice's words: reported, filed, dispatched, …
    status: str
    detail: str
    note: str = ""  # what the step says publicly, scrubbed
    department: str | None = None  # dispatched to, accepted or returned by
    deadline: datetime | None = None  # due by, when the step set it
    other: int | None = None  # the case merged into, or the duplicate merged in
    level: int | None = None  # escalated to
    media_url: str | None = None


request_rows = Table("open311_requests", RequestRow, key=("id",))
update_rows = Table("open311_updates", UpdateRow, key=("case_id", "position"))

KINDS = {
    "CaseReported": "reported",
    "CaseConfirmed": "confirmed",
    "CaseFiled": "filed",
    "CaseRejected": "rejected",
    "CaseMerged": "merged",
    "DuplicateMerged": "duplicate_merged",
    "CaseDispatched": "dispatched",
    "CaseAccepted": "accepted",
    "CaseReturned": "returned",
    "CaseHandled": "handled",
    "ExtensionGranted": "extended",
    "CaseSuspended": "suspended",
    "CaseResumed": "resumed",
    "ReworkOrdered": "rework",
    "CaseVerified": "verified",
    "CaseResolvedOnSpot": "resolved_on_spot",
    "CaseClosed": "closed",
    "CaseEscalated": "escalated",
}
events = frozenset(KINDS)
_STATUS_AFTER = {
    "CaseConfirmed": (OPEN, "investigating"),
    "CaseFiled": (OPEN, "investigating"),
    "CaseReturned": (OPEN, "investigating"),
    "CaseDispatched": (OPEN, "in_progress"),
    "CaseAccepted": (OPEN, "in_progress"),
    "CaseHandled": (OPEN, "in_progress"),
    "ReworkOrdered": (OPEN, "in_progress"),
    "CaseVerified": (OPEN, "fixed"),
    "CaseResolvedOnSpot": (OPEN, "fixed"),
    "CaseClosed": (CLOSED, "fixed"),
    "CaseMerged": (CLOSED, "duplicate"),
}
"""The status pair after a step; CaseRejected depends on who rejected; others keep it."""
_NOTES = {
    "CaseConfirmed": "note",
    "CaseRejected": "reason",
    "CaseHandled": "note",
    "ReworkOrdered": "reason",
    "CaseVerified": "note",
    "CaseResolvedOnSpot": "note",
    "CaseClosed": "note",
}
"""The field holding what a step says to the public. Filing notes, returns, suspensions,
escalations and extension requests speak among staff: their reasons are not shown."""


def apply(record: Record, rows: Rows) -> None:
    step = record.name
    if step == "CaseReported":
        if record["channel"] != "visit":  # about a household: never public
            _reported(record, rows)
        return
    row: RequestRow | None = rows.edit(request_rows, (record.id,))
    if row is None:
        return
    status, detail = _status_after(record, row)
    said = record.get(_NOTES[step]) if step in _NOTES else None
    note = scrubbed(said) if said else ""
    filed = step == "CaseFiled"
    category = record["category"] if filed else row.category
    at = record.at
    photos = record.get("photos")
    department, deadline, other, level = _facts(record, row)
    update = UpdateRow(
        row.id,
        record.position,
        row.number,
        category,
        at,
        KINDS[step],
        status,
        detail,
        note,
        department,
        deadline,
        other,
        level,
        str(photos[0]) if photos else None,
    )
    rows.put(update_rows, update)
    _change_request(record, row)
    if filed:
        _refile(rows, row, category)
        row.category, row.unfiled = category, ()
    elif row.unfiled:  # not filed yet
        row.unfiled = (*row.unfiled, record.position)
    if note:
        row.note = note
    row.status, row.detail, row.updated_at = status, detail, at
    if rows.notices:
        rows.tell(NAME, row.id)


def _reported(record: Record, rows: Rows) -> None:
    lon, lat = record.point("location")
    personal = (record.get("reporter_name"), record.get("reporter_phone"))
    row = RequestRow(
        id=record.id,
        number=record["number"],
        category=record["category"],
        channel=record["channel"],
        grid=record["grid"],
        lon=lon,
        lat=lat,
        address=scrubbed(record.get("address") or "", personal) or None,
        description=scrubbed(record["description"], personal),
        media_url=_first(record.get("photos")),
        reported_at=record.at,
        updated_at=record.at,
        status=OPEN,
        detail="open",
        unfiled=(record.position,),
    )
    rows.put(request_rows, row)
    rows.put(
        update_rows,
        UpdateRow(
            case_id=row.id,
            position=record.position,
            number=row.number,
            category=row.category,
            at=row.reported_at,
            kind="reported",
            status=OPEN,
            detail="open",
            media_url=row.media_url,
        ),
    )
    rows.tell(NAME, row.id)


def _status_after(record: Record, row: RequestRow) -> tuple[str, str]:
    if record.name == "CaseRejected":
        checked = record.by["role"] in FIELD_ROLES
        return CLOSED, "no_further_action" if checked else "not_councils_responsibility"
    return _STATUS_AFTER.get(record.name, (row.status, row.detail))


Facts = tuple[str | None, datetime | None, int | None, int | None]
_NO_FACTS: Facts = (None, None, None, None)


def _facts(record: Record, row: RequestRow) -> Facts:
    """The update's department, deadline, other case and level: positional, since a
    rebuild makes some 55,000 updates and keyword arguments cost a dict each."""
    match record.name:
        case "CaseDispatched":
            return record["department"], record.time("deadline"), None, None
        case "CaseAccepted" | "CaseReturned" | "CaseHandled":
            return row.department, None, None, None
        case "ExtensionGranted" | "CaseResumed":
            return None, record.time("deadline"), None, None
        case "CaseMerged":
            return None, None, record["into"], None
        case "DuplicateMerged":
            return None, None, record["duplicate"], None
        case "CaseEscalated":
            return None, None, None, record["to"]
        case _:
            return _NO_FACTS


def _change_request(record: Record, row: RequestRow) -> None:
    match record.name:
        case "CaseDispatched":
            row.department, row.deadline = record["department"], record.time("deadline")
        case "CaseReturned":
            row.department, row.deadline = None, None
        case "ExtensionGranted" | "CaseResumed":
            row.deadline = record.time("deadline")
        case "CaseSuspended":
            row.deadline = None  # the clock is paused: no date to expect


def _refile(rows: Rows, row: RequestRow, category: str) -> None:
    """Filed under another category: the updates before filing move with the case, so a
    case filed into a class the public may not see takes its whole history along."""
    if category == row.category:
        return
    for position in row.unfiled:
        found: UpdateRow | None = rows.get(update_rows, (row.id, position))
        if found is not None:
            rows.put(update_rows, changed(found, category=category))


def _first(photos: Any) -> str | None:
    return str(photos[0]) if photos else None


# Contact data ---------------------------------------------------------------------------

BLANK = "•••"
_CONTACTS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])"  # identity card (18 characters)
    r"|(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)"  # mobile phone
    r"|(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)"  # fixed line with its area code
    r"|(?<!\d)[48]00[- ]?\d{3}[- ]?\d{4}(?!\d)"  # 400 / 800 service numbers
)
_DIGIT = re.compile(r"\d")
"""Every contact shape but an e-mail address has digits, and that one has an @."""


def scrubbed(text: str, personal: tuple[str | None, ...] = ()) -> str:
    """`text` with the given personal values and anything shaped like contact data
    blanked (•••). A name other than the reporter's cannot be told from other words:
    staff write notes knowing they are public."""
    for value in personal:
        if value and len(value.strip()) >= 2:
            text = text.replace(value.strip(), BLANK)
    if "@" not in text and not _DIGIT.search(text):
        return text  # nothing shaped like contact data: spare the slower pattern
    return _CONTACTS.sub(BLANK, text)
