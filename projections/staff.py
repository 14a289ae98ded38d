"""The staff roster (人员名册): every staff member enrolled, with their role and scope, whether
they still work here, and the grids where they are the grid worker on duty.

Rules:
- A member is keyed by their Staff aggregate's id, which every staff event carries;
  GridStaffed names the worker by staff code, whose aggregate id follows from it.
- A grid has one worker on duty: staffing it with another takes it from the last one;
  a retired grid (split or merged away) is nobody's any more.
"""

from __future__ import annotations

from datetime import datetime

from domain.staff import staff_id
from projections.records import Record
from projections.store import Page, ViewStore, Where
from projections.view import Rows, Table, changed, row_type

name = "staff"
version = 1


@row_type
class Member:
    staff: str  # the Staff aggregate's id
    code: str
    name: str
    role: str
    area: tuple[str, ...]  # area-code prefixes
    department: str | None
    enrolled_at: datetime
    active: bool = True
    grids: tuple[str, ...] = ()  # on duty in, by code


@row_type
class Duty:
    grid: str
    worker: str  # staff code


members = Table("staff_members", Member, key=("staff",))
duties = Table("staff_duties", Duty, key=("grid",))
tables = (members, duties)
events = frozenset({"StaffEnrolled", "StaffReassigned", "StaffLeft", "GridStaffed", "GridRetired"})


def apply(record: Record, rows: Rows) -> None:
    match record.name:
        case "StaffEnrolled":
            member = Member(
                staff=record.id,
                code=record["code"],
                name=record["name"],
                role=record["role"],
                area=tuple(record["area"]),
                department=record["department"],
                enrolled_at=record.at,
            )
            _put(rows, member)
        case "StaffReassigned":
            found = _member(rows, record.id)
            if found is not None:
                area, department = tuple(record["area"]), record["department"]
                _put(rows, changed(found, area=area, department=department))
        case "StaffLeft":
            found = _member(rows, record.id)
            if found is not None:
                _put(rows, changed(found, active=False))
        case "GridStaffed":
            grid, worker = record["code"], record["worker"]
            _off_duty(rows, grid)
            rows.put(duties, Duty(grid, worker))
            found = _member(rows, staff_id(worker).hex)
            if found is not None:
                _put(rows, changed(found, grids=tuple(sorted({*found.grids, grid}))))
        case "GridRetired":
            _off_duty(rows, record["code"])


def _off_duty(rows: Rows, grid: str) -> None:
    duty: Duty | None = rows.get(duties, (grid,))
    if duty is None:
        return
    rows.delete(duties, (grid,))
    found = _member(rows, staff_id(duty.worker).hex)
    if found is not None:
        _put(rows, changed(found, grids=tuple(g for g in found.grids if g != grid)))


def _member(rows: Rows, staff: str) -> Member | None:
    found: Member | None = rows.get(members, (staff,))
    return found


def _put(rows: Rows, member: Member) -> None:
    rows.put(members, member)
    rows.tell(name, member.code)


# Reading ------------------------------------------------------------------------------------


def roster(
    store: ViewStore, role: str | None = None, department: str | None = None
) -> list[Member]:
    """Every member (of a role, of a department), by staff code."""
    where = [Where("role", "=", role)] if role else []
    if department:
        where.append(Where("department", "=", department))
    return sorted(store.select(members, Page(tuple(where))), key=lambda m: m.code)
