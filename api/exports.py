"""Open-data and analysts' exports at /export/…, read from the views.

Open data, no token (what Open311 shows anyone):
- /export/grids.geojson — every grid's boundary with its status now: level and reasons,
  open cases by stage, urgent, overdue, due soon, last report and visit, households and
  population. Not who is on duty: staff are not open data.
- /export/cases.geojson — the open cases of public categories as points, with the public
  fields of Open311 (never one raised on a household visit; no contact data).

Not public, a bearer token (`Authorization: Bearer …`) with the rights GraphQL gives it:
- /export/case_board.csv — the case board as the caller may read it (the district's
  readers everything, grid workers and supervisors their area, department staff their
  department's cases); filters `stages`, `category`, `area`, `department`, `channel`,
  `overdue` as the caseBoard query's; open cases and those ended in the last week unless
  stages are named.
- /export/assessment.csv — figures in long form (one row a subject and figure, with its
  formula and version) for `subject` department, grid or worker, `period` day, week or
  month, the `day` it holds; `code` names the subjects (comma-separated): by default
  every department, the caller's area, or the caller (a grid worker).

CSV is UTF-8 with a header row; times in ISO 8601 with the district's offset; text that a
spreadsheet would take for a formula (starting with = + - @) is written after a '."""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from functools import partial, wraps
from typing import Any, TypeVar

import orjson
from anyio import to_thread
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from api.auth import AREA_READERS, DISTRICT_READERS, bearer, read_area, read_department
from api.errors import Refused
from domain import assessment as formulas
from domain.errors import DomainError
from domain.staff import Actor, Role
from infra.bootstrap import Services
from projections import assessment, case_board, grid_map, grid_status, open311
from projections.open311 import Query
from projections.periods import CST

T = TypeVar("T")
GEOJSON = "application/geo+json"
CSV = "text/csv; charset=utf-8; header=present"
PAGE = 200
SUBJECTS = ("department", "grid", "worker")
PERIODS = ("day", "week", "month")


class ExportRefused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


Export = Callable[[Request, Services], Awaitable[Response]]


def export(handler: Export) -> Callable[[Request], Awaitable[Response]]:
    @wraps(handler)
    async def serve(request: Request) -> Response:
        try:
            return await handler(request, request.app.state.services)
        except ExportRefused as error:
            return PlainTextResponse(str(error), error.status)
        except (Refused, GraphQLError) as error:
            return PlainTextResponse(error.message, 403)

    return serve


async def run(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The synchronous views, on a worker thread."""
    return await to_thread.run_sync(partial(function, *args, **kwargs))


async def caller(request: Request, services: Services) -> Actor:
    try:
        found = await run(bearer, services, request.headers)
    except DomainError:
        raise ExportRefused(401, "not a valid token") from None
    except GraphQLError as error:
        raise ExportRefused(401, error.message) from None
    if found is None:
        raise ExportRefused(401, "this export is not public: send 'Authorization: Bearer <token>'")
    return found


# Open data ----------------------------------------------------------------------------------


@export
async def grids_geojson(request: Request, services: Services) -> Response:
    def read() -> list[dict[str, Any]]:
        views = services.views
        shapes = {s.code: s for s in grid_map.shapes(views, retired=True)}
        statuses = grid_status.grids(views, datetime.now(UTC))
        return [_grid(status, shapes[status.code]) for status in statuses if status.code in shapes]

    return _geojson(await run(read))


def _grid(status: grid_status.GridStatus, shape: grid_map.GridShape) -> dict[str, Any]:
    properties = {
        "code": status.code,
        "name_zh": status.name_zh,
        "name_en": status.name_en,
        "community": status.community,
        "street": status.street,
        "households": status.households,
        "population": status.population,
        "level": status.level,
        "reasons": list(status.reasons),
        "open": status.open,
        "stages": status.stages,
        "urgent": status.urgent,
        "overdue": status.overdue,
        "due_soon": status.due_soon,
        "last_report": _instant(status.last_report),
        "last_visit": _instant(status.last_visit),
        "retired_at": _instant(status.retired_at),
    }
    return {
        "type": "Feature",
        "id": status.code,
        "geometry": shape.geometry,
        "properties": properties,
    }


@export
async def cases_geojson(request: Request, services: Services) -> Response:
    catalog = services.app.catalog
    public = frozenset(c.code for c in catalog.categories() if c.public)
    query = Query(public, statuses=["open"], limit=10**7)
    rows = await run(open311.requests, services.views, query)
    return _geojson([_case(row, catalog.category(row.category).name) for row in rows])


def _case(row: open311.RequestRow, name: Any) -> dict[str, Any]:
    properties = {
        "service_request_id": str(row.number),
        "service_code": row.category,
        "service_name_zh": name.zh,
        "service_name_en": name.en,
        "status": row.detail,
        "channel": row.channel,
        "grid": row.grid,
        "agency_responsible": row.department,
        "requested_datetime": _instant(row.reported_at),
        "updated_datetime": _instant(row.updated_at),
        "expected_datetime": _instant(row.deadline),
        "address": row.address,
        "description": row.description,
    }
    geometry = {"type": "Point", "coordinates": [row.lon, row.lat]}
    return {
        "type": "Feature",
        "id": str(row.number),
        "geometry": geometry,
        "properties": properties,
    }


def _geojson(features: list[dict[str, Any]]) -> Response:
    body = orjson.dumps({"type": "FeatureCollection", "features": features})
    return Response(body, media_type=GEOJSON)


# With a token ------------------------------------------------------------------------------

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
    return _csv(BOARD_COLUMNS, ([getattr(row, c) for c in BOARD_COLUMNS] for row in rows))


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


ASSESSMENT_COLUMNS = (
    "subject",
    "code",
    "period",
    "day",
    "key",
    "name",
    "value",
    "unit",
    "formula",
    "version",
    "grade",
)


@export
async def assessment_csv(request: Request, services: Services) -> Response:
    viewer = await caller(request, services)
    given = request.query_params
    subject = given.get("subject") or "department"
    period = given.get("period") or "month"
    if subject not in SUBJECTS:
        raise ExportRefused(400, f"subject is one of {', '.join(SUBJECTS)}")
    if period not in PERIODS:
        raise ExportRefused(400, f"period is one of {', '.join(PERIODS)}")
    try:
        day = date.fromisoformat(given.get("day") or datetime.now(CST).date().isoformat())
    except ValueError:
        raise ExportRefused(400, "day is a date, as 2026-03-09") from None
    codes = [c for c in (given.get("code") or "").split(",") if c]
    codes = codes or _default_subjects(viewer, subject, services)
    for code in codes:
        _may_read(viewer, subject, code)
    read = {
        "department": assessment.department,
        "grid": assessment.grid,
        "worker": assessment.worker,
    }
    found = await run(lambda: [(c, read[subject](services.views, c, period, day)) for c in codes])
    return _csv(ASSESSMENT_COLUMNS, _figure_rows(subject, period, day, found))


def _default_subjects(viewer: Actor, subject: str, services: Services) -> list[str]:
    if subject == "department":
        if viewer.role is Role.DEPARTMENT and viewer.department:
            return [viewer.department]
        return [d.code for d in services.app.catalog.departments]
    if subject == "grid":
        return [""] if viewer.role in DISTRICT_READERS else list(viewer.area)
    if viewer.role in DISTRICT_READERS:
        raise ExportRefused(400, "name the grid workers: code=<staff id>,…")
    return [viewer.id]


def _may_read(viewer: Actor, subject: str, code: str) -> None:
    """The assessment queries' rules."""
    if subject == "department":
        if viewer.role is Role.DEPARTMENT:
            read_department(viewer, code)
        elif viewer.role not in DISTRICT_READERS:
            raise Refused(f"{viewer} may not read department assessments")
    elif subject == "grid":
        if not code.isdigit() and code != "":
            raise ExportRefused(400, f"an area code is digits, not {code!r}")
        read_area(viewer, code)
    elif viewer.role not in DISTRICT_READERS and viewer.id != code:
        raise Refused(f"{viewer} may read only their own assessment")


def _figure_rows(
    subject: str, period: str, day: date, found: Sequence[tuple[str, formulas.Assessment]]
) -> Iterable[list[Any]]:
    for code, assessed in found:
        for figure in (*assessed.figures, assessed.composite):
            grade = assessed.grade if figure.key == "composite" else None
            yield [
                subject,
                code,
                period,
                day.isoformat(),
                figure.key,
                figure.name,
                figure.value,
                figure.unit,
                figure.formula,
                figure.version,
                grade,
            ]


def _csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return Response(out.getvalue().encode("utf-8"), media_type=CSV)


FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""How a spreadsheet formula starts: text starting so is written after a ' (OWASP's
advice against CSV injection), since descriptions come from the public."""


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return _instant(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA):
        return "'" + value
    return "" if value is None else value


def _instant(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(CST).isoformat(timespec="seconds")


routes = [
    Route("/export/grids.geojson", grids_geojson, methods=["GET"]),
    Route("/export/cases.geojson", cases_geojson, methods=["GET"]),
    Route("/export/case_board.csv", case_board_csv, methods=["GET"]),
    Route("/export/assessment.csv", assessment_csv, methods=["GET"]),
]
