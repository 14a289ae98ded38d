"""Case markers (案件点位): where each open case was reported, for the wall map's markers —
its number, point, grid, category and channel, and what colours its marker.

Rules:
- A case has a marker from its report until it ends: closed, rejected, merged into another
  case or resolved on the spot; then its row goes.
- `stage` is the stage of the loop it is in, by the last event that moved it (reported,
  confirmed, filed, dispatched, accepted, returned, handled, verified, rework).
- `urgent` is set when it is filed urgent; `overdue` when its deadline passes (CaseOverdue)
  and cleared when the deadline moves (an extension granted, the clock resumed) or a new
  dispatch sets one.
- Notices name the case id (32 hex digits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from projections.records import Record
from projections.store import Page, ViewStore, Where
from projections.view import Rows, Table

name = "case_markers"
version = 1

ENDS = frozenset({"CaseClosed", "CaseRejected", "CaseMerged", "CaseResolvedOnSpot"})
STAGES = {
    "CaseConfirmed": "confirmed",
    "CaseFiled": "filed",
    "CaseDispatched": "dispatched",
    "CaseAccepted": "accepted",
    "CaseReturned": "returned",
    "CaseHandled": "handled",
    "CaseVerified": "verified",
    "ReworkOrdered": "rework",
}
"""The stage each event brings a case to."""
DEADLINE_MOVES = frozenset({"CaseDispatched", "ExtensionGranted", "CaseResumed"})


@dataclass
class Marker:
    """Not frozen: events change the batch's working copy in place (`Rows.edit`)."""

    id: str
    number: int
    lon: float
    lat: float
    grid: str
    category: str
    channel: str
    stage: str
    reported_at: datetime
    urgent: bool = False
    overdue: bool = False


markers = Table("case_markers", Marker, key=("id",))
tables = (markers,)
events = frozenset({"CaseReported", "CaseOverdue", *ENDS, *STAGES, *DEADLINE_MOVES})


def apply(record: Record, rows: Rows) -> None:
    if record.name == "CaseReported":
        lon, lat = record.point("location")
        marker = Marker(
            id=record.id,
            number=record["number"],
            lon=lon,
            lat=lat,
            grid=record["grid"],
            category=record["category"],
            channel=record["channel"],
            stage="reported",
            reported_at=record.at,
        )
        rows.put(markers, marker)
        rows.tell(name, record.id)
        return
    key = (record.id,)
    if record.name in ENDS:
        if rows.get(markers, key) is None:
            return  # an ended case, or one this view never saw reported
        rows.delete(markers, key)
    else:
        found: Marker | None = rows.edit(markers, key)
        if found is None:
            return
        evolve(found, record)
    rows.tell(name, record.id)


def evolve(marker: Marker, record: Record) -> None:
    """Change the marker's working copy by a step of its case."""
    step = record.name
    if step in STAGES:
        marker.stage = STAGES[step]
    if step == "CaseFiled":
        marker.urgent = bool(record["urgent"])
    if step == "CaseOverdue":
        marker.overdue = True
    elif step in DEADLINE_MOVES or step == "CaseReturned":
        marker.overdue = False


# Reading ------------------------------------------------------------------------------------


def open_markers(store: ViewStore, area: str = "") -> list[Marker]:
    """The markers of the open cases located under an area code, by case number."""
    where = (Where("grid", "prefix", area),) if area else ()
    return sorted(store.select(markers, Page(where)), key=lambda m: m.number)


def of_cases(store: ViewStore, ids: list[str]) -> list[Marker]:
    """The markers of the cases with these ids (those still open)."""
    found = [store.fetch(markers, (id,)) for id in ids]
    return [marker for marker in found if marker is not None]
