"""The case board as CSV, for a caller with a token: what the caseBoard query gives
them, with its filters."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from api.auth import AREA_READERS, read_area, read_department
from api.exports.access import ExportRefused, caller, export, run
from api.exports.files import table
from domain.staff import Actor, Role
from infra.bootstrap import Services
from projections import case_board

PAGE = 200


BOARD_COLUMNS = (
    "number",
    "stage",
    "channel",
    "category",
    "grid",
    "community",
    "street",
    "description",
    "reported_by",
    "reported_at",
    "last_at",
    "last_event",
    "level",
    "urgent",
    "department",
    "deadline",
    "overdue",
    "suspended",
    "extension_asked",
    "rework_count",
    "closed_at",
    "satisfaction",
)


@export
async def case_board_csv(request: Request, services: Services) -> Response:
    viewer = await caller(request, services)
    where = _board_filter(viewer, request.query_params)

    def read() -> list[case_board.CaseRow]:
        rows: list[case_board.CaseRow] = []
        now, cursor = datetime.now(UTC), None
        while True:
            found, cursor = case_board.board(
                services.views, now, where, "number", False, cursor, PAGE
            )
            rows += found
            if cursor is None:
                return rows

    rows = await run(read)
    return table(BOARD_COLUMNS, ([getattr(row, c) for c in BOARD_COLUMNS] for row in rows))


def _board_filter(viewer: Actor, given: Any) -> case_board.Filter:
    """The board's filter as the caseBoard query builds it for this caller."""
    area, department = given.get("area") or None, given.get("department") or None
    if area is not None and not area.isdigit():
        raise ExportRefused(400, f"an area code is digits, not {area!r}")
    if viewer.role is Role.DEPARTMENT:
        department = department or viewer.department
        read_department(viewer, department)
    else:
        if area is None and viewer.role in AREA_READERS and len(viewer.area) == 1:
            area = viewer.area[0]
        read_area(viewer, area or "")
    overdue = given.get("overdue") or None
    if overdue not in (None, "true", "false"):
        raise ExportRefused(400, "overdue is true or false")
    stages = tuple(s for s in (given.get("stages") or "").split(",") if s)
    return case_board.Filter(
        stages=stages,
        category=given.get("category") or None,
        area=area,
        department=department,
        channel=given.get("channel") or None,
        overdue=None if overdue is None else overdue == "true",
    )
